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
        // step-like lobes, but more than STEP_MAX (2 s) apart: no step rhythm to repeat (bumps 1.2–1.9 s apart would
        // be accepted as very slow walking, 32–50 steps/min, by design: walking-aid users walk like that)
        let s = standingSeries(seconds: 30, bumpsAt: [8, 10.5, 13, 15.6, 20, 22.3])
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

    /// Deliver 3 of issue 11: a walk that starts within 0.5 s has no standing to take a neutral from; ranges need
    /// none, so every stride still has them, and the mean tilt is relative to the walk's own average (and says so).
    func testWalkStartingAtOnceHasRangesForEveryStride() {
        for gyro in [true, false] {
            var w = SyntheticWalker()
            w.standSeconds = 0.4
            w.tailSeconds = 1.0
            w.walkSeconds = 20
            w.tiltWalkDeg = 6
            w.withGyro = gyro
            let r = BatchGaitAnalyzer().analyze(w.generate().0)
            XCTAssertEqual(r.bouts.count, 1)
            XCTAssertEqual(r.calibration?.source, "walk_average")
            XCTAssertTrue(r.notes.contains { $0.contains("relative to this walk's own average") }, "\(r.notes)")
            // every stride of the bout: IC k to IC k + 2 for each k
            XCTAssertEqual(r.strideTilts.count, r.steps.count - 2, "gyro \(gyro): \(r.notes)")
            for st in r.strideTilts {
                XCTAssertEqual(st.romDeg != nil, gyro)
                XCTAssertEqual(st.obliquityRomDeg != nil, gyro)
                XCTAssertEqual(st.rotationRomDeg != nil, gyro)
                XCTAssertEqual(st.meanDeg, 0, accuracy: 1.5, "relative to the walk's average, not to standing")
            }
        }
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
