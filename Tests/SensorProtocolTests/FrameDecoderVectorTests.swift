import XCTest
@testable import SensorProtocol
import TestSupport

/// Every shared vector through the Swift decoder, fed three ways (swift-nio's ByteToMessageDecoderVerifier idea):
/// all at once, one byte at a time, and in random chunks. Frames and every counter must match the manifest.
final class FrameDecoderVectorTests: XCTestCase {
    func testManifestIsComplete() {
        XCTAssertGreaterThanOrEqual(TestVector.all.count, 25, "vectors missing: run Firmware-Protocol/vectors/make_vectors.py")
        for v in TestVector.all { XCTAssertFalse(v.bytes.isEmpty, "\(v.file) is empty or missing") }
        // The corrupted cases are really there.
        let names = Set(TestVector.all.map(\.file))
        for n in ["garbage.bin", "crc_error.bin", "seq_gap.bin", "truncated.bin", "oversize.bin", "malformed_cobs.bin"] {
            XCTAssertTrue(names.contains(n), n)
        }
    }

    func testAllAtOnce() {
        for v in TestVector.all {
            let (frames, counters) = FrameDecoder.decodeAll(v.bytes)
            XCTAssertEqual(frames, v.frames, v.file)
            XCTAssertEqual(protocolCounters(counters), v.counters, v.file)
            XCTAssertEqual(counters.bytes, v.bytes.count, v.file)
        }
    }

    /// What the decoder produces, as the verifier compares it: each frame, then the counters at the end.
    enum Produced: Equatable { case frame(Frame), counters(DecoderCounters) }

    static func decoderUnderTest() -> StreamConsumer<UInt8, Produced> {
        let d = FrameDecoder()
        return StreamConsumer(
            feed: { chunk in
                var out: [Produced] = []
                chunk.withUnsafeBytes { d.feed($0) { out.append(.frame($0.copy())) } }
                return out
            },
            finish: { d.finish(); return [.counters(protocolCounters(d.counters))] })
    }

    /// Every vector whole, one byte at a time with junk bytes around each, and in random chunks of up to 300 bytes:
    /// the same frames and counters as the manifest every time.
    func testChunkInvariance() {
        var verifier = ChunkInvarianceVerifier<UInt8, Produced>(junk: 0x00, maxChunk: 300)
        verifier.randomRuns = 20
        for v in TestVector.all {
            verifier.verify(v.bytes, expected: v.frames.map(Produced.frame) + [.counters(v.counters)], v.file,
                            make: Self.decoderUnderTest)
        }
    }

    /// Re-encoding each good frame with the Swift encoder reproduces the vector's bytes (canonical vectors).
    func testEncoderReproducesCanonicalVectors() {
        var checked = 0
        for v in TestVector.all where v.canonical && v.counters.resyncs == 0 && v.counters.unknownType == 0 {
            var out: [UInt8] = []
            for f in v.frames {
                var e = FrameEncoder(startSeq: f.seq)
                e.encode(type: f.type, payload: f.payload, into: &out)
            }
            // Vectors may start with the optional 0x00 banner or contain empty frames: compare without them.
            XCTAssertEqual(out.split(separator: 0).map(Array.init), v.bytes.split(separator: 0).map(Array.init), v.file)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 10)
    }

    func testCRCCheckValue() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        // Slicing-by-16 (with its 8-byte and byte tails) and the byte loop agree at every length and alignment.
        var rng = SystemRandomNumberGenerator()
        let data = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for start in 0..<9 {
            for len in [0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 31, 33, 63, 64, 65, 500] where start + len <= data.count {
                let slice = Array(data[start..<start + len])
                var crc: UInt32 = 0xFFFF_FFFF
                for b in slice { crc = CRC32.tables[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
                XCTAssertEqual(CRC32.checksum(slice), crc ^ 0xFFFF_FFFF)
            }
        }
    }
}
