/// DEVICE_INFO (0x01): who the sensor is and how it samples. Firmware-Protocol/PROTOCOL.md 3.1.
public struct DeviceInfo: Equatable, Sendable, Codable {
    public var protocolVersion: UInt8 = 1
    public var firmwareMajor: UInt8 = 0
    public var firmwareMinor: UInt8 = 0
    public var firmwarePatch: UInt8 = 0
    public var hardwareRevision: UInt16 = 0
    public var deviceUID: UInt64 = 0
    public var imuRateHz: UInt16 = 0
    public var accRangeG: UInt16 = 0
    /// 0 = no gyroscope.
    public var gyroRangeDps: UInt16 = 0
    /// 0 = no microphone.
    public var audioRateHz: UInt32 = 0
    public var audioBits: UInt8 = 16
    /// 0 = right-handed axes as marked on the housing.
    public var axisConvention: UInt8 = 0
    public var flags: UInt8 = 0
    public var serialNumber = ""
    public var model = ""
    public var imuModel = ""
    public var micModel = ""

    public init() {}

    /// Explicit keys so snake_case JSON (reports) round-trips: "deviceUID" would come back as "deviceUid".
    enum CodingKeys: String, CodingKey {
        case protocolVersion, firmwareMajor, firmwareMinor, firmwarePatch, hardwareRevision
        case deviceUID = "deviceUid"
        case imuRateHz, accRangeG, gyroRangeDps, audioRateHz, audioBits, axisConvention, flags, serialNumber, model
        case imuModel, micModel
    }

    /// Tolerant decoding: a field missing from stored JSON (older or newer files) keeps its default, so a header
    /// never becomes unreadable over a renamed or added field.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func v<T: Decodable>(_ k: CodingKeys, _ d: T) -> T { (try? c.decodeIfPresent(T.self, forKey: k)) ?? d }
        protocolVersion = v(.protocolVersion, 1); firmwareMajor = v(.firmwareMajor, 0); firmwareMinor = v(.firmwareMinor, 0)
        firmwarePatch = v(.firmwarePatch, 0); hardwareRevision = v(.hardwareRevision, 0); deviceUID = v(.deviceUID, 0)
        imuRateHz = v(.imuRateHz, 0); accRangeG = v(.accRangeG, 0); gyroRangeDps = v(.gyroRangeDps, 0)
        audioRateHz = v(.audioRateHz, 0); audioBits = v(.audioBits, 16); axisConvention = v(.axisConvention, 0)
        flags = v(.flags, 0); serialNumber = v(.serialNumber, ""); model = v(.model, ""); imuModel = v(.imuModel, "")
        micModel = v(.micModel, "")
    }

    public var firmwareVersion: String { "\(firmwareMajor).\(firmwareMinor).\(firmwarePatch)" }
    public var hasGyroscope: Bool { gyroRangeDps != 0 }
    public var isStreaming: Bool { flags & 1 != 0 }
    /// Conversion factors from raw counts (Firmware-Protocol/PROTOCOL.md section 2).
    public var accGPerCount: Double { Double(accRangeG) / 32768 }
    public var gyroDpsPerCount: Double { Double(gyroRangeDps) / 32768 }

    /// Parses a payload; nil when it is too short (extra trailing bytes are allowed for later versions).
    public init?(payload: UnsafeRawBufferPointer) {
        var c = ByteCursor(payload)
        guard let pv = c.read(UInt8.self), let fa = c.read(UInt8.self), let fb = c.read(UInt8.self),
              let fc = c.read(UInt8.self), let hw = c.read(UInt16.self), let uid = c.read(UInt64.self),
              let imu = c.read(UInt16.self), let acc = c.read(UInt16.self), let gyro = c.read(UInt16.self),
              let audio = c.read(UInt32.self), let bits = c.read(UInt8.self), let axes = c.read(UInt8.self),
              let flags = c.read(UInt8.self), c.skip(1),
              let serial = c.readShortString(), let model = c.readShortString(),
              let imuModel = c.readShortString(), let micModel = c.readShortString()
        else { return nil }
        protocolVersion = pv; firmwareMajor = fa; firmwareMinor = fb; firmwarePatch = fc
        hardwareRevision = hw; deviceUID = uid; imuRateHz = imu; accRangeG = acc; gyroRangeDps = gyro
        audioRateHz = audio; audioBits = bits; axisConvention = axes; self.flags = flags
        serialNumber = serial; self.model = model; self.imuModel = imuModel; self.micModel = micModel
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 64)
        w.write(protocolVersion); w.write(firmwareMajor); w.write(firmwareMinor); w.write(firmwarePatch)
        w.write(hardwareRevision); w.write(deviceUID); w.write(imuRateHz); w.write(accRangeG); w.write(gyroRangeDps)
        w.write(audioRateHz); w.write(audioBits); w.write(axisConvention); w.write(flags); w.write(UInt8(0))
        w.writeShortString(serialNumber); w.writeShortString(model)
        w.writeShortString(imuModel); w.writeShortString(micModel)
        return w.bytes
    }
}
