import SensorProtocol

/// The sensor's firmware as a pure state machine, exactly as Firmware-Protocol/PROTOCOL.md describes it: answers
/// GET_INFO, START, STOP, CONFIGURE and PING; while streaming emits IMU and audio blocks stamped with a device clock
/// that runs `clockDriftPPM` fast or slow against the host, and a STATUS once per second. It knows nothing about
/// I/O: feed it host bytes and host time, take the bytes it would send. The same engine serves the pseudo-terminal
/// simulator, recordings made faster than real time, and tests.
public final class VirtualFirmware {
    public private(set) var info: DeviceInfo
    /// Device clock = host clock × (1 + drift) + offset.
    public var clockDriftPPM: Double
    public var clockOffsetMicros: Double
    public var imuBlockSamples: Int
    public var audioBlockSamples: Int
    public private(set) var streaming = false
    public let source: SignalSource

    private var encoder = FrameEncoder()
    private let decoder = FrameDecoder()
    private var imuNext = 0
    private var audioNext = 0
    /// Device time at which sample 0 of each stream was taken (set when streaming starts).
    private var streamStartMicros = 0.0
    private var nextStatusMicros = 0.0
    private var markerCount: UInt16 = 0
    private var scratch: [Int16] = []
    private var sentBanner = false
    /// Wearer button presses scheduled in session seconds (from the first sample), sent when their time comes.
    public var scheduledMarkers: [(seconds: Double, kind: Marker.Kind)] = []
    private var markerCursor = 0

    public init(info: DeviceInfo = VirtualFirmware.defaultInfo, source: SignalSource, clockDriftPPM: Double = 20,
                clockOffsetMicros: Double = 1_234_567, imuBlockSamples: Int = 10, audioBlockSamples: Int = 160) {
        self.info = info
        self.source = source
        self.clockDriftPPM = clockDriftPPM
        self.clockOffsetMicros = clockOffsetMicros
        self.imuBlockSamples = imuBlockSamples
        self.audioBlockSamples = audioBlockSamples
    }

    public static var defaultInfo: DeviceInfo {
        var i = DeviceInfo()
        i.firmwareMajor = 1; i.firmwareMinor = 0; i.firmwarePatch = 0; i.hardwareRevision = 2
        i.deviceUID = 0x6761_6974_706F_7001
        i.imuRateHz = 100; i.accRangeG = 8; i.gyroRangeDps = 1000
        i.audioRateHz = 16000; i.audioBits = 16
        i.serialNumber = "GP-SIM-0001"; i.model = "gaitpop virtual hip sensor"
        i.imuModel = "virtual 6-axis IMU"; i.micModel = "virtual contact microphone"
        return i
    }

    /// The firmware of the virtual walker: device description, clock drift and button presses from the scenario.
    public convenience init(scenario: Scenario, seed: UInt64) {
        let walker = WalkerSource(scenario: scenario, seed: seed)
        self.init(info: walker.deviceInfo(), source: walker, clockDriftPPM: scenario.clockDriftPPM)
        scheduledMarkers = walker.schedule.markers.map { ($0.seconds, $0.kind == "pain" ? .pain : .button) }
    }

    /// Device time (µs) at a host time (µs).
    public func deviceMicros(atHost h: Double) -> Double { h * (1 + clockDriftPPM * 1e-6) + clockOffsetMicros }

    /// Handles bytes from the host; returns the reply bytes.
    public func receive(_ bytes: [UInt8], hostMicros: Double) -> [UInt8] {
        var out: [UInt8] = []
        if !sentBanner { out.append(0); sentBanner = true }
        var commands: [Frame] = []
        decoder.feed(bytes) { commands.append($0.copy()) }
        for c in commands { handle(c, hostMicros: hostMicros, out: &out) }
        return out
    }

    /// Starts streaming without a host command (for `simulate --out`, which writes a recording directly).
    public func startStreaming(hostMicros: Double) {
        streaming = true
        streamStartMicros = deviceMicros(atHost: hostMicros)
        nextStatusMicros = streamStartMicros
        imuNext = 0
        audioNext = 0
        markerCursor = 0
        info.flags |= 1
    }

    /// Frames for every block whose samples are complete by `hostMicros`, plus STATUS when due.
    public func produce(untilHostMicros h: Double) -> [UInt8] {
        var out: [UInt8] = []
        produce(untilHostMicros: h, into: &out)
        return out
    }

