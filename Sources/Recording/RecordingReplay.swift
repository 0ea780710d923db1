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
    /// True once the trailer was read: the recording was stopped cleanly.
    public private(set) var sawTrailer = false

    /// What every command reading this recording must tell the user once the replay has run (stderr and every
    /// rendering): the reader's damage warnings, frames lost (sequence gaps, checksum failures) and an interrupted
    /// recording. Damage must never pass for a clean file.
    public var damageWarnings: [String] {
        var w = reader.warnings
        let c = decoder.counters
        if c.lostFrames > 0 || c.crcErrors > 0 {
            w.append("\(c.lostFrames) frames lost in \(c.seqGaps) gaps and \(c.crcErrors) frames failed their checksum "
                + "(link losses while recording, or damage to the file): the data around them is missing")
        }
        if !sawTrailer {
            w.append("the recording was interrupted (no trailer: killed, unplugged host or full disk); "
                + "everything up to its last whole record is used")
        }
        return w
    }

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
            case .trailer?:
                sawTrailer = true
            default:
                break
            }
        }
        return true
    }

    /// Replays the whole file.
    public func run() { while step(maxRecords: 64) {} }
}
