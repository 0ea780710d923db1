/// What a receiver saw, counted exactly as Firmware-Protocol/PROTOCOL.md section 1.2 prescribes, so the Swift
/// decoder, the C reference and the test vectors agree number for number.
public struct DecoderCounters: Equatable, Sendable, Codable {
    /// Good frames (valid COBS, length, CRC and version), unknown types included.
    public var frames = 0
    public var crcErrors = 0
    /// Broken COBS structure, shorter than a header plus CRC, or a length field that disagrees with the size.
    public var malformed = 0
    /// Runs longer than the largest legal encoded frame, dropped up to the next delimiter.
    public var oversize = 0
    public var badVersion = 0
    /// Good frames of a type this receiver does not know (skipped, never fatal).
    public var unknownType = 0
    /// Times the sequence number jumped forward, and how many frames those jumps skipped.
    public var seqGaps = 0
    public var lostFrames = 0
    /// Times the sequence number went backwards (sender restarted or repeated itself).
    public var seqRestarts = 0
    /// Partial frames cut off by the end of input or by a link reset.
    public var truncated = 0
    /// Bytes of every rejected collection (delimiters not counted).
    public var discardedBytes = 0
    /// All bytes fed in.
    public var bytes = 0

    public init() {}

    /// Sum of all rejection counters: how often the decoder had to resynchronise.
    public var resyncs: Int { crcErrors + malformed + oversize + badVersion + truncated }

    /// Adds another decoder's counts (a recording spans several link sessions).
    public mutating func add(_ o: DecoderCounters) {
        frames += o.frames; crcErrors += o.crcErrors; malformed += o.malformed; oversize += o.oversize
        badVersion += o.badVersion; unknownType += o.unknownType; seqGaps += o.seqGaps; lostFrames += o.lostFrames
        seqRestarts += o.seqRestarts; truncated += o.truncated; discardedBytes += o.discardedBytes; bytes += o.bytes
    }
}
