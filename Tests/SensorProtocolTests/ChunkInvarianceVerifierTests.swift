import XCTest
import TestSupport

/// The verifier itself must fail on a consumer that depends on chunking; otherwise its passing proves nothing.
/// A line splitter is the smallest stream decoder: the right one buffers a partial line across chunks, the broken
/// ones make the three classic mistakes.
final class ChunkInvarianceVerifierTests: XCTestCase {
    let input = Array("first line\nsecond\n\nthird, the longest line of all\nlast".utf8)
    let lines = ["first line", "second", "", "third, the longest line of all", "last"]

    /// `partial`: what the splitter does with a partial line at the end of a chunk.
    enum Partial { case keep, emit, drop }

    func splitter(_ partial: Partial, flushAtEnd: Bool = true) -> StreamConsumer<UInt8, String> {
        var buffer: [UInt8] = []
        return StreamConsumer(
            feed: { chunk in
                var out: [String] = []
                for b in chunk {
                    if b == UInt8(ascii: "\n") { out.append(String(decoding: buffer, as: UTF8.self)); buffer = [] }
                    else { buffer.append(b) }
                }
                switch partial {
                case .keep: break
                case .emit: if !buffer.isEmpty { out.append(String(decoding: buffer, as: UTF8.self)); buffer = [] }
                case .drop: buffer = []
                }
                return out
            },
            finish: { flushAtEnd && !buffer.isEmpty ? [String(decoding: buffer, as: UTF8.self)] : [] })
    }

    func verifier() -> ChunkInvarianceVerifier<UInt8, String> {
        ChunkInvarianceVerifier(junk: UInt8(ascii: "\n"), maxChunk: 7)
    }

    func testACorrectDecoderPasses() {
        XCTAssertEqual(verifier().failures(input, expected: lines) { splitter(.keep) }.map(\.description), [])
    }

    func testEmittingPartialsIsCaught() {
        let f = verifier().failures(input, expected: lines) { splitter(.emit) }
        // Whole input: correct. Every split mode: a partial line comes out where a whole one belongs.
        XCTAssertEqual(f.count, 1 + verifier().randomRuns, f.map(\.description).joined(separator: "\n"))
        for failure in f {
            guard case .wrongProduction(let mode, _, _, _) = failure else { return XCTFail("\(failure)") }
            XCTAssertNotEqual(mode, .whole)
        }
    }

    func testDroppingPartialsIsCaught() {
        let f = verifier().failures(input, expected: lines) { splitter(.drop) }
        XCTAssertFalse(f.isEmpty)
        XCTAssertTrue(f.contains { if case .wrongProduction(.oneAtATime, _, _, _) = $0 { true } else { false } },
                      f.map(\.description).joined(separator: "\n"))
    }

    func testForgettingTheEndIsCaughtAsUnderProduction() {
        let f = verifier().failures(input, expected: lines) { splitter(.keep, flushAtEnd: false) }
        XCTAssertEqual(f.count, 2 + verifier().randomRuns, "every mode, the whole input included")
        for failure in f {
            guard case .underProduction(_, let missing, let first) = failure else { return XCTFail("\(failure)") }
            XCTAssertEqual(missing, 1)
            XCTAssertEqual(first, "last")
        }
    }

    func testExtraOutputIsCaughtAsOverProduction() {
        let f = verifier().failures(input, expected: Array(lines.dropLast())) { splitter(.keep) }
        XCTAssertFalse(f.isEmpty)
        for failure in f {
            guard case .overProduction(_, let extra, _) = failure else { return XCTFail("\(failure)") }
            XCTAssertEqual(extra, 1)
        }
    }

    func testNoOutputAtAllIsAFailure() {
        let silent = verifier().failures(Array("no newline here".utf8)) {
            StreamConsumer(feed: { _ in [] }, finish: { [] })
        }
        XCTAssertEqual(silent.map(\.description), [ChunkInvarianceFailure.nothingProduced.description])
    }

    func testJunkAroundEachChunkIsInvisibleToACorrectDecoder() {
        var seenStarts = Set<Int>()
        let f = verifier().failures(input, expected: lines) {
            let inner = splitter(.keep)
            return StreamConsumer(feed: { seenStarts.insert($0.startIndex); return inner.feed($0) }, finish: inner.finish)
        }
        XCTAssertTrue(f.isEmpty, f.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(seenStarts.contains(3), "chunks sit behind junk, not at index 0")
    }
}
