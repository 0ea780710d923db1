import Foundation
import XCTest
@testable import Gait

/// Alternation is not trusted across an interval shorter than `extraStepFactor` median steps (an extra contact):
/// each side of it takes its own parity (`Laterality.sides`, streaming `assignSide`).
final class ExtraStepSplitTests: XCTestCase {
    /// Scores of a clean alternation L R L R, then an extra contact 0.3 step after the last R (ambiguous score),
    /// then L R L: the extra one shifts the alternation, so without the split one parity must serve both parts and
    /// the later part comes out mirrored (it is outvoted by the four before it).
    func testAnExtraContactSplitsTheParity() {
        let ic = [0, 60, 120, 180, 198, 258, 318, 378]
        let s: [Double] = [1, -1, 1, -1, 0.2, 1, -1, 1]
        let split = Laterality.sides(scores: s, icSamples: ic, stepSamples: 60, missedStepFactor: 1.6,
                                     extraStepFactor: 0.7)
        XCTAssertEqual(split, [.left, .right, .left, .right, .right, .left, .right, .left])
        let joined = Laterality.sides(scores: s, icSamples: ic, stepSamples: 60, missedStepFactor: 1.6)
        XCTAssertEqual(Array(joined[5...]), [.right, .left, .right], "without the split the later part is mirrored")
    }
}

extension LabDataTests {
    /// HA-001 Test11's slalom bout (stereophoto 38.3–49.7 s, real samples of the lab fixture): both engines find a
    /// second lobe 0.39 s after the contact at 40.5 s inside a slow turning step; batch's single parity over the run
    /// then mirrored the four contacts before it. With the split every matched contact of the bout has its
    /// reference side in batch; without it (factor 0) four do not.
    func testExtraContactInASlalomDoesNotMirrorTheBout() throws {
        let (series, ref) = try load("HA-001_Test11_Trial1")
        func wrongSides(_ cfg: GaitConfig) -> Int {
            let steps = BatchGaitAnalyzer(config: cfg).analyze(series).steps
            let b = ref.bouts[1]
            let det = steps.filter { $0.t >= b.start - 0.05 && $0.t <= b.end + 0.05 }
            let r = ref.ics.filter { $0.bout == 1 }
            return matchEvents(det.map(\GaitStep.t), r.map(\.t), tolerance: 0.25)
                .filter { det[$0.0].side != r[$0.1].side }.count
        }
        XCTAssertEqual(wrongSides(GaitConfig()), 0)
        var off = GaitConfig()
        off.extraStepFactor = 0
        XCTAssertGreaterThanOrEqual(wrongSides(off), 3, "the rule must be what fixes it")
    }
}
