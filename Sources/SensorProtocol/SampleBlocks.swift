/// Header of an IMU_BLOCK (0x02), Firmware-Protocol/PROTOCOL.md 3.2. The samples stay in the payload; read them with `sample`.
public struct IMUBlockHeader: Equatable, Sendable {
    public static let size = 16
    public var tFirstMicros: UInt64
    public var firstIndex: UInt32
    public var count: Int
    /// 3 (accelerometer) or 6 (accelerometer then gyroscope).
    public var channels: Int

    public init(tFirstMicros: UInt64, firstIndex: UInt32, count: Int, channels: Int) {
        self.tFirstMicros = tFirstMicros
        self.firstIndex = firstIndex
        self.count = count
        self.channels = channels
    }

    /// Validates the header against the payload size: a frame that passed its CRC can still be nonsense.
    public init?(payload: UnsafeRawBufferPointer) {
        var c = ByteCursor(payload)
        guard let t = c.read(UInt64.self), let idx = c.read(UInt32.self), let n = c.read(UInt16.self),
              let ch = c.read(UInt8.self), c.skip(1),
              n >= 1, ch == 3 || ch == 6,
              payload.count >= Self.size + Int(n) * Int(ch) * 2
        else { return nil }
        tFirstMicros = t; firstIndex = idx; count = Int(n); channels = Int(ch)
    }

    public var hasGyroscope: Bool { channels == 6 }

    /// Raw count of `channel` (0–2 acc x,y,z; 3–5 gyro x,y,z) of sample `i`. Caller guarantees the indices.
    @inline(__always)
    public func sample(_ i: Int, channel: Int, in payload: UnsafeRawBufferPointer) -> Int16 {
        Int16(littleEndian: payload.loadUnaligned(fromByteOffset: Self.size + (i * channels + channel) * 2,
                                                  as: Int16.self))
    }

    /// Builds a payload from interleaved raw samples (count × channels values).
    public static func encode(tFirstMicros: UInt64, firstIndex: UInt32, channels: Int, samples: [Int16]) -> [UInt8] {
        precondition((channels == 3 || channels == 6) && samples.count % channels == 0)
        var w = ByteWriter(capacity: size + samples.count * 2)
        w.write(tFirstMicros); w.write(firstIndex); w.write(UInt16(samples.count / channels))
        w.write(UInt8(channels)); w.write(UInt8(0))
        for s in samples { w.write(s) }
        return w.bytes
    }
}

/// Header of an AUDIO_BLOCK (0x03), Firmware-Protocol/PROTOCOL.md 3.3.
public struct AudioBlockHeader: Equatable, Sendable {
    public static let size = 16
    public var tFirstMicros: UInt64
    public var firstIndex: UInt32
    public var count: Int
    /// 1 = PCM int16.
    public var format: UInt8

    public init(tFirstMicros: UInt64, firstIndex: UInt32, count: Int, format: UInt8 = 1) {
        self.tFirstMicros = tFirstMicros
        self.firstIndex = firstIndex
        self.count = count
        self.format = format
    }

    public init?(payload: UnsafeRawBufferPointer) {
        var c = ByteCursor(payload)
        guard let t = c.read(UInt64.self), let idx = c.read(UInt32.self), let n = c.read(UInt16.self),
              let fmt = c.read(UInt8.self), c.skip(1),
              n >= 1, fmt == 1, payload.count >= Self.size + Int(n) * 2
        else { return nil }
        tFirstMicros = t; firstIndex = idx; count = Int(n); format = fmt
    }

    @inline(__always)
    public func sample(_ i: Int, in payload: UnsafeRawBufferPointer) -> Int16 {
        Int16(littleEndian: payload.loadUnaligned(fromByteOffset: Self.size + i * 2, as: Int16.self))
    }

    public static func encode(tFirstMicros: UInt64, firstIndex: UInt32, samples: UnsafeBufferPointer<Int16>) -> [UInt8] {
        var w = ByteWriter(capacity: size + samples.count * 2)
        w.write(tFirstMicros); w.write(firstIndex); w.write(UInt16(samples.count)); w.write(UInt8(1)); w.write(UInt8(0))
        for s in samples { w.write(s) }
        return w.bytes
    }

    public static func encode(tFirstMicros: UInt64, firstIndex: UInt32, samples: [Int16]) -> [UInt8] {
        samples.withUnsafeBufferPointer { encode(tFirstMicros: tFirstMicros, firstIndex: firstIndex, samples: $0) }
    }
}
