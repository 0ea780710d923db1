import Foundation
import XCTest
@testable import Gait
@testable import Simulation

/// Contacts of walkers who do not walk like the lab (issue 11, Deliver 1), against the simulator's exact truth.
/// Seeds 1–2 are the tuning family; the asserted seeds (21–23) were never looked at while choosing parameters.
final class ImpairedWalkingTests: XCTestCase {
    struct Score { var f1: Double; var medianErrorSeconds: Double; var sideAccuracy: Double; var matched: Int; var truth: Int }

    /// Greedy one-to-one matching of detected to true ICs within ±0.1 s (closest pairs first).
    static func score(_ r: GaitResult, _ truth: GroundTruth) -> Score {
        let det = r.steps, ref = truth.initialContacts
        var pairs: [(Int, Int, Double)] = []
        var j0 = 0
        for (i, d) in det.enumerated() {
            while j0 < ref.count && ref[j0].t < d.t - 0.1 { j0 += 1 }
            var j = j0
            while j < ref.count && ref[j].t <= d.t + 0.1 { pairs.append((i, j, d.t - ref[j].t)); j += 1 }
        }
        pairs.sort { abs($0.2) < abs($1.2) }
        var usedD = Set<Int>(), usedR = Set<Int>(), errors: [Double] = [], sidesOK = 0
        for p in pairs where !usedD.contains(p.0) && !usedR.contains(p.1) {
            usedD.insert(p.0); usedR.insert(p.1); errors.append(abs(p.2))
            if det[p.0].side.rawValue == ref[p.1].side.rawValue { sidesOK += 1 }
        }
        errors.sort()
        let m = errors.count
        return Score(f1: det.count + ref.count > 0 ? 2 * Double(m) / Double(det.count + ref.count) : 0,
                     medianErrorSeconds: m > 0 ? errors[m / 2] : .infinity,
                     sideAccuracy: m > 0 ? Double(sidesOK) / Double(m) : 0, matched: m, truth: ref.count)
    }

    func testEachImpairedPresetReachesF1OnHeldOutSeeds() throws {
        for name in Scenario.impairedPresetNames {
            let sc = try XCTUnwrap(Scenario.preset(name))
            for seed: UInt64 in [21, 22, 23] {
                let (imu, truth) = SimulatedIMU.render(sc, seed: seed)
                XCTAssertGreaterThan(truth.initialContacts.count, 30, name)
                let r = BatchGaitAnalyzer().analyze(imu)
                let s = Self.score(r, truth)
                let line = "\(name) seed \(seed): F1 \(s.f1), median |IC error| \(s.medianErrorSeconds) s, "
                    + "sides \(s.sideAccuracy), \(s.matched)/\(s.truth) ICs, \(r.steps.count) detected; \(r.notes)"
                print("impaired-walking: " + line)
                XCTAssertGreaterThanOrEqual(s.f1, 0.95, line)
                // issue 11's left/right goal (met since the virtual pelvis rotates in the lab data's phase)
                XCTAssertGreaterThanOrEqual(s.sideAccuracy, 0.97, line)
            }
        }
    }
}
