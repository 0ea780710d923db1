#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming frame decoder: feed byte chunks of any size, receive every good frame through a callback.
///
/// COBS is undone incrementally while bytes arrive (one pass, no re-scan at the delimiter), runs of data bytes are
/// copied with `memchr`/`memcpy`, and the CRC uses slicing-by-16. The only buffer is allocated once at `init`, so the
/// steady state allocates nothing per frame. Garbage, bit errors and cut-off frames cost at most the frames they hit:
/// the decoder resynchronises at the next 0x00 delimiter. Counting rules: Firmware-Protocol/PROTOCOL.md section 1.2.
public final class FrameDecoder {
    public private(set) var counters = DecoderCounters()

    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity = ProtocolLimits.maxEncoded
    /// Decoded bytes of the frame being collected.
    private var decodedCount = 0
    /// Encoded (wire) bytes of the current collection.
    private var encodedCount = 0
    /// Data bytes still expected in the current COBS block; 0 means the next byte is a code byte.
    private var codeRemaining = 0
    /// The current block ends with an implicit zero (its code was < 0xFF), written when the next block starts.
    private var zeroPending = false
    /// Dropping an oversize run until the next delimiter.
    private var discarding = false
    private var expectedSeq: UInt16?

    public init() {
        // `wordCopySlack` more than a frame can fill: the word copy of a short block may write past its end.
        buffer = .allocate(capacity: ProtocolLimits.maxEncoded + Self.wordCopySlack)
    }

    deinit { buffer.deallocate() }

    /// Feeds bytes; calls `onFrame` for each good frame, in order, with a view valid only during the call.
    ///
    /// Why the collection state lives in locals here: quiet int16 audio is full of 0x00 bytes, so its COBS blocks
    /// are a few bytes long and the per-block cost dominates. Kept in stored properties, every block reloaded and
    /// stored them around the opaque `memchr`/`memcpy` calls; in locals they stay in registers, and blocks of up to
    /// `shortRun` bytes are copied by a byte loop instead of two library calls. The locals are written back before
    /// anything else reads the state (end of a frame, oversize, return). Same frames, counters and resync points.
    public func feed(_ bytes: UnsafeRawBufferPointer, _ onFrame: (FrameView) throws -> Void) rethrows {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let n = bytes.count
        counters.bytes += n
        let out = buffer
        let cap = capacity
        let shortRun = 16
        var decoded = decodedCount, encoded = encodedCount, remaining = codeRemaining, pending = zeroPending
        var i = 0
        while i < n {
            if discarding {
                let rest = n - i
                if let z = memchr(base + i, 0, rest) {
                    let run = UnsafeRawPointer(z) - UnsafeRawPointer(base + i)
                    counters.discardedBytes += run
                    i += run + 1
                    discarding = false
                    decoded = 0; encoded = 0; remaining = 0; pending = false
                } else {
                    counters.discardedBytes += rest
                    i = n
                }
                continue
            }
            let b = base[i]
            if b == 0 {
                i += 1
                decodedCount = decoded; encodedCount = encoded; codeRemaining = remaining; zeroPending = pending
                decoded = 0; encoded = 0; remaining = 0; pending = false
                // Clears the stored collection before handing the frame out (so also when `onFrame` throws).
                try endCollection(onFrame)
                continue
            }
            if remaining == 0 {
                // Code byte: starts a block of b−1 data bytes.
                if encoded == cap {
                    decodedCount = decoded; encodedCount = encoded; codeRemaining = remaining; zeroPending = pending
                    beginOversize()
                    decoded = 0; encoded = 0; remaining = 0; pending = false
                    continue
                }
                encoded += 1
                if pending {
                    out[decoded] = 0
                    decoded += 1
                }
                remaining = Int(b) - 1
                pending = b != 0xFF
                i += 1
            } else {
                // Data bytes: copy the longest run that is inside this block, inside the input and free of 0x00.
                let want = min(remaining, n - i)
                var run = 0
                if want <= shortRun && encoded + want <= cap {
                    // decoded ≤ encoded, so decoded + want ≤ cap: the byte loop stays inside the buffer, and the
                    // run cannot tip the frame over the size limit.
                    let src = base + i, dst = out + decoded
                    if n - i >= 16 {
                        // Two words copied whole, the run cut at the first 0x00 among them (or the block's end):
                        // no per-byte loop whose exit mispredicts at every block. Bytes copied past the run sit
                        // past `decoded`, inside the slack, and are overwritten or never read.
                        let r = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
                        let w0 = r.loadUnaligned(as: UInt64.self)
                        let w1 = r.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                        d.storeBytes(of: w0, as: UInt64.self)
                        d.storeBytes(of: w1, toByteOffset: 8, as: UInt64.self)
                        run = min(want, Self.firstZeroByte(w0, w1))
                    } else {
                        while run < want {
                            let c = src[run]
                            if c == 0 { break }
                            dst[run] = c
                            run += 1
                        }
                    }
                } else {
                    if let z = memchr(base + i, 0, want) {
                        run = UnsafeRawPointer(z) - UnsafeRawPointer(base + i)
                    } else {
                        run = want
                    }
                    if encoded + run > cap {
                        // Take what fits, then the next byte tips it over.
                        decodedCount = decoded; encodedCount = encoded; codeRemaining = remaining; zeroPending = pending
                        beginOversize()
                        decoded = 0; encoded = 0; remaining = 0; pending = false
                        continue
                    }
                    (out + decoded).update(from: base + i, count: run)
                }
                decoded += run
                encoded += run
                remaining -= run
                i += run
            }
        }
        decodedCount = decoded; encodedCount = encoded; codeRemaining = remaining; zeroPending = pending
    }

