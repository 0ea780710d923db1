/// COBS encoding (Cheshire & Baker, "Consistent Overhead Byte Stuffing", 1999): removes every 0x00 from a frame at
/// a cost of at most one byte per 254, so 0x00 can delimit frames and a receiver resynchronises by itself.
public enum COBS {
    /// Appends the COBS encoding of `raw` to `out` (no delimiter).
    public static func encode(_ raw: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var codeIndex = out.count
        out.append(0) // placeholder for the first code byte
        var code: UInt8 = 1
        var closedFull = false
        for b in raw {
            closedFull = false
            if b == 0 {
                out[codeIndex] = code
                codeIndex = out.count
                out.append(0)
                code = 1
            } else {
                out.append(b)
                code += 1
                if code == 0xFF {
                    out[codeIndex] = code
                    codeIndex = out.count
                    out.append(0)
                    code = 1
                    closedFull = true
                }
            }
        }
        // Data that ends with a full 254-byte block needs no final empty block: the canonical (shortest) form,
        // as in Cheshire & Baker's reference encoder and the C reference.
        if closedFull { out.removeLast() } else { out[codeIndex] = code }
    }

    /// Decodes one COBS block sequence (no delimiter inside); nil if it is malformed.
    public static func decode(_ encoded: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count)
        var i = 0
        while i < encoded.count {
            let code = Int(encoded[i])
            guard code != 0, i + code <= encoded.count else { return nil }
            for k in 1..<code {
                guard encoded[i + k] != 0 else { return nil }
                out.append(encoded[i + k])
            }
            i += code
            if code != 0xFF && i < encoded.count { out.append(0) }
        }
        return out
    }
}

/// Builds wire frames: header, payload, CRC-32, COBS, delimiter. Keeps the sender's running sequence number.
public struct FrameEncoder {
    /// Sequence number the next frame gets.
    public var nextSeq: UInt16
    private var raw: [UInt8] = []

    public init(startSeq: UInt16 = 0) {
        nextSeq = startSeq
        raw.reserveCapacity(ProtocolLimits.maxRaw)
    }

    /// Appends one encoded frame plus its 0x00 delimiter to `out`; returns the sequence number used.
    /// Precondition: payload ≤ 2048 bytes (a programming error otherwise: callers build payloads).
    @discardableResult
    public mutating func encode(type: UInt8, payload: UnsafeRawBufferPointer, into out: inout [UInt8]) -> UInt16 {
        precondition(payload.count <= ProtocolLimits.maxPayload, "payload of \(payload.count) bytes exceeds 2048")
        let seq = nextSeq
        nextSeq &+= 1
        raw.removeAll(keepingCapacity: true)
        raw.append(ProtocolLimits.version)
        raw.append(type)
        raw.append(UInt8(truncatingIfNeeded: seq))
        raw.append(UInt8(truncatingIfNeeded: seq >> 8))
        raw.append(UInt8(truncatingIfNeeded: payload.count))
        raw.append(UInt8(truncatingIfNeeded: payload.count >> 8))
        raw.append(contentsOf: payload)
        let crc = raw.withUnsafeBytes { CRC32.checksum($0) }
        withUnsafeBytes(of: crc.littleEndian) { raw.append(contentsOf: $0) }
        raw.withUnsafeBytes { COBS.encode($0, into: &out) }
        out.append(0)
        return seq
    }

    @discardableResult
    public mutating func encode(type: UInt8, payload: [UInt8], into out: inout [UInt8]) -> UInt16 {
        payload.withUnsafeBytes { encode(type: type, payload: $0, into: &out) }
    }

    @discardableResult
    public mutating func encode(_ type: FrameType, payload: [UInt8] = [], into out: inout [UInt8]) -> UInt16 {
        encode(type: type.rawValue, payload: payload, into: &out)
    }

    /// One encoded frame as a new array.
    public mutating func frame(_ type: FrameType, payload: [UInt8] = []) -> [UInt8] {
        var out: [UInt8] = []
        encode(type, payload: payload, into: &out)
        return out
    }
}
