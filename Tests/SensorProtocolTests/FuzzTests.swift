import XCTest
@testable import SensorProtocol

/// Seeded fuzzing of the decoder: arbitrary bytes never crash or hang, a corrupted stream yields every frame the
/// corruption did not touch, and the Swift and C decoders agree on frames and counters for any input.
final class FuzzTests: XCTestCase {
    struct Rng: RandomNumberGenerator {
        var s: UInt64
        mutating func next() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A random but valid frame stream; returns the stream, the frames and each frame's byte range (incl. delimiter).
    func makeStream(_ rng: inout Rng, frames n: Int) -> ([UInt8], [Frame], [Range<Int>]) {
        var enc = FrameEncoder(startSeq: UInt16.random(in: 0...UInt16.max, using: &rng))
        var out: [UInt8] = []
        var frames: [Frame] = []
        var ranges: [Range<Int>] = []
        let types: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 0x42]
        for _ in 0..<n {
            let len = Bool.random(using: &rng) ? Int.random(in: 0...40, using: &rng)
                                               : Int.random(in: 0...ProtocolLimits.maxPayload, using: &rng)
            // Many zeros and 0xFF: the COBS corner cases.
            let payload = (0..<len).map { _ -> UInt8 in
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: 0
                case 1: 0xFF
                default: UInt8.random(in: 0...255, using: &rng)
                }
            }
            let type = types.randomElement(using: &rng)!
            let start = out.count
            let seq = enc.encode(type: type, payload: payload, into: &out)
            frames.append(Frame(type: type, seq: seq, payload: payload))
            ranges.append(start..<out.count)
        }
        return (out, frames, ranges)
    }

    func testArbitraryBytesNeverCrashAndCountersStayConsistent() {
        var rng = Rng(s: 42)
        for round in 0..<300 {
            let n = Int.random(in: 0...20_000, using: &rng)
            let zeroBias = round % 3 == 0 ? 64 : 256
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: Int.random(in: 0..<zeroBias, using: &rng)) }
            let d = FrameDecoder()
            var i = 0
            while i < bytes.count {
                let k = min(Int.random(in: 1...4096, using: &rng), bytes.count - i)
                d.feed(Array(bytes[i..<i + k])) { f in XCTAssertLessThanOrEqual(f.payload.count, 2048) }
                i += k
            }
            d.finish()
            let c = d.counters
            XCTAssertEqual(c.bytes, n)
            XCTAssertLessThanOrEqual(c.discardedBytes, n)
            XCTAssertGreaterThanOrEqual(c.frames, c.unknownType)
        }
    }

    func testCorruptionCostsOnlyTheFramesItHits() {
        var rng = Rng(s: 7)
        for _ in 0..<60 {
            let (clean, frames, ranges) = makeStream(&rng, frames: 80)
            var hit = Set<Int>()
            // Edits: (position, kind) applied from the end so earlier positions stay valid.
            var edits: [(Int, Int)] = []
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                edits.append((Int.random(in: 0..<clean.count, using: &rng), Int.random(in: 0..<3, using: &rng)))
            }
            edits.sort { $0.0 > $1.0 }
            var bytes = clean
            for (p, kind) in edits {
                let k = ranges.firstIndex { $0.contains(p) }!
                hit.insert(k)
                if p == ranges[k].upperBound - 1 && kind != 1 && k + 1 < frames.count { hit.insert(k + 1) }
                switch kind {
                case 0: bytes[p] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng)) // bit flip
                case 1: bytes.insert(contentsOf: (0..<Int.random(in: 1...30, using: &rng)).map { _ in
                            UInt8.random(in: 1...255, using: &rng) }, at: p) // garbage before byte p
                default: bytes.remove(at: p) // lost byte
                }
            }
            let expected = frames.enumerated().filter { !hit.contains($0.offset) }.map(\.element)
            let (got, _) = FrameDecoder.decodeAll(bytes)
            // Every untouched frame arrives, in order; nothing arrives that was not sent.
            var gi = 0
            for f in expected {
                while gi < got.count && got[gi] != f {
                    XCTAssertTrue(frames.contains(got[gi]), "decoder invented a frame")
                    gi += 1
                }
                XCTAssertLessThan(gi, got.count, "an untouched frame was lost")
                gi += 1
            }
        }
    }

    func testSwiftAndCDecodersAgreeOnAnyInput() {
        var rng = Rng(s: 2026)
        for round in 0..<150 {
            var (bytes, _, _) = makeStream(&rng, frames: 30)
            // Corrupt some rounds heavily, including oversize runs and truncation.
            if round % 2 == 1 {
                for _ in 0..<Int.random(in: 1...40, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            if round % 5 == 0 {
                bytes.insert(contentsOf: [UInt8](repeating: 0x55, count: 2100 + round), at: bytes.count / 2)
            }
            if round % 7 == 0 { bytes.removeLast(Int.random(in: 1...100, using: &rng)) }
            let (swift, swiftFrames, c) = decodeBoth(bytes, maxChunk: 700, using: &rng)
            XCTAssertEqual(swiftFrames, c.frames, "round \(round)")
            XCTAssertEqual(protocolCounters(swift.counters), c.counters, "round \(round)")
        }
    }

    /// Feeds `bytes` to the Swift decoder and the C reference in the same ragged chunks (1…`maxChunk` bytes) and
    /// finishes both: chunk boundaries must never change what either decodes.
    private func decodeBoth(_ bytes: [UInt8], maxChunk: Int, using rng: inout Rng)
        -> (FrameDecoder, [Frame], ReferenceDecoder) {
        let swift = FrameDecoder()
        var swiftFrames: [Frame] = []
        let c = ReferenceDecoder()
        var i = 0
        while i < bytes.count {
            let k = min(Int.random(in: 1...maxChunk, using: &rng), bytes.count - i)
            let chunk = Array(bytes[i..<i + k])
            swift.feed(chunk) { swiftFrames.append($0.copy()) }
            c.feed(chunk)
            i += k
        }
        swift.finish()
        c.finish()
        return (swift, swiftFrames, c)
    }

    /// The decoder copies COBS blocks of up to 16 bytes by a byte loop and longer ones with memchr/memcpy: a run of
    /// short and long blocks that crosses the frame size limit at every offset, framed by good frames and fed in
    /// ragged chunks, must give the C reference's frames and counters, and the good frame after it must survive.
    func testShortAndLongCOBSBlocksAcrossTheSizeLimitMatchTheReference() {
        var rng = Rng(s: 77)
        var enc = FrameEncoder(startSeq: 1)
        var oversized = 0, underLimit = 0
        for blockLen in [2, 3, 5, 16, 17, 18, 40, 255] {
            for extra in 0..<(2 * blockLen) {
                var bytes: [UInt8] = []
                _ = enc.encode(type: 3, payload: (0..<300).map { UInt8($0 % 7) }, into: &bytes)
                // A delimiter-free run of blocks of `blockLen` wire bytes (code byte + data), ending from a block
                // below the limit to a block past it.
                var junk: [UInt8] = []
                while junk.count < ProtocolLimits.maxEncoded + 2 * blockLen {
                    junk.append(UInt8(blockLen))
                    junk += (1..<blockLen).map { _ in UInt8.random(in: 1...255, using: &rng) }
                }
                bytes += junk[0..<(ProtocolLimits.maxEncoded - blockLen + 1 + extra)]
                bytes.append(0)
                _ = enc.encode(type: 2, payload: (0..<64).map { UInt8(($0 * 37) % 256) }, into: &bytes)
                let (swift, swiftFrames, c) = decodeBoth(bytes, maxChunk: 40, using: &rng)
                XCTAssertEqual(swiftFrames, c.frames, "blocks of \(blockLen), extra \(extra)")
                XCTAssertEqual(protocolCounters(swift.counters), c.counters, "blocks of \(blockLen), extra \(extra)")
                XCTAssertEqual(swiftFrames.map(\.type), [3, 2], "blocks of \(blockLen), extra \(extra)")
                if swift.counters.oversize > 0 { oversized += 1 } else { underLimit += 1 }
            }
        }
        // Both sides of the limit were met, for every block length.
        XCTAssertGreaterThanOrEqual(oversized, 8)
        XCTAssertGreaterThanOrEqual(underLimit, 8)
    }

    /// Quiet int16 audio: payloads mostly 0x00 with short runs of other bytes, so nearly every COBS block is 1–16
    /// bytes and is copied by the two-word path (16 bytes at once, cut at the first 0x00). Frames up to the largest
    /// payload, so the word copy of the last blocks writes into the buffer's slack; fed whole (the word path
    /// throughout), in ragged chunks and byte by byte (the byte loop): the C reference's frames and counters each time.
    func testMostlyZeroPayloadsDecodeAsTheReferenceWhateverTheChunking() {
        var rng = Rng(s: 4242)
        var enc = FrameEncoder(startSeq: 9)
        var bytes: [UInt8] = []
        for k in 0..<60 {
            let len = k % 6 == 0 ? ProtocolLimits.maxPayload : Int.random(in: 0...ProtocolLimits.maxPayload, using: &rng)
            var payload = [UInt8](repeating: 0, count: len)
            var i = 0
            while i < len {
                // A run of 0–20 nonzero bytes, then 1–3 zeros.
                let run = Int.random(in: 0...20, using: &rng)
                for j in i..<min(len, i + run) { payload[j] = UInt8.random(in: 1...255, using: &rng) }
                i += run + Int.random(in: 1...3, using: &rng)
            }
            _ = enc.encode(type: UInt8(1 + k % 3), payload: payload, into: &bytes)
            if k % 10 == 9 { // a damaged frame now and then (never a new delimiter)
                bytes[bytes.count - 5] = bytes[bytes.count - 5] == 0x40 ? 0x41 : bytes[bytes.count - 5] ^ 0x40
            }
        }
        for maxChunk in [bytes.count, 300, 17, 1] {
            let (swift, swiftFrames, c) = decodeBoth(bytes, maxChunk: maxChunk, using: &rng)
            XCTAssertEqual(swiftFrames, c.frames, "chunks of up to \(maxChunk) bytes")
            XCTAssertEqual(protocolCounters(swift.counters), c.counters, "chunks of up to \(maxChunk) bytes")
            XCTAssertEqual(swiftFrames.count, 54, "chunks of up to \(maxChunk) bytes")
            XCTAssertEqual(swift.counters.crcErrors + swift.counters.malformed, 6, "chunks of up to \(maxChunk) bytes")
        }
    }

    func testSwiftAndCEncodersProduceIdenticalBytes() {
        var rng = Rng(s: 99)
        for _ in 0..<200 {
            let len = Int.random(in: 0...ProtocolLimits.maxPayload, using: &rng)
            let payload = (0..<len).map { _ in UInt8.random(in: 0...3, using: &rng) == 0 ? 0 : UInt8.random(in: 0...255, using: &rng) }
            let type = UInt8.random(in: 1...255, using: &rng)
            let seq = UInt16.random(in: 0...UInt16.max, using: &rng)
            var e = FrameEncoder(startSeq: seq)
            var mine: [UInt8] = []
            e.encode(type: type, payload: payload, into: &mine)
            XCTAssertEqual(mine, ReferenceDecoder.encode(type: type, seq: seq, payload: payload))
            XCTAssertLessThanOrEqual(mine.count, ProtocolLimits.maxEncoded + 1)
        }
    }
}
