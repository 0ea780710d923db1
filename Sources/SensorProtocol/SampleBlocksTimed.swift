/// IMU samples in physical units with their session time: what the gait engine consumes.
/// Buffers are owned by the `SampleAssembler` and reused; a view is valid only inside the callback.
public struct IMUSamples {
    /// Session time (s) of the first sample.
    public let tSeconds: Double
    public let rateHz: Double
    public let count: Int
    /// count × 3, interleaved x,y,z in g (sensor axes).
    public let accG: UnsafeBufferPointer<Float>
    /// count × 3 in deg/s, or nil without a gyroscope.
    public let gyroDps: UnsafeBufferPointer<Float>?
    /// Running index of the first sample at `rateHz` since the session started (gaps advance it).
    public let firstIndex: Int
}

/// Microphone samples (full scale ±1) with their session time: what the pop detector consumes.
public struct AudioSamples {
    public let tSeconds: Double
    public let rateHz: Double
    public let samples: UnsafeBufferPointer<Float>
    public let firstIndex: Int
}

/// A wearer's button press on the device, in session time.
public struct MarkerEvent: Equatable, Sendable, Codable {
    public var tSeconds: Double
    public var kind: Marker.Kind?
    /// The device's running marker id; −1 for a host-side mark (the `p` key).
    public var markerID: Int
    /// The kind byte as sent, kept for kinds this version does not know (`kind` is then nil); not in JSON.
    public var rawKind: UInt8? = nil

    enum CodingKeys: String, CodingKey {
        case tSeconds, kind
        case markerID = "markerId"
    }

    /// `kind` as a word ("pain", "button", "note"), as in the JSON lines.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tSeconds, forKey: .tSeconds)
        try c.encode(kind.map { "\($0)" } ?? "other", forKey: .kind)
        try c.encode(markerID, forKey: .markerID)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tSeconds = try c.decode(Double.self, forKey: .tSeconds)
        markerID = try c.decode(Int.self, forKey: .markerID)
        let k = try? c.decode(String.self, forKey: .kind)
        kind = [Marker.Kind.pain, .button, .note].first { "\($0)" == k } ?? (try? c.decode(Marker.Kind.self, forKey: .kind))
    }

    public init(tSeconds: Double, kind: Marker.Kind?, markerID: Int, rawKind: UInt8? = nil) {
        self.tSeconds = tSeconds; self.kind = kind; self.markerID = markerID; self.rawKind = rawKind ?? kind?.rawValue
    }
}

/// Turns frames into timed sample blocks in physical units — the "frames → samples" stage shared by live capture,
/// replay and import.
///
/// Session time is seconds since the first sample of the session, on the sensor's own clock (sample-exact between
/// IMU and microphone, which is what tags a pop to the gait cycle). When the device clock restarts (a reboot after
/// an unplug) the clock is re-anchored at the host time of the reconnect, so time never runs backwards.
public final class SampleAssembler {
    public private(set) var info: DeviceInfo? {
        didSet { rates = Rates(info) }
    }
    /// What every block needs from `info`, kept apart so a block does not copy the whole `DeviceInfo` (its strings
    /// cost a retain and release per frame, ≈ 2 % of a report).
    private struct Rates {
        var imuHz: UInt16 = 0, audioHz: UInt32 = 0, accScale: Float = 0, gyroScale: Float = 0
        init(_ i: DeviceInfo?) {
            guard let i else { return }
            imuHz = i.imuRateHz; audioHz = i.audioRateHz
            accScale = Float(i.accGPerCount); gyroScale = Float(i.gyroDpsPerCount)
        }
    }
    private var rates = Rates(nil)
    /// Device time (µs) that maps to session time 0.
    public private(set) var originMicros: Double?
    private var lastDeviceMicros: Double = 0
    private var lastSessionSeconds: Double = 0
    private var reanchorAtSeconds: Double?
    private var acc: [Float] = []
    private var gyro: [Float] = []
    private var audio: [Float] = []

    public var onIMU: ((IMUSamples) -> Void)?
    public var onAudio: ((AudioSamples) -> Void)?
    /// Audio blocks ending before this session time are timed but not converted or handed out: a pass that starts
    /// mid-recording (the report's second half) skips the conversion of everything before it.
    public var audioFromSeconds = -Double.infinity
    public var onMarker: ((MarkerEvent) -> Void)?
    public var onDeviceInfo: ((DeviceInfo) -> Void)?

    /// End (session time) of the latest-ending audio block seen so far, converted or not; −∞ before any. A pass
    /// resuming mid-recording (`resumeState`) may start where no audio block before it ends after its start.
    public private(set) var latestAudioEndSeconds = -Double.infinity

    /// The state that carries session time from one frame to the next: with it a pass can start mid-recording
    /// (`RecordingReplay.resume(at:)`) and time the blocks after that point exactly as a pass from the start.
    public struct ResumeState: Sendable {
        public var info: DeviceInfo?
        var originMicros: Double?
        var lastDeviceMicros: Double
        var lastSessionSeconds: Double
        var reanchorAtSeconds: Double?
        public var latestAudioEndSeconds: Double
    }

    public var resumeState: ResumeState {
        ResumeState(info: info, originMicros: originMicros, lastDeviceMicros: lastDeviceMicros,
                    lastSessionSeconds: lastSessionSeconds, reanchorAtSeconds: reanchorAtSeconds,
                    latestAudioEndSeconds: latestAudioEndSeconds)
    }

