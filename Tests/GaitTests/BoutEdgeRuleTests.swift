import XCTest
@testable import Gait

/// The batch rules that keep a slow walker's contacts (walking-aid preset): Mobilise-D's break rule for step chains
/// without a periodicity seed (`StepDetection.extendToBreaks`), and A_MIN in the streaming signal's units.
/// Synthetic step sequences at 100 Hz: one step per second unless stated.
final class BoutEdgeRuleTests: XCTestCase {
    private let fs = 100.0

    private func extend(good: [Bool], reg: [Double], peaks: [Int]) -> [Bool] {
        StepDetection.extendToBreaks(good, periodicity: reg, peaks: peaks, maxGapSamples: 2 * fs, keepReg: 0.15,
                                     maxBreakSamples: 3 * fs)
    }

    func testUnseededChainWithinThreeSecondsOfWalkingIsTheBoutsEdge() {
        // Two less regular steps, then a missed contact (3 s gap), then seeded walking.
        let out = extend(good: [false, false, true, true, true], reg: [0.36, 0.36, 0.8, 0.8, 0.8],
                         peaks: [0, 100, 400, 500, 600])
        XCTAssertEqual(out, [true, true, true, true, true])
    }

    func testChainMoreThanThreeSecondsAwayStaysOut() {
        let out = extend(good: [false, false, true, true, true], reg: [0.36, 0.36, 0.8, 0.8, 0.8],
                         peaks: [0, 100, 401, 501, 601])
        XCTAssertEqual(out, [false, false, true, true, true])
    }

    func testOneStepIsNoChain() {
        let out = extend(good: [false, true, true, true], reg: [0.36, 0.8, 0.8, 0.8], peaks: [0, 100, 200, 300])
        XCTAssertEqual(out, [false, true, true, true])
    }

    func testIrregularStepsAreNotWalking() {
        let out = extend(good: [false, false, true, true], reg: [0.1, 0.1, 0.8, 0.8], peaks: [0, 100, 200, 300])
        XCTAssertEqual(out, [false, false, true, true])
    }

    func testOnlySeededStepsExtendNoCascade() {
        // Chain A (0–1) is cut from chain B (3–4) by an irregular step; only B touches seeded walking.
        let out = extend(good: [false, false, false, false, false, true, true],
                         reg: [0.36, 0.36, 0.05, 0.36, 0.36, 0.8, 0.8], peaks: [0, 100, 200, 300, 400, 500, 600])
        XCTAssertEqual(out, [false, false, false, true, true, true, true])
    }

    func testBatchAMinIsTheStreamingThresholdInBatchUnits() {
        let c = GaitConfig()
        XCTAssertEqual(c.batchMinLobeHeightG, c.minLobeHeightG * c.streamingSigmaCycleSeconds / c.sigmaCycleSeconds,
                       accuracy: 1e-12)
        XCTAssertLessThan(c.batchMinLobeHeightG, c.minLobeHeightG, "batch's wider Gaussian lowers a contact pulse")
    }
}
