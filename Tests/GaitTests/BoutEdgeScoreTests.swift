import Foundation
import XCTest
@testable import Gait

extension LabDataTests {
    /// Batch left/right scores come from the recording around a bout, as streaming's do from its rings: the
    /// acceleration and gyroscope (turn-window) scores of a bout's contacts are the same whether computed for the
    /// whole bout or for its edge contact alone. Before, batch filtered and averaged inside the bout's axis range
    /// (first/last a_v peak ± 0.3 s), so a bout-edge contact's turn window was one-sided and its high-pass started
    /// mid-bout, unlike streaming's (docs/GAIT.md §6). Real samples of HA-001 Test11.
    func testBatchSideScoresDoNotDependOnTheBoutRange() throws {
        let (s, _) = try load("HA-001_Test11_Trial1")
        let cfg = GaitConfig()
        let sig = SessionSignals(s, config: cfg, sigmaCycleSeconds: cfg.sigmaCycleSeconds)
        let cand = StepCandidates.find(in: sig, config: cfg)
        let per = StepPeriodicityStage.compute(sig, peaks: cand.peaks, config: cfg)
        let seg = BoutSegmentation.segment(sig, candidates: cand, periodicity: per, config: cfg)
        let axes = WalkingAxes.estimate(sig, peaks: cand.peaks, bouts: seg.runs, boutOfRun: seg.boutOfRun, config: cfg)
        XCTAssertGreaterThanOrEqual(seg.runs.count, 5)
        for (ri, b) in seg.runs.enumerated() {
            let c = BoutContacts.detect(sig, bout: b, peaks: cand.peaks, up: axes.verticals[ri],
                                        forward: try XCTUnwrap(axes.forwards[ri]), config: cfg)
            let ub = axes.verticals[ri], ml = ub.cross(axes.forwards[ri]!), st = b.stepSeconds
            let gyro = LateralityStage.gyroScores(sig, up: ub, ic: c.ic, stepSeconds: st, config: cfg)
            let acc = LateralityStage.accelerationScores(sig, left: ml, ic: c.ic, stepSeconds: st, config: cfg)
            XCTAssertEqual(gyro.count, c.ic.count)
            // the first contact: exactly the same; the last: the same up to its own high-pass start-up (e^−5)
            let scale = (gyro + acc).map(abs).max() ?? 0
            for (k, tol) in [(0, 1e-9), (c.ic.count - 1, 0.02 * scale)] {
                let g1 = LateralityStage.gyroScores(sig, up: ub, ic: [c.ic[k]], stepSeconds: st, config: cfg)[0]
                let a1 = LateralityStage.accelerationScores(sig, left: ml, ic: [c.ic[k]], stepSeconds: st, config: cfg)[0]
                let at = "run \(ri), contact \(k) of \(c.ic.count) at \(Double(c.ic[k]) / s.rateHz) s"
                XCTAssertEqual(gyro[k], g1, accuracy: tol, at)
                XCTAssertEqual(acc[k], a1, accuracy: tol, at)
            }
        }
    }
}
