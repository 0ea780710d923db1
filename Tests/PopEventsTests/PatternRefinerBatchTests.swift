import XCTest
@testable import PopEvents

/// The batch refiner counts recurrences among the clicks near each event in time (sorted once) instead of over the
/// whole walk: it must give exactly the counts, and so the labels, of the pairwise definition.
final class PatternRefinerBatchTests: XCTestCase {
    func event(t: Double, kind: PopKind, cycle: Double?, centroidHz: Double, peakHz: Double, confidence: Double) -> PopEvent {
        let f = PopFeatures(spectralCentroidHz: centroidHz, spectralBandwidthHz: 300, peakFrequencyHz: peakHz,
                            crestFactor: 3, kurtosis: 3, microImpulses: 1, riseTimeSeconds: 0.001, decaySeconds: 0.01,
                            thumpRatioDb: -10, nearContact: false, clipped: false)
        return PopEvent(tSeconds: t, durationSeconds: 0.01, kind: kind, confidence: confidence, levelDbfs: -30,
                        snrDb: 20, features: f,
                        phase: cycle.map { StridePhase(cyclePercent: $0, phase: .midStance, leftLeg: .stance, stepIndex: 0, bout: 0) })
    }

    func testBatchCountsEqualThePairwiseDefinition() {
        var rng = SystemRandomNumberGenerator()
        let c = PatternRefinerConfig()
        for round in 0..<20 {
            var events: [PopEvent] = []
            var t = 0.0
            for i in 0..<300 {
                // Steps of ~1.1 s with jitter, repeats of the same time, and gaps exactly at the window's and the
                // stride gap's edges.
                t += [1.1, 0, c.windowSeconds, c.minStrideGapSeconds, Double.random(in: 0...3, using: &rng)][i % 5]
                let kind: PopKind = [.snap, .cavitation, .grind, .unknown, .snap][Int.random(in: 0...4, using: &rng)]
                let cycle: Double? = Int.random(in: 0...9, using: &rng) == 0 ? nil
                    : [12.0, 12.0 + c.phaseToleranceCyclePercent, 99.0, 2.0, 12.0, Double.random(in: 0..<100, using: &rng)][i % 6]
                events.append(event(t: t, kind: kind, cycle: cycle, centroidHz: [600, 700, 2400][Int.random(in: 0...2, using: &rng)],
                                    peakHz: [500, 800, 1600][i % 3], confidence: Double.random(in: 0...1, using: &rng)))
            }
            if round % 2 == 1 { events.shuffle(using: &rng) } // the batch must not assume time order
            if round == 3 { events[7].tSeconds = .infinity; events[9].tSeconds = -.infinity }
            let pairwise = events.map { PatternRefiner.recurrences(of: $0, in: events, config: c) }
            XCTAssertEqual(PatternRefiner.batchRecurrences(events, config: c), pairwise, "round \(round)")
            XCTAssertGreaterThan(pairwise.filter { $0 >= c.minRecurrences }.count, 5, "recurring clicks to count")
            let refined = PatternRefiner.refine(events, config: c)
            let reference = events.indices.map { PatternRefiner.relabel(events[$0], recurrences: pairwise[$0], config: c) }
            XCTAssertTrue(refined == reference, "round \(round): same labels")
        }
        // NaN times take the pairwise path.
        var odd = (0..<10).map { event(t: Double($0), kind: .snap, cycle: 12, centroidHz: 600, peakHz: 600, confidence: 0.5) }
        odd[4].tSeconds = .nan
        XCTAssertEqual(PatternRefiner.batchRecurrences(odd, config: c),
                       odd.map { PatternRefiner.recurrences(of: $0, in: odd, config: c) })
    }
}