    /// Bytes allocated past the largest frame for the word copy of short blocks (it writes 16 bytes from `decoded`,
    /// which is at most the frame limit).
    static let wordCopySlack = 16

    /// Index (0–16) of the first 0x00 byte in the 16 bytes `w0` then `w1` hold in memory order; 16 when none.
    /// `(x − 0x01…01) & ~x & 0x80…80` flags every zero byte exactly up to the first one (a borrow can only flag bytes
    /// after it), so its lowest flagged byte is the first zero.
    @inline(__always) static func firstZeroByte(_ w0: UInt64, _ w1: UInt64) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let a = UInt64(littleEndian: w0), b = UInt64(littleEndian: w1)
        let z0 = (a &- ones) & ~a & highs
        if z0 != 0 { return z0.trailingZeroBitCount >> 3 }
        let z1 = (b &- ones) & ~b & highs
        return z1 != 0 ? 8 + (z1.trailingZeroBitCount >> 3) : 16
    }

    /// Convenience for arrays.
    public func feed(_ bytes: [UInt8], _ onFrame: (FrameView) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try feed($0, onFrame) }
    }

    /// End of input: a partial frame left over counts as truncated.
    public func finish() {
        if encodedCount > 0 && !discarding {
            counters.truncated += 1
            counters.discardedBytes += encodedCount
        }
        discarding = false
        clearCollection()
    }

    /// The link was reset (unplug, reconnect): drop a partial frame as truncated and forget the sequence
    /// expectation, so a restarted device is not reported as lost frames.
    public func resetLink() {
        finish()
        expectedSeq = nil
    }

    private func beginOversize() {
        counters.oversize += 1
        counters.discardedBytes += encodedCount
        discarding = true
        clearCollection()
    }

    @inline(__always)
    private func clearCollection() {
        decodedCount = 0
        encodedCount = 0
        codeRemaining = 0
        zeroPending = false
    }

    private func endCollection(_ onFrame: (FrameView) throws -> Void) rethrows {
        let encoded = encodedCount
        guard encoded > 0 else { return }
        let size = decodedCount
        let blockCut = codeRemaining != 0
        clearCollection()
        guard !blockCut, size >= ProtocolLimits.overhead else {
            counters.malformed += 1
            counters.discardedBytes += encoded
            return
        }
        let raw = UnsafeRawPointer(buffer)
        let length = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
        guard length == size - ProtocolLimits.overhead, length <= ProtocolLimits.maxPayload else {
            counters.malformed += 1
            counters.discardedBytes += encoded
            return
        }
        let stored = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: size - 4, as: UInt32.self))
        guard CRC32.checksum(UnsafeRawBufferPointer(start: raw, count: size - 4)) == stored else {
            counters.crcErrors += 1
            counters.discardedBytes += encoded
            return
        }
        guard buffer[0] == ProtocolLimits.version else {
            counters.badVersion += 1
            counters.discardedBytes += encoded
            return
        }
        counters.frames += 1
        let type = buffer[1]
        if FrameType(rawValue: type) == nil { counters.unknownType += 1 }
        let seq = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        if let expected = expectedSeq, seq != expected {
            let d = Int(seq &- expected)
            if d < 32768 {
                counters.seqGaps += 1
                counters.lostFrames += d
            } else {
                counters.seqRestarts += 1
            }
        }
        expectedSeq = seq &+ 1
        try onFrame(FrameView(type: type, seq: seq,
                              payload: UnsafeRawBufferPointer(start: raw + ProtocolLimits.headerSize, count: length)))
    }
}

extension FrameDecoder {
    /// Decodes a whole byte array into owned frames (tests, small tools). Calls `finish()`.
    public static func decodeAll(_ bytes: [UInt8]) -> (frames: [Frame], counters: DecoderCounters) {
        let d = FrameDecoder()
        var frames: [Frame] = []
        d.feed(bytes) { frames.append($0.copy()) }
        d.finish()
        return (frames, d.counters)
    }
}
