#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SensorProtocol

/// A place in a recording where a replay can start and hand out exactly the frames a replay from the beginning
/// hands out from there on: just after a frame delimiter (0x00) inside a wire record. After a delimiter the frame
/// decoder holds no partial frame, whatever came before, so a fresh decoder continues identically (only its
/// sequence-gap counters, which need the frame before, differ).
public struct ReplayPosition: Equatable, Sendable {
    /// File offset of the wire record.
    public let recordOffset: Int
    /// Bytes of that record's payload decoded before the position (up to and including the delimiter).
    public let payloadBytes: Int
}

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
    /// Called about every `resumeSpacingBytes` of file at a `ReplayPosition`, after every frame before it was handed
    /// to `onFrame` and before any after it: the caller notes its own state there (e.g. a `SampleAssembler`'s clock)
    /// so a later pass can start at that position with `resume(at:)`.
    public var onResumePoint: ((ReplayPosition) -> Void)?
    public var resumeSpacingBytes = 1 << 18
    private var nextResumeOffset = 0
    /// After `resume(at:)`: the record to start in and the payload bytes of it already decoded by an earlier pass.
    private var resumeSkip: ReplayPosition?

    public init(path: String) throws {
        reader = try SessionReader(path: path)
    }

    /// Starts this (not yet stepped) replay at `position`, noted by an earlier replay of the same file: the frames,
    /// link events and notes after it come out as in a replay from the beginning. False, with nothing changed,
    /// when the file cannot seek (a pipe). Damage warnings and decoder counters cover only the part replayed.
    public func resume(at position: ReplayPosition) -> Bool {
        guard reader.seek(toRecordAt: position.recordOffset) else { return false }
        resumeSkip = position
        return true
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
            // The first record after `resume(at:)`: the part an earlier pass decoded before the position.
            let skip = resumeSkip.map { $0.recordOffset == r.fileOffset ? $0.payloadBytes : 0 } ?? 0
            resumeSkip = nil
            switch r.type {
            case .wire?:
                var payload = UnsafeRawBufferPointer(rebasing: r.payload[min(skip, r.payload.count)...])
                if let note = onResumePoint, r.fileOffset >= nextResumeOffset, let base = payload.baseAddress,
                   let z = memchr(base, 0, payload.count) {
                    // Split the feed just after the record's first delimiter (a stream decoder gives the same
                    // frames however its input is cut) and note the position between the halves.
                    let cut = UnsafeRawPointer(z) - base + 1
                    decoder.feed(UnsafeRawBufferPointer(rebasing: payload[..<cut])) { onFrame?($0, t) }
                    note(ReplayPosition(recordOffset: r.fileOffset, payloadBytes: cut + min(skip, r.payload.count)))
                    nextResumeOffset = r.fileOffset + resumeSpacingBytes
                    payload = UnsafeRawBufferPointer(rebasing: payload[cut...])
                }
                decoder.feed(payload) { onFrame?($0, t) }
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
