import Foundation
import XCTest
@testable import Gait

extension LabDataTests {
    /// The gyroscope left/right score subtracts the mean yaw rate over the stride centred on the IC
    /// (`GaitConfig.turnWindowSteps`). HA-001 Test11 (real samples of the lab fixture): the contact at 43.37 s
    /// (stereophoto: left) comes after a 1.3 s slalom step while the trunk turns at +30 to +85 °/s; it starts a new
    /// alternation run live, so its own score and one look-ahead decide it, and the turn's yaw rate made it right.
    /// With the turn removed it is left; without (window 0) it is not — checked with the run-start hold off
    /// (`streamingRunHoldSteps` = 0), which since decides such a contact on the run's first 4 steps and gets it
    /// right even without the turn rule (two rules, each tested alone).
    func testTurnRateIsRemovedFromTheGyroscopeScore() throws {
        let (series, _) = try load("HA-001_Test11_Trial1")
        func side(_ cfg: GaitConfig) -> Side? {
            let steps = stream(series, block: 5, analyzer: StreamingGaitAnalyzer(rateHz: series.rateHz, config: cfg))
                .compactMap { e -> GaitStep? in
                    if case .stepConfirmed(let s) = e.event { return s }
                    return nil
                }
            return steps.first { abs($0.t - 43.37) <= 0.1 }?.side
        }
        XCTAssertEqual(side(GaitConfig()), .left)
        var noHold = GaitConfig()
        noHold.streamingRunHoldSteps = 0
        XCTAssertEqual(side(noHold), .left, "the turn rule alone")
        var off = noHold
        off.turnWindowSteps = 0
        XCTAssertEqual(side(off), .right, "the rule must be what fixes it")
    }
}
