import Foundation
import XCTest
@testable import Gait

/// The closing-step rule (`StepDetection.isClosingStep`): the step right after a walking chain joins it on a
/// step-time interval and a bout-sized lobe, whatever its periodicity.
final class ClosingStepTests: XCTestCase {
    let fs = 100.0

    /// A chain at 0.6 s steps; the candidate after it at `interval` s with a lobe of `height` g.
    func closing(interval: Double, height: Double, chain: Int = 5) -> Bool {
        let peaks = (0..<chain).map { 100 + 60 * $0 }
        return StepDetection.isClosingStep(chainPeaks: peaks, peak: peaks.last! + Int(interval * fs), height: height,
                                           rateHz: fs, config: GaitConfig())
    }

    func testIntervalMustBeAStepTimeAndTheLobeBoutSized() {
        XCTAssertTrue(closing(interval: 0.75, height: 0.10))       // 1.25 step, as HA-001's step into the turn
        XCTAssertTrue(closing(interval: 0.40, height: 0.06))       // 0.67 step
        XCTAssertFalse(closing(interval: 0.30, height: 0.10))      // 0.5 step: a double hump, not a step
        XCTAssertFalse(closing(interval: 1.00, height: 0.10))      // 1.67 step: a step is missing in between
        XCTAssertFalse(closing(interval: 0.60, height: 0.03))      // below BOUT_MIN_AMP at 100 steps/min (0.05 g)
        XCTAssertFalse(closing(interval: 0.60, height: 0.10, chain: 1))   // one step is no chain (no step time)
    }

    /// Batch form: only the candidate next to a chain of walking steps, once (no cascade), and before a gap of a
    /// missing step nothing.
    func testBatchMaskAddsOneStepAfterEachChainOnly() {
        let peaks = [100, 160, 220, 280, 355, 420, 900, 960, 1020, 1200]
        let good = [true, true, true, true, false, false, true, true, true, false]
        let heights = [Double](repeating: 0.1, count: peaks.count)
        let out = StepDetection.addClosingSteps(good, peaks: peaks, heights: heights, maxGapSamples: 200, rateHz: fs,
                                                config: GaitConfig())
        XCTAssertEqual(out, [true, true, true, true, true, false, true, true, true, false])
    }

}

extension LabDataTests {
    /// HA-001 Test11 (the lab fixture, real samples): the last contact before the 180° turn at 134.43 s (stereophoto),
    /// lobe ≈ 0.1 g, periodicity ≈ 0.1, was lost by both engines; with the rule both find it within 0.1 s, and
    /// without it (interval fraction out of reach) they do not — so the test would fail without the rule.
    func testClosingStepLastContactBeforeATurn() throws {
        let fs = 100.0
        let (full, _) = try load("HA-001_Test11_Trial1")
        // 118 s to the end (137.6 s): the bouts of 119.9–123.4 s and 131.1–134.4 s (stereophoto), standing and turning around them
        let a = 11_800, b = full.count
        let s = IMUSeries(startSeconds: Double(a) / fs, rateHz: fs, accG: ContiguousArray(full.accG[(3 * a)..<(3 * b)]),
                          gyroDps: full.gyroDps.map { ContiguousArray($0[(3 * a)..<(3 * b)]) })
        var off = GaitConfig()
        off.closingStepMinIntervalFraction = 100
        func found(_ steps: [GaitStep]) -> Bool { steps.contains { abs($0.t - 134.43) <= 0.1 } }
        func streamed(_ cfg: GaitConfig) -> [GaitStep] {
            stream(s, block: 7, analyzer: StreamingGaitAnalyzer(rateHz: fs, config: cfg)).compactMap {
                if case .stepConfirmed(let st) = $0.event { return st }
                return nil
            }
        }
        let batch = BatchGaitAnalyzer().analyze(s).steps
        XCTAssertTrue(found(batch), "batch: \(batch.map(\GaitStep.t))")
        XCTAssertFalse(found(BatchGaitAnalyzer(config: off).analyze(s).steps), "batch without the rule")
        let live = streamed(GaitConfig())
        XCTAssertTrue(found(live), "streaming: \(live.map(\GaitStep.t))")
        XCTAssertFalse(found(streamed(off)), "streaming without the rule")
        // it is the closing step: the step after it (≈ 135.0 s, lobe 0.04 g, in the turn) is not added
        XCTAssertFalse(batch.contains { $0.t > 134.6 && $0.t < 135.5 }, "batch: \(batch.map(\GaitStep.t))")
        XCTAssertFalse(live.contains { $0.t > 134.6 && $0.t < 135.5 }, "streaming: \(live.map(\GaitStep.t))")
    }
}
