import Recording
import SensorDevice
import SensorProtocol

/// Records a live session losslessly: every wire byte as read, link events between them, and a host-time index
/// entry (with the clock-sync estimate) about once a second.
public final class RecordingSink: SessionSink {
    public let writer: SessionWriter
    private var lastIndexNanos: Int64 = 0
    private var lastDeviceMicros: UInt64 = 0

    public init(writer: SessionWriter) {
        self.writer = writer
    }

    public func session(received bytes: UnsafeRawBufferPointer, hostNanos: Int64) throws {
        try writer.appendWire(bytes, hostNanos: hostNanos)
    }

    public func session(frame: FrameView, hostNanos: Int64) throws {
        switch frame.knownType {
        case .imuBlock?: if let h = IMUBlockHeader(payload: frame.payload) { lastDeviceMicros = h.tFirstMicros }
        case .audioBlock?: if let h = AudioBlockHeader(payload: frame.payload) { lastDeviceMicros = h.tFirstMicros }
        default: break
        }
    }

    public func session(event: SessionEvent, hostNanos: Int64) throws {
        let record: LinkEventRecord
        switch event {
        case .connected(let info, let link): record = .init(event: .connected, link: link, device: info)
        case .disconnected(let reason): record = .init(event: .disconnected, reason: reason)
        case .reconnected(let info, let link): record = .init(event: .reconnected, link: link, device: info)
        }
        try writer.appendLinkEvent(record, hostNanos: hostNanos)
    }

    public func session(tick stats: LinkStats, hostNanos: Int64) throws {
        try writer.flushIfDue(hostNanos: hostNanos)
        if hostNanos - lastIndexNanos >= 1_000_000_000 {
            let c = stats.clock
            try writer.appendIndex(IndexEntry(wireBytesBefore: 0, lastDeviceMicros: lastDeviceMicros,
                                              clockOffsetMicros: Int64(c?.offsetMicros ?? 0),
                                              clockDriftPPB: Int64((c?.driftPPM ?? 0) * 1000)),
                                   hostNanos: hostNanos)
            lastIndexNanos = hostNanos
        }
    }

    /// Host-side note (pain key, typed note), placed between the wire bytes around it.
    public func note(_ n: NoteRecord, hostNanos: Int64) throws {
        try writer.appendNote(n, hostNanos: hostNanos)
    }

    /// Writes the trailer and closes the file.
    public func finish(stats: LinkStats, hostNanos: Int64) throws {
        try writer.finish(SessionTrailer(durationSeconds: Double(hostNanos) / 1e9, wireBytes: writer.wireBytesWritten,
                                         decoder: stats.decoder, reconnects: stats.reconnects),
                          hostNanos: hostNanos)
    }
}

/// Passes every callback to several sinks in order (recorder, progress line, dashboard…).
public final class FanoutSink: SessionSink {
    public var sinks: [SessionSink]
    public init(_ sinks: [SessionSink]) { self.sinks = sinks }

    public func session(received bytes: UnsafeRawBufferPointer, hostNanos: Int64) throws {
        for s in sinks { try s.session(received: bytes, hostNanos: hostNanos) }
    }
    public func session(frame: FrameView, hostNanos: Int64) throws {
        for s in sinks { try s.session(frame: frame, hostNanos: hostNanos) }
    }
    public func session(event: SessionEvent, hostNanos: Int64) throws {
        for s in sinks { try s.session(event: event, hostNanos: hostNanos) }
    }
    public func session(tick stats: LinkStats, hostNanos: Int64) throws {
        for s in sinks { try s.session(tick: stats, hostNanos: hostNanos) }
    }
}
