import SensorProtocol
import SerialPort
#if canImport(Glibc)
import Glibc
#endif

/// Talks to one sensor: handshake (GET_INFO → DEVICE_INFO), START/STOP, PING/PONG time sync, and a read loop that
/// survives unplugging — a read error, end of file or silence past `silenceTimeout` closes the link, and the
/// session reopens the same device (same path, or the same USB vendor/product/serial under a new name) and carries
/// on within the same run, so one recording spans the interruption.
///
/// Single-threaded by design: `run` owns the link and calls its sink on the caller's thread, so the recorder
/// and counters need no locks.
public final class DeviceSession {
    public struct Options: Sendable {
        public var baudRate = 921_600
        public var handshakeTimeoutSeconds = 0.6
        public var handshakeAttempts = 3
        /// No byte for this long while streaming = the device is gone.
        public var silenceTimeoutSeconds = 2.0
        public var reconnect = true
        /// Give up reconnecting after this long (nil = until stopped).
        public var reconnectTimeoutSeconds: Double? = nil
        public var reconnectIntervalSeconds = 0.25
        public var pingIntervalSeconds = 1.0
        public var tickIntervalSeconds = 0.25
        public var readTimeoutMs = 20
        public var configure: Configure? = nil

        public init() {}
    }

    public enum SessionError: Error, CustomStringConvertible {
        case noAnswer(link: String, attempts: Int)
        case reconnectTimedOut(seconds: Double, lastError: String)

        public var description: String {
            switch self {
            case .noAnswer(let l, let n):
                "no DEVICE_INFO from \(l) after \(n) GET_INFO requests: is it a gaitpop sensor, powered, at the right baud rate?"
            case .reconnectTimedOut(let s, let e):
                "device did not come back within \(Int(s)) s (last error: \(e)); recording kept up to the unplug"
            }
        }
    }

    public let path: String
    public let options: Options
    public private(set) var deviceInfo: DeviceInfo?
    /// USB identity of the port, remembered to find the device again after re-enumeration.
    public private(set) var usbIdentity: SerialPortInfo?
    public private(set) var stats = LinkStats()
    public private(set) var clock = ClockSync()

    private var link: ByteLink?
    private let decoder = FrameDecoder()
    private var encoder = FrameEncoder()
    private let startNanos: Int64
    private var pingToken: UInt32 = 0
    private var readBuffer = [UInt8](repeating: 0, count: 16384)
    private let environment: SessionEnvironment
    private var openLink: (String, Int) throws -> ByteLink { environment.openLink }
    /// Bytes read during `connect()` before any sink existed; handed to the sink when `run` starts, so the
    /// recording holds every byte the session read.
    private var unsentBytes: [UInt8] = []
    private var unsentHostNanos: Int64 = 0

    /// - Parameter openLink: how to open a path; defaults to `LinkOpener.open` (tests can wrap it).
    public convenience init(path: String, options: Options = Options(),
                            openLink: @escaping (String, Int) throws -> ByteLink = { try LinkOpener.open(path: $0, baudRate: $1) }) {
        var environment = SessionEnvironment.live
        environment.openLink = openLink
        self.init(path: path, options: options, environment: environment)
    }

    /// - Parameter environment: links, clock and port list (tests: an in-memory link and a virtual clock).
    public init(path: String, options: Options = Options(), environment: SessionEnvironment) {
        self.path = path
        self.options = options
        self.environment = environment
        startNanos = environment.nanos()
    }

    deinit { link?.close() }

    /// Host time since the session was created.
    public var hostNanos: Int64 { environment.nanos() - startNanos }

    /// Opens the link and performs the handshake. Call before `run` to learn the device (e.g. for a file header).
    @discardableResult
    public func connect() throws -> DeviceInfo {
        let l = try openLink(path, options.baudRate)
        link = l
        unsentBytes = []
        if usbIdentity == nil { usbIdentity = environment.portInfo(path) }
        do {
            let info = try handshake(l, sink: nil)
            stats.link = l.description
            return info
        } catch {
            l.close()
            link = nil
            throw error
        }
    }

