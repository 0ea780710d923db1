import SensorProtocol

/// A recording as a source of frames: the replay half of "one pipeline for live and replay". Runs the recorded wire
/// bytes through the same `FrameDecoder` live capture used, resetting it at link events exactly where the live
/// decoder was reset, and hands out frames, link events and host notes in file order, streaming.
public final class RecordingReplay {
    public let reader: SessionReader
    public let decoder = FrameDecoder()
    public var header: SessionHeader { reader.header }

    public var onFrame: ((FrameView, _ hostSeconds: Double) -> Void)?
    public var onLinkEvent: ((LinkEventRecord, _ hostSeconds: Double) -> Void)?
    public var onNote: ((NoteRecord, _ hostSeconds: Double) -> Void)?

    public init(path: String) throws {
        reader = try SessionReader(path: path)
    }

    /// Warnings about damage met so far (see `SessionReader`).
    public var warnings: [String] { reader.warnings }

    /// Replays up to `maxRecords` records (or all); returns false at the end of the file. Calling it repeatedly
    /// lets a caller pace the replay (`--speed`).
    @discardableResult
    public func step(maxRecords: Int = .max) -> Bool {
        var n = 0
        while n < maxRecords {
            guard let r = reader.next() else {
                decoder.finish()
                return false
            }
            n += 1
            let t = r.hostSeconds
            switch r.type {
            case .wire?:
                decoder.feed(r.payload) { onFrame?($0, t) }
            case .linkEvent?:
                decoder.resetLink()
                if let e = r.json(LinkEventRecord.self) { onLinkEvent?(e, t) }
            case .note?:
                if let note = r.json(NoteRecord.self) { onNote?(note, t) }
            default:
                break
            }
        }
        return true
    }

    /// Replays the whole file.
    public func run() { while step(maxRecords: 64) {} }
}