    public func produce(untilHostMicros h: Double, into out: inout [UInt8]) {
        guard streaming else { return }
        let now = deviceMicros(atHost: h)
        let elapsed = now - streamStartMicros
        if info.imuRateHz > 0 {
            let channels = info.hasGyroscope ? 6 : 3
            let available = Int(elapsed * Double(info.imuRateHz) / 1e6)
            while available - imuNext >= imuBlockSamples {
                source.imu(firstIndex: imuNext, count: imuBlockSamples, channels: channels, into: &scratch)
                let t = streamStartMicros + Double(imuNext) * 1e6 / Double(info.imuRateHz)
                let p = IMUBlockHeader.encode(tFirstMicros: UInt64(t), firstIndex: UInt32(truncatingIfNeeded: imuNext),
                                              channels: channels, samples: scratch)
                encoder.encode(.imuBlock, payload: p, into: &out)
                imuNext += imuBlockSamples
            }
        }
        if info.audioRateHz > 0 {
            let available = Int(elapsed * Double(info.audioRateHz) / 1e6)
            while available - audioNext >= audioBlockSamples {
                source.audio(firstIndex: audioNext, count: audioBlockSamples, into: &scratch)
                let t = streamStartMicros + Double(audioNext) * 1e6 / Double(info.audioRateHz)
                let p = AudioBlockHeader.encode(tFirstMicros: UInt64(t),
                                                firstIndex: UInt32(truncatingIfNeeded: audioNext), samples: scratch)
                encoder.encode(.audioBlock, payload: p, into: &out)
                audioNext += audioBlockSamples
            }
        }
        while markerCursor < scheduledMarkers.count,
              streamStartMicros + scheduledMarkers[markerCursor].seconds * 1e6 <= now {
            let m = scheduledMarkers[markerCursor]
            markerCount &+= 1
            let marker = Marker(tMicros: UInt64(streamStartMicros + m.seconds * 1e6), kind: m.kind.rawValue,
                                markerID: markerCount)
            encoder.encode(.marker, payload: marker.encoded(), into: &out)
            markerCursor += 1
        }
        if now >= nextStatusMicros {
            var s = DeviceStatus()
            s.tMicros = UInt64(now)
            s.batteryMillivolts = 3950
            s.batteryPercent = 87
            s.flags = 0b10
            s.temperatureCentiDegrees = 3310
            encoder.encode(.status, payload: s.encoded(), into: &out)
            nextStatusMicros += 1e6
        }
    }

    /// A wearer's button press now.
    public func marker(kind: Marker.Kind, hostMicros: Double) -> [UInt8] {
        markerCount &+= 1
        let m = Marker(tMicros: UInt64(deviceMicros(atHost: hostMicros)), kind: kind.rawValue, markerID: markerCount)
        var out: [UInt8] = []
        encoder.encode(.marker, payload: m.encoded(), into: &out)
        return out
    }

    /// Power-cycle: sequence numbers and the wire state start over (what a re-plugged USB device does).
    public func reboot() {
        encoder = FrameEncoder()
        streaming = false
        sentBanner = false
        info.flags &= ~1
    }

    private func handle(_ c: Frame, hostMicros: Double, out: inout [UInt8]) {
        let now = UInt64(deviceMicros(atHost: hostMicros))
        switch c.knownType {
        case .getInfo?:
            encoder.encode(.deviceInfo, payload: info.encoded(), into: &out)
        case .start?:
            encoder.encode(.ack, payload: Ack(commandType: c.type, result: 0, commandSeq: c.seq).encoded(), into: &out)
            if !streaming { startStreaming(hostMicros: hostMicros) }
            encoder.encode(.deviceInfo, payload: info.encoded(), into: &out)
        case .stop?:
            streaming = false
            info.flags &= ~1
            encoder.encode(.ack, payload: Ack(commandType: c.type, result: 0, commandSeq: c.seq).encoded(), into: &out)
        case .configure?:
            guard let cfg = c.payload.parse(Configure.init(payload:)), !streaming else {
                encoder.encode(.ack, payload: Ack(commandType: c.type, result: streaming ? 3 : 2,
                                                  commandSeq: c.seq).encoded(), into: &out)
                return
            }
            if cfg.imuRateHz != 0 { info.imuRateHz = min(max(cfg.imuRateHz, 25), 1000) }
            if cfg.accRangeG != 0 { info.accRangeG = cfg.accRangeG }
            if cfg.gyroRangeDps == 0xFFFF { info.gyroRangeDps = 0 } else if cfg.gyroRangeDps != 0 {
                info.gyroRangeDps = cfg.gyroRangeDps
            }
            if cfg.audioRateHz != 0 { info.audioRateHz = min(max(cfg.audioRateHz, 8000), 48000) }
            encoder.encode(.ack, payload: Ack(commandType: c.type, result: 0, commandSeq: c.seq).encoded(), into: &out)
            encoder.encode(.deviceInfo, payload: info.encoded(), into: &out)
        case .ping?:
            guard let p = c.payload.parse(Ping.init(payload:)) else { return }
            let pong = Pong(token: p.token, hostTimeMicros: p.hostTimeMicros, deviceRxMicros: now, deviceTxMicros: now)
            encoder.encode(.pong, payload: pong.encoded(), into: &out)
        default:
            break // unknown or device-only types: ignored, as the spec requires
        }
    }
}
