import SensorProtocol

/// What happens to a link during a session, in the order it happens.
public enum SessionEvent: Sendable, Equatable {
    /// Streaming started on `link` with this device.
    case connected(DeviceInfo, link: String)
    /// The link dropped (unplug, EIO, silence); the session tries to reconnect if allowed.
    case disconnected(reason: String)
    /// Streaming resumed after a drop, possibly on another path (re-enumeration).
    case reconnected(DeviceInfo, link: String)
}

/// Receives everything a `DeviceSession` sees. Host times are nanoseconds of the monotonic clock since the session
/// started. A sink that throws (e.g. the recorder on a full disk) ends the session with that error.
public protocol SessionSink: AnyObject {
    /// Raw wire bytes exactly as read from the link, garbage included (the recorder keeps these losslessly).
    func session(received bytes: UnsafeRawBufferPointer, hostNanos: Int64) throws
    /// Each good frame, after the session itself has looked at it.
    func session(frame: FrameView, hostNanos: Int64) throws
    func session(event: SessionEvent, hostNanos: Int64) throws
    /// A few times a second, with the live counters.
    func session(tick stats: LinkStats, hostNanos: Int64) throws
}

extension SessionSink {
    public func session(received bytes: UnsafeRawBufferPointer, hostNanos: Int64) throws {}
    public func session(frame: FrameView, hostNanos: Int64) throws {}
    public func session(event: SessionEvent, hostNanos: Int64) throws {}
    public func session(tick stats: LinkStats, hostNanos: Int64) throws {}
}

/// Live counters of a session: link health for dashboards and `record`'s progress line.
public struct LinkStats: Sendable, Equatable {
    public var elapsedSeconds = 0.0
    public var connected = false
    public var link = ""
    public var decoder = DecoderCounters()
    public var streams = StreamStats()
    public var disconnects = 0
    public var reconnects = 0
    /// Rates over the last tick interval.
    public var bytesPerSecond = 0.0
    public var framesPerSecond = 0.0
    public var clock: ClockSync.Estimate?

    public init() {}

    /// Samples lost anywhere: sequence gaps are frames, index gaps and device counters are samples.
    public var droppedSamples: Int {
        streams.imuSamplesMissing + streams.audioSamplesMissing + streams.deviceIMUDropped + streams.deviceAudioDropped
    }
}
