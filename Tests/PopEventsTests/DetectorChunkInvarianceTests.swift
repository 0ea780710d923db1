import XCTest
@testable import PopEvents
import Simulation
import TestSupport

/// The pop detector through TestSupport's chunk-invariance verifier: the same microphone signal fed whole, one
/// sample per call (junk samples at full scale around each, which would be clicks if the detector ever read them),
/// and in random blocks gives exactly the same events.
final class DetectorChunkInvarianceTests: XCTestCase {
    static func detector(_ w: SimulatedWalk) -> StreamConsumer<Float, PopEvent> {
        let d = PopDetector(sampleRateHz: w.rateHz)
        d.noteContacts(w.contacts)
        d.phaseProvider = w.phases()
        var fed = 0
        return StreamConsumer(
            feed: { chunk in
                let t0 = Double(fed) / w.rateHz
                fed += chunk.count
                return chunk.withUnsafeBufferPointer { d.process($0, startSeconds: t0) }
            },
            finish: { d.finish() })
    }

    func testEventsDoNotDependOnBlockSize() {
        var sc = Scenario.short("grinding", seconds: 20)
        sc.events.snap = .init(cyclePercent: 70, snrDb: 16)
        sc.events.cavitation = .init(count: 3, snrDb: 18)
        let w = SimulatedWalk(sc, seed: 5)
        var v = ChunkInvarianceVerifier<Float, PopEvent>(junk: 1.0, maxChunk: 3000)
        v.randomRuns = 3
        XCTAssertEqual(v.failures(w.audio) { Self.detector(w) }.map(\.description), [])
        let whole = Self.detector(w)
        let events = whole.feed(w.audio[...]) + whole.finish()
        XCTAssertGreaterThan(events.count, 8, "the reference holds pops of every kind, not an empty list")
        XCTAssertEqual(Set(events.map(\.kind)).isSuperset(of: [.grind, .snap]), true, "\(events.map(\.kind))")
    }
}
