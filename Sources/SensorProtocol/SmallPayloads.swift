/// MARKER (0x04): the wearer pressed a button. Firmware-Protocol/PROTOCOL.md 3.4.
public struct Marker: Equatable, Sendable, Codable {
    public enum Kind: UInt8, Sendable, Codable { case pain = 1, button = 2, note = 3 }
    public var tMicros: UInt64
    /// Raw kind; unknown kinds are kept, not rejected.
    public var kind: UInt8
    public var markerID: UInt16

    public init(tMicros: UInt64, kind: UInt8, markerID: UInt16) {
        self.tMicros = tMicros; self.kind = kind; self.markerID = markerID
    }

    public init?(payload: UnsafeRawBufferPointer) {
        var c = ByteCursor(payload)
        guard let t = c.read(UInt64.self), let k = c.read(UInt8.self), c.skip(1), let id = c.read(UInt16.self)
        else { return nil }
        tMicros = t; kind = k; markerID = id
    }

    public var knownKind: Kind? { Kind(rawValue: kind) }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 12)
        w.write(tMicros); w.write(kind); w.write(UInt8(0)); w.write(markerID)
        return w.bytes
    }
}

/// STATUS (0x05): battery and the device's own drop counters. Firmware-Protocol/PROTOCOL.md 3.5.
public struct DeviceStatus: Equatable, Sendable, Codable {
    public var tMicros: UInt64 = 0
    public var batteryMillivolts: UInt16 = 0
    /// 255 = unknown.
    public var batteryPercent: UInt8 = 255
    public var flags: UInt8 = 0
    public var imuDroppedTotal: UInt32 = 0
    public var audioDroppedTotal: UInt32 = 0
    public var txFramesDroppedTotal: UInt32 = 0
    /// 0.01 °C; Int16.min = unknown.
    public var temperatureCentiDegrees: Int16 = .min

    public init() {}

    public init?(payload: UnsafeRawBufferPointer) {
        var c = ByteCursor(payload)
        guard let t = c.read(UInt64.self), let mv = c.read(UInt16.self), let pct = c.read(UInt8.self),
              let fl = c.read(UInt8.self), let di = c.read(UInt32.self), let da = c.read(UInt32.self),
              let dt = c.read(UInt32.self), let temp = c.read(Int16.self)
        else { return nil }
        tMicros = t; batteryMillivolts = mv; batteryPercent = pct; flags = fl
        imuDroppedTotal = di; audioDroppedTotal = da; txFramesDroppedTotal = dt; temperatureCentiDegrees = temp
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 26)
        w.write(tMicros); w.write(batteryMillivolts); w.write(batteryPercent); w.write(flags)
        w.write(imuDroppedTotal); w.write(audioDroppedTotal); w.write(txFramesDroppedTotal)
        w.write(temperatureCentiDegrees)
        return w.bytes
    }
}

/// PING (0x85, host → device): time-sync request.
public struct Ping: Equatable, Sendable {
    public var token: UInt32
    public var hostTimeMicros: UInt64

    public init(token: UInt32, hostTimeMicros: UInt64) { self.token = token; self.hostTimeMicros = hostTimeMicros }

    public init?(payload: UnsafeRawBufferPointer) {
        var c = ByteCursor(payload)
        guard let tok = c.read(UInt32.self), let h = c.read(UInt64.self) else { return nil }
        token = tok; hostTimeMicros = h
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 12)
        w.write(token); w.write(hostTimeMicros)
        return w.bytes
    }
}

/// PONG (0x06): reply to PING with the device's receive and send times. Firmware-Protocol/PROTOCOL.md 3.6.
public struct Pong: Equatable, Sendable {
    public var token: UInt32
    public var hostTimeMicros: UInt64
    public var deviceRxMicros: UInt64
    public var deviceTxMicros: UInt64

    public init(token: UInt32, hostTimeMicros: UInt64, deviceRxMicros: UInt64, deviceTxMicros: UInt64) {
        self.token = token; self.hostTimeMicros = hostTimeMicros
        self.deviceRxMicros = deviceRxMicros; self.deviceTxMicros = deviceTxMicros
    }

    public init?(payload: UnsafeRawBufferPointer) {
        var c = ByteCursor(payload)
        guard let tok = c.read(UInt32.self), let h = c.read(UInt64.self), let rx = c.read(UInt64.self),
              let tx = c.read(UInt64.self) else { return nil }
        token = tok; hostTimeMicros = h; deviceRxMicros = rx; deviceTxMicros = tx
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 28)
        w.write(token); w.write(hostTimeMicros); w.write(deviceRxMicros); w.write(deviceTxMicros)
        return w.bytes
    }
}

/// ACK (0x07): the device's answer to START, STOP and CONFIGURE. Firmware-Protocol/PROTOCOL.md 3.7.
public struct Ack: Equatable, Sendable {
    public enum Result: UInt8, Sendable { case ok = 0, unsupported = 1, invalidArgument = 2, busy = 3 }
    public var commandType: UInt8
    public var result: UInt8
    public var commandSeq: UInt16

    public init(commandType: UInt8, result: UInt8, commandSeq: UInt16) {
        self.commandType = commandType; self.result = result; self.commandSeq = commandSeq
    }

    public init?(payload: UnsafeRawBufferPointer) {
        var c = ByteCursor(payload)
        guard let t = c.read(UInt8.self), let r = c.read(UInt8.self), let s = c.read(UInt16.self) else { return nil }
        commandType = t; result = r; commandSeq = s
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 4)
        w.write(commandType); w.write(result); w.write(commandSeq)
        return w.bytes
    }
}

/// CONFIGURE (0x84, host → device): 0 keeps a setting; gyroRangeDps 0xFFFF disables the gyroscope.
public struct Configure: Equatable, Sendable {
    public var imuRateHz: UInt16 = 0
    public var accRangeG: UInt16 = 0
    public var gyroRangeDps: UInt16 = 0
    public var audioRateHz: UInt32 = 0

    public init(imuRateHz: UInt16 = 0, accRangeG: UInt16 = 0, gyroRangeDps: UInt16 = 0, audioRateHz: UInt32 = 0) {
        self.imuRateHz = imuRateHz; self.accRangeG = accRangeG
        self.gyroRangeDps = gyroRangeDps; self.audioRateHz = audioRateHz
    }

    public init?(payload: UnsafeRawBufferPointer) {
        var c = ByteCursor(payload)
        guard let i = c.read(UInt16.self), let a = c.read(UInt16.self), let g = c.read(UInt16.self),
              let au = c.read(UInt32.self) else { return nil }
        imuRateHz = i; accRangeG = a; gyroRangeDps = g; audioRateHz = au
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 10)
        w.write(imuRateHz); w.write(accRangeG); w.write(gyroRangeDps); w.write(audioRateHz)
        return w.bytes
    }
}

extension Array where Element == UInt8 {
    /// Parses a payload type from an owned byte array.
    public func parse<T>(_ f: (UnsafeRawBufferPointer) -> T?) -> T? { withUnsafeBytes { f($0) } }
}