    /// Streams until `shouldStop` returns true, calling the sink as data arrives. Throws when the link fails and
    /// reconnecting is off or times out, or when the sink throws. Sends STOP on the way out if the link is up.
    public func run(sink: SessionSink, shouldStop: () -> Bool) throws {
        if link == nil { try connect() }
        guard let info = deviceInfo, let l = link else { return }
        try send(.start, on: l)
        stats.connected = true
        try sink.session(event: .connected(info, link: l.description), hostNanos: hostNanos)
        if !unsentBytes.isEmpty {
            try unsentBytes.withUnsafeBytes { try sink.session(received: $0, hostNanos: unsentHostNanos) }
            unsentBytes = []
        }
        var now = hostNanos
        var lastByte = now
        var nextPing = now
        var nextTick = now + nanos(options.tickIntervalSeconds)
        var tickBytes = 0, tickFrames = stats.decoder.frames, tickStart = now

        defer {
            if let l = link { try? send(.stop, on: l) }
        }
        while !shouldStop() {
            now = hostNanos
            do {
                guard let l = link else { break }
                if now >= nextPing {
                    try sendPing(on: l)
                    nextPing = now + nanos(options.pingIntervalSeconds)
                }
                let n = try readBuffer.withUnsafeMutableBytes { try l.read(into: $0, timeoutMs: options.readTimeoutMs) }
                now = hostNanos
                if n > 0 {
                    lastByte = now
                    tickBytes += n
                    try ingest(count: n, sink: sink, hostNanos: now)
                } else if Double(now - lastByte) / 1e9 > options.silenceTimeoutSeconds {
                    throw LinkError.disconnected(path: path,
                                                 reason: "no data for \(options.silenceTimeoutSeconds) s")
                }
            } catch let e as LinkError {
                try handleDrop(e, sink: sink, shouldStop: shouldStop)
                now = hostNanos
                lastByte = now
                nextPing = now
            }
            if now >= nextTick {
                let dt = Double(now - tickStart) / 1e9
                stats.elapsedSeconds = Double(now) / 1e9
                stats.bytesPerSecond = dt > 0 ? Double(tickBytes) / dt : 0
                stats.framesPerSecond = dt > 0 ? Double(stats.decoder.frames - tickFrames) / dt : 0
                stats.clock = clock.estimate
                tickBytes = 0; tickFrames = stats.decoder.frames; tickStart = now
                try sink.session(tick: stats, hostNanos: now)
                nextTick = now + nanos(options.tickIntervalSeconds)
            }
        }
        stats.elapsedSeconds = Double(hostNanos) / 1e9
        stats.clock = clock.estimate
    }

    /// Closes the link (after STOP if it is up).
    public func close() {
        if let l = link { try? send(.stop, on: l); l.close() }
        link = nil
        stats.connected = false
    }

    // MARK: - internals

    private func nanos(_ s: Double) -> Int64 { Int64(s * 1e9) }

