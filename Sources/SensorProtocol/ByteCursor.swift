/// Bounds-checked little-endian reader over an untrusted payload. Every read returns nil past the end instead of
/// trapping: device and file bytes are untrusted and must never crash the host.
public struct ByteCursor {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var offset: Int

    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var remaining: Int { bytes.count - offset }

    @inline(__always)
    public mutating func read<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { return nil }
        let v = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return v
    }

    /// A u8-length-prefixed UTF-8 string (DEVICE_INFO). Invalid UTF-8 is repaired, not rejected.
    public mutating func readShortString() -> String? {
        guard let n = read(UInt8.self), offset + Int(n) <= bytes.count else { return nil }
        let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(n)]), as: UTF8.self)
        offset += Int(n)
        return s
    }

    public mutating func skip(_ n: Int) -> Bool {
        guard n >= 0, offset + n <= bytes.count else { return false }
        offset += n
        return true
    }
}

/// Little-endian appender used by the payload encoders.
public struct ByteWriter {
    public var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    public mutating func write<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a u8 length then the UTF-8 bytes, cut to 255 bytes at a character boundary.
    public mutating func writeShortString(_ s: String) {
        var utf8 = Array(s.utf8)
        if utf8.count > 255 {
            var cut = 255
            while cut > 0 && (utf8[cut] & 0xC0) == 0x80 { cut -= 1 }
            utf8 = Array(utf8[0..<cut])
        }
        bytes.append(UInt8(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