    /// An assembler that continues where the one that gave `state` was.
    public convenience init(resuming state: ResumeState) {
        self.init(info: nil)
        info = state.info
        rates = Rates(state.info)
        originMicros = state.originMicros
        lastDeviceMicros = state.lastDeviceMicros
        lastSessionSeconds = state.lastSessionSeconds
        reanchorAtSeconds = state.reanchorAtSeconds
        latestAudioEndSeconds = state.latestAudioEndSeconds
    }

    /// A sample index from a time × rate, saturating instead of trapping on absurd device clocks.
    static func index(_ x: Double) -> Int {
        guard x.isFinite else { return 0 }
        return Int(max(-9e15, min(9e15, x.rounded())))
    }

    public init(info: DeviceInfo? = nil) {
        var info = info
        if let i = info, !(1...4000).contains(Int(i.imuRateHz)) { info!.imuRateHz = 0 }
        if let i = info, !(4000...192_000).contains(Int(i.audioRateHz)) { info!.audioRateHz = 0 }
        self.info = info
        rates = Rates(info)
        acc.reserveCapacity(3 * 512)
        gyro.reserveCapacity(3 * 512)
        audio.reserveCapacity(2048)
    }

    /// The link was re-established at this session time (host clock); the next block decides whether the device
    /// clock carried on or restarted.
    public func linkReset(atSessionSeconds t: Double) {
        reanchorAtSeconds = t
    }

    /// Session time of a device timestamp (µs).
    public func sessionSeconds(deviceMicros d: Double) -> Double {
        if originMicros == nil { originMicros = d }
        if let r = reanchorAtSeconds {
            reanchorAtSeconds = nil
            // A device clock that went backwards or leapt far from the host's idea of elapsed time restarted:
            // re-anchor so this block sits at the reconnect time.
            let continued = (d - originMicros!) / 1e6
            if d < lastDeviceMicros || abs(continued - r) > 2 { originMicros = d - r * 1e6 }
        }
        lastDeviceMicros = max(lastDeviceMicros, d)
        let t = (d - originMicros!) / 1e6
        lastSessionSeconds = max(lastSessionSeconds, t)
        return t
    }

    /// Latest session time seen.
    public var latestSeconds: Double { lastSessionSeconds }

    public func consume(_ f: FrameView) {
        switch f.knownType {
        case .deviceInfo?:
            if var i = DeviceInfo(payload: f.payload) {
                // Rates from a device are untrusted: a stream at an impossible rate is ignored, not analysed.
                if !(1...4000).contains(Int(i.imuRateHz)) { i.imuRateHz = 0 }
                if !(4000...192_000).contains(Int(i.audioRateHz)) { i.audioRateHz = 0 }
                info = i
                onDeviceInfo?(i)
            }
        case .imuBlock?:
            // `rates` is zero without `info` (reading `info` here copied the DeviceInfo and its strings per frame).
            guard rates.imuHz > 0, let h = IMUBlockHeader(payload: f.payload) else { return }
            let t = sessionSeconds(deviceMicros: Double(h.tFirstMicros))
            guard onIMU != nil else { return }
            let accScale = rates.accScale, gyroScale = rates.gyroScale
            acc.removeAll(keepingCapacity: true)
            gyro.removeAll(keepingCapacity: true)
            for s in 0..<h.count {
                for c in 0..<3 { acc.append(Float(h.sample(s, channel: c, in: f.payload)) * accScale) }
                if h.hasGyroscope {
                    for c in 3..<6 { gyro.append(Float(h.sample(s, channel: c, in: f.payload)) * gyroScale) }
                }
            }
            let rate = Double(rates.imuHz)
            acc.withUnsafeBufferPointer { a in
                gyro.withUnsafeBufferPointer { g in
                    onIMU?(IMUSamples(tSeconds: t, rateHz: rate, count: h.count, accG: a,
                                      gyroDps: h.hasGyroscope ? g : nil,
                                      firstIndex: SampleAssembler.index(t * rate)))
                }
            }
        case .audioBlock?:
            guard rates.audioHz > 0, let h = AudioBlockHeader(payload: f.payload) else { return }
            let t = sessionSeconds(deviceMicros: Double(h.tFirstMicros))
            let end = t + Double(h.count) / Double(rates.audioHz)
            // NaN (never from a finite clock) would stop every later resume point from being used, as it should.
            latestAudioEndSeconds = end.isNaN ? .infinity : max(latestAudioEndSeconds, end)
            guard onAudio != nil else { return } // nobody listens: skip the conversion (IMU-only passes)
            if end < audioFromSeconds { return }
            let n = h.count
            if audio.count < n { audio += repeatElement(0, count: n - audio.count) }
            audio.withUnsafeMutableBufferPointer { out in
                let src = f.payload.baseAddress! + AudioBlockHeader.size
                for s in 0..<n {
                    out[s] = Float(Int16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * s, as: Int16.self)))
                        * (1 / 32768)
                }
            }
            let rate = Double(rates.audioHz)
            audio.withUnsafeBufferPointer { a in
                onAudio?(AudioSamples(tSeconds: t, rateHz: rate, samples: UnsafeBufferPointer(rebasing: a[..<n]),
                                      firstIndex: SampleAssembler.index(t * rate)))
            }
        case .marker?:
            guard let m = Marker(payload: f.payload) else { return }
            onMarker?(MarkerEvent(tSeconds: sessionSeconds(deviceMicros: Double(m.tMicros)), kind: m.knownKind,
                                  markerID: Int(m.markerID), rawKind: m.kind))
        default:
            break
        }
    }
}