    private func ingest(count n: Int, sink: SessionSink?, hostNanos t: Int64) throws {
        try readBuffer.withUnsafeBytes { raw in
            let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<n])
            try sink?.session(received: chunk, hostNanos: t)
            try decoder.feed(chunk) { f in
                handle(frame: f, hostNanos: t)
                try sink?.session(frame: f, hostNanos: t)
            }
        }
        stats.decoder = decoder.counters
    }

    private func handle(frame f: FrameView, hostNanos t: Int64) {
        switch f.knownType {
        case .deviceInfo?:
            if let info = DeviceInfo(payload: f.payload) { deviceInfo = info }
        case .pong?:
            if let p = Pong(payload: f.payload) {
                clock.add(.init(hostSendMicros: p.hostTimeMicros, deviceRxMicros: p.deviceRxMicros,
                                deviceTxMicros: p.deviceTxMicros, hostRecvMicros: UInt64(max(0, t / 1000))))
            }
        default:
            break
        }
        stats.streams.observe(f, imuRateHz: Int(deviceInfo?.imuRateHz ?? 0),
                              audioRateHz: Int(deviceInfo?.audioRateHz ?? 0))
    }

    private func send(_ type: FrameType, payload: [UInt8] = [], on l: ByteLink) throws {
        var out: [UInt8] = []
        encoder.encode(type, payload: payload, into: &out)
        try l.write(out)
    }

    private func sendPing(on l: ByteLink) throws {
        pingToken &+= 1
        let p = Ping(token: pingToken, hostTimeMicros: UInt64(max(0, hostNanos / 1000)))
        try send(.ping, payload: p.encoded(), on: l)
    }

    /// GET_INFO until DEVICE_INFO answers; bytes read meanwhile go to the sink (they are part of the recording).
    private func handshake(_ l: ByteLink, sink: SessionSink?) throws -> DeviceInfo {
        decoder.resetLink()
        deviceInfo = nil
        for _ in 0..<options.handshakeAttempts {
            var out: [UInt8] = [0] // terminate any partial frame the device may hold
            encoder.encode(.getInfo, into: &out)
            if let c = options.configure { encoder.encode(.configure, payload: c.encoded(), into: &out) }
            try l.write(out)
            let deadline = hostNanos + nanos(options.handshakeTimeoutSeconds)
            while hostNanos < deadline {
                let n = try readBuffer.withUnsafeMutableBytes { try l.read(into: $0, timeoutMs: 20) }
                if n > 0 {
                    if sink == nil {
                        if unsentBytes.isEmpty { unsentHostNanos = hostNanos }
                        unsentBytes += readBuffer[0..<n]
                    }
                    try ingest(count: n, sink: sink, hostNanos: hostNanos)
                }
                if let info = deviceInfo {
                    // With CONFIGURE, wait briefly for the DEVICE_INFO that reflects the new settings.
                    return info
                }
            }
        }
        throw SessionError.noAnswer(link: l.description, attempts: options.handshakeAttempts)
    }

    private func handleDrop(_ e: LinkError, sink: SessionSink, shouldStop: () -> Bool) throws {
        link?.close()
        link = nil
        stats.connected = false
        stats.disconnects += 1
        decoder.resetLink()
        stats.decoder = decoder.counters
        stats.streams.resetContinuity()
        clock.reset()
        try sink.session(event: .disconnected(reason: e.description), hostNanos: hostNanos)
        guard options.reconnect else { throw e }
        let began = hostNanos
        var lastError = e.description
        while !shouldStop() {
            if let limit = options.reconnectTimeoutSeconds, Double(hostNanos - began) / 1e9 > limit {
                throw SessionError.reconnectTimedOut(seconds: limit, lastError: lastError)
            }
            environment.sleep(nanos(options.reconnectIntervalSeconds))
            // Tick while waiting so dashboards can show "reconnecting…".
            stats.elapsedSeconds = Double(hostNanos) / 1e9
            try sink.session(tick: stats, hostNanos: hostNanos)
            for candidate in candidatePaths() {
                do {
                    let l = try openLink(candidate, options.baudRate)
                    do {
                        let info = try handshake(l, sink: sink)
                        try send(.start, on: l)
                        link = l
                        stats.link = l.description
                        stats.connected = true
                        stats.reconnects += 1
                        try sink.session(event: .reconnected(info, link: l.description), hostNanos: hostNanos)
                        return
                    } catch let err as LinkError {
                        l.close()
                        lastError = err.description
                    } catch let err as SessionError {
                        l.close()
                        lastError = err.description
                    }
                } catch {
                    lastError = "\(error)"
                }
            }
        }
    }

    /// The original path first, then any port with the same USB vendor/product/serial (re-enumerated name).
    private func candidatePaths() -> [String] {
        var paths = [path]
        if let id = usbIdentity {
            let ports = environment.listPorts()
            for p in ports where p.isSameUSBDevice(as: id) && p.path != path { paths.append(p.path) }
        }
        return paths
    }
}
