/// CRC-32/ISO-HDLC (the zlib/Ethernet CRC: reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF),
/// the checksum of every protocol frame and every recording record.
///
/// Why slicing-by-8 (Intel, Kounavis & Berry 2005): the decoder must sustain ≥ 300 MB/s of wire bytes and the CRC is
/// the only pass over the payload besides the COBS copy; eight table look-ups per 8 bytes run several times faster
/// than the byte-at-a-time form while staying portable (no CPU intrinsics).
public enum CRC32 {
    /// 8 × 256 tables, computed once. Table 0 is the classic byte-wise table.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (0xEDB8_8320 ^ (c >> 1)) : (c >> 1) }
            t[i] = c
        }
        for i in 0..<256 {
            var c = t[i]
            for k in 1..<8 {
                c = t[Int(c & 0xFF)] ^ (c >> 8)
                t[k * 256 + i] = c
            }
        }
        return t
    }()

    /// CRC of a whole buffer.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0xFFFF_FFFF, bytes) ^ 0xFFFF_FFFF
    }

    /// CRC of a byte array (convenience for tests and small records).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues a running CRC register (not yet final-XORed). Start from 0xFFFFFFFF, XOR 0xFFFFFFFF at the end.
    public static func update(_ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        tables.withUnsafeBufferPointer { t in updateWith(t, register, bytes) }
    }

    static func updateWith(_ t: UnsafeBufferPointer<UInt32>, _ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = register
        guard var p = bytes.baseAddress else { return crc }
        var n = bytes.count
        while n >= 8 {
            let lo = p.loadUnaligned(as: UInt32.self).littleEndian ^ crc
            let hi = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
            crc = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
            p += 8
            n -= 8
        }
        while n > 0 {
            crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
            p += 1
            n -= 1
        }
        return crc
    }
}
