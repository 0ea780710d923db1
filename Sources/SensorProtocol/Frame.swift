/// A good frame as the decoder hands it out: a view into the decoder's buffer, valid only inside the callback.
/// Handing out views rather than arrays keeps the decoder free of per-frame heap allocation.
public struct FrameView {
    public let type: UInt8
    public let seq: UInt16
    public let payload: UnsafeRawBufferPointer

    /// The frame type if this receiver knows it.
    public var knownType: FrameType? { FrameType(rawValue: type) }

    /// An owned copy, for code that keeps frames (tests, command replies).
    public func copy() -> Frame { Frame(type: type, seq: seq, payload: Array(payload)) }
}

/// An owned frame.
public struct Frame: Equatable, Sendable {
    public var type: UInt8
    public var seq: UInt16
    public var payload: [UInt8]

    public init(type: UInt8, seq: UInt16, payload: [UInt8]) {
        self.type = type
        self.seq = seq
        self.payload = payload
    }

    public var knownType: FrameType? { FrameType(rawValue: type) }
}
