/// A monotonic clock that moves only when told to (swift-nio's `EmbeddedEventLoop.advanceTime`): waiting on it
/// costs no real time, so a 60 s session with a 2 s silence time-out runs in milliseconds and gives the same
/// result on a loaded machine as on an idle one.
public final class VirtualClock {
    public private(set) var nanos: Int64

    public init(startNanos: Int64 = 1_000_000_000) { nanos = startNanos }

    public var seconds: Double { Double(nanos) / 1e9 }
    public var micros: Double { Double(nanos) / 1e3 }

    public func advance(byNanos n: Int64) {
        precondition(n >= 0, "a monotonic clock never goes back")
        nanos += n
    }

    public func advance(bySeconds s: Double) { advance(byNanos: Int64(s * 1e9)) }

    /// Moves to `t` if that is later (for "wait until the next byte is due").
    public func advance(toNanos t: Int64) { if t > nanos { nanos = t } }
}
