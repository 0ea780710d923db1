/// Estimates the device clock against the host clock — offset and drift — from PING/PONG exchanges.
///
/// Each exchange gives NTP's four timestamps (RFC 5905): host send t0, device receive t1, device send t2, host
/// receive t3. offset = ((t1 − t0) + (t2 − t3)) / 2, round-trip delay = (t3 − t0) − (t2 − t1). Queueing only ever
/// adds delay, so exchanges close to the smallest delay seen are the trustworthy ones; a least-squares line through
/// their offsets against host time gives the offset now and the drift (ppm). A bounded ring of exchanges keeps
/// memory flat however long the session runs.
public struct ClockSync: Sendable {
    public struct Exchange: Sendable, Equatable {
        public var hostSendMicros: Double
        public var deviceRxMicros: Double
        public var deviceTxMicros: Double
        public var hostRecvMicros: Double

        public init(hostSendMicros: UInt64, deviceRxMicros: UInt64, deviceTxMicros: UInt64, hostRecvMicros: UInt64) {
            self.hostSendMicros = Double(hostSendMicros)
            self.deviceRxMicros = Double(deviceRxMicros)
            self.deviceTxMicros = Double(deviceTxMicros)
            self.hostRecvMicros = Double(hostRecvMicros)
        }

        public var delayMicros: Double { (hostRecvMicros - hostSendMicros) - (deviceTxMicros - deviceRxMicros) }
        /// Device minus host, µs.
        public var offsetMicros: Double {
            ((deviceRxMicros - hostSendMicros) + (deviceTxMicros - hostRecvMicros)) / 2
        }
        public var hostMidMicros: Double { (hostSendMicros + hostRecvMicros) / 2 }
    }

    public struct Estimate: Sendable, Equatable, Codable {
        /// Device minus host (µs) at `referenceHostMicros`.
        public var offsetMicros: Double
        /// Device clock rate error against the host, parts per million (+ = device runs fast).
        public var driftPPM: Double
        public var referenceHostMicros: Double
        /// Exchanges used / smallest round trip (µs).
        public var exchangesUsed: Int
        public var minDelayMicros: Double

        /// Host time (µs) of a device timestamp.
        public func hostMicros(ofDevice d: Double) -> Double {
            // device = host + offset + drift·(host − ref)  ⇒  host = (device − offset + drift·ref) / (1 + drift)
            let k = driftPPM * 1e-6
            return (d - offsetMicros + k * referenceHostMicros) / (1 + k)
        }
    }

    private var ring: [Exchange] = []
    private var next = 0
    public let capacity: Int
    public private(set) var exchangeCount = 0

    public init(capacity: Int = 512) {
        self.capacity = capacity
        ring.reserveCapacity(capacity)
    }

    public mutating func add(_ e: Exchange) {
        guard e.delayMicros >= 0 else { return } // impossible timestamps: a confused device, ignore
        exchangeCount += 1
        if ring.count < capacity { ring.append(e) } else { ring[next] = e }
        next = (next + 1) % capacity
    }

    public mutating func reset() {
        ring.removeAll(keepingCapacity: true)
        next = 0
    }

    /// The current estimate, or nil before the first exchange.
    public var estimate: Estimate? {
        guard let minDelay = ring.map(\.delayMicros).min() else { return nil }
        // Keep exchanges within max(200 µs, 50 %) of the best round trip.
        let limit = minDelay + max(200, minDelay * 0.5)
        let good = ring.filter { $0.delayMicros <= limit }
        let n = Double(good.count)
        let mx = good.reduce(0) { $0 + $1.hostMidMicros } / n
        let my = good.reduce(0) { $0 + $1.offsetMicros } / n
        var sxx = 0.0, sxy = 0.0
        for e in good {
            let dx = e.hostMidMicros - mx
            sxx += dx * dx
            sxy += dx * (e.offsetMicros - my)
        }
        // Drift needs a baseline of at least a second to mean anything.
        let slope = sxx > 1e12 / 12 && good.count >= 3 ? sxy / sxx : 0
        return Estimate(offsetMicros: my, driftPPM: slope * 1e6, referenceHostMicros: mx,
                        exchangesUsed: good.count, minDelayMicros: minDelay)
    }
}
