import XCTest
@testable import Gait

/// Users of comparable tools trip over a silent "no walking found": every empty result says why.
final class NotesTests: XCTestCase {
    func testStandingOnlySaysThereWereNoStepCandidates() {
        let r = BatchGaitAnalyzer().analyze(standingSeries(seconds: 30, mount: .random(seed: 4)))
        XCTAssertTrue(r.steps.isEmpty)
        XCTAssertTrue(r.bouts.isEmpty)
        XCTAssertNil(r.metrics)
        XCTAssertTrue(r.notes.contains { $0.hasPrefix("no walking") && $0.contains("A_MIN") }, "\(r.notes)")
        XCTAssertEqual(r.calibration?.source, "standing_window", "standing still is enough for the neutral")
        XCTAssertLessThan(angleDeg(r.orientation.verticalSensor ?? .zero, Mat3.random(seed: 4) * SIMD3(0, 0, 1)), 1)
    }

    func testIsolatedBumpsAreNotWalking() {
        // step-like lobes, but more than STEP_MAX apart: no step rhythm to repeat (bumps 1.2–1.4 s apart would be
        // accepted as very slow walking, 40–50 steps/min, by design)
        let s = standingSeries(seconds: 30, bumpsAt: [8, 10, 12.5, 15, 20, 21.8])
        let r = BatchGaitAnalyzer().analyze(s)
        XCTAssertTrue(r.bouts.isEmpty, "\(r.bouts)")
        XCTAssertTrue(r.notes.contains { $0.contains("periodicity never reached 0.40") }, "\(r.notes)")
    }

    func testEmptyAndShortRecordings() {
        let empty = BatchGaitAnalyzer().analyze(IMUSeries(rateHz: 100, accG: []))
        XCTAssertTrue(empty.notes.contains { $0.contains("no samples") }, "\(empty.notes)")
        let short = BatchGaitAnalyzer().analyze(standingSeries(seconds: 1))
        XCTAssertTrue(short.notes.contains { $0.contains("too short") }, "\(short.notes)")
    }

    func testRateOutsideTheValidatedRange() {
        var w = SyntheticWalker()
        w.rateHz = 25
        w.walkSeconds = 20
        let r = BatchGaitAnalyzer().analyze(w.generate().0)
        XCTAssertTrue(r.notes.contains { $0.contains("25.0 Hz") && $0.contains("50–400") }, "\(r.notes)")
    }

    func testNoStandingMeansNoTiltAndSaysSo() {
        var w = SyntheticWalker()
        w.standSeconds = 1.0
        w.tailSeconds = 1.0
        w.walkSeconds = 20
        let r = BatchGaitAnalyzer().analyze(w.generate().0)
        XCTAssertEqual(r.bouts.count, 1)
        XCTAssertTrue(r.strideTilts.isEmpty)
        XCTAssertNil(r.calibration)
        XCTAssertTrue(r.notes.contains { $0.hasPrefix("tilt not reported") }, "\(r.notes)")
    }

    func testResultEncodesAsJSON() throws {
        var w = SyntheticWalker()
        w.walkSeconds = 15
        let r = BatchGaitAnalyzer().analyze(w.generate().0)
        let data = try JSONEncoder().encode(r)
        let back = try JSONDecoder().decode(GaitResult.self, from: data)
        XCTAssertEqual(back.steps, r.steps)
        XCTAssertEqual(back.bouts, r.bouts)
        XCTAssertEqual(back.orientation, r.orientation)
        let config = try JSONDecoder().decode(GaitConfig.self, from: JSONEncoder().encode(GaitConfig()))
        XCTAssertEqual(config, GaitConfig())
    }
}
