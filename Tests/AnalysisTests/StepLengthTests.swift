import Foundation
import XCTest
@testable import Gait
@testable import Simulation

/// Step length and walking speed from the inverted-pendulum model (Zijlstra & Hof 2003): the excursion integrator
/// on exact signals, the formula, and the whole chain on the simulator against the vertical excursion of its own
/// pelvis trajectory (`GroundTruth.Contact.verticalExcursionM`).
final class StepLengthTests: XCTestCase {
    func testExcursionOfASinusoidalStepIsItsPeakToPeak() {
        // one step of 0.55 s at 200 Hz: z = A·cos(2πt/T) → a = −A·ω²·cos, peak-to-peak 2A = 4 cm; plus gravity
        let fs = 200.0, T = 0.55, A = 0.02
        let w = 2 * Double.pi / T
        let n = Int(T * fs) + 1
        let a = (0..<n).map { i -> Double in
            1 - A * w * w * cos(w * Double(i) / fs) / InvertedPendulumStepLength.metresPerSecondSquaredPerG
        }
        let h = a.withUnsafeBufferPointer { InvertedPendulumStepLength.excursionMetres($0, range: 0..<n, rateHz: fs) }
        XCTAssertEqual(h ?? 0, 2 * A, accuracy: 0.02 * 2 * A)
        // a step that starts mid-swing (the contact is not at an extreme) has the same excursion
        let b = (0..<n).map { i -> Double in
            1 - A * w * w * sin(w * Double(i) / fs + 0.7) / InvertedPendulumStepLength.metresPerSecondSquaredPerG
        }
        let h2 = b.withUnsafeBufferPointer { InvertedPendulumStepLength.excursionMetres($0, range: 0..<n, rateHz: fs) }
        XCTAssertEqual(h2 ?? 0, 2 * A, accuracy: 0.02 * 2 * A)
    }

    func testPendulumFormula() {
        // l = 0.9 m, h = 4 cm: 2·√(2·0.9·0.04 − 0.04²) = 0.5307 m, × 1.25 = 0.663 m
        let s = InvertedPendulumStepLength.stepLengthMetres(excursionMetres: 0.04, legLengthMetres: 0.9, correction: 1.25)
        XCTAssertEqual(s ?? 0, 0.6633, accuracy: 0.0005)
        XCTAssertNil(InvertedPendulumStepLength.stepLengthMetres(excursionMetres: 0, legLengthMetres: 0.9, correction: 1.25))
        XCTAssertNil(InvertedPendulumStepLength.stepLengthMetres(excursionMetres: 1, legLengthMetres: 0.9, correction: 1.25))
    }

    func testNoLegLengthNoStepLength() throws {
        let (imu, _) = SimulatedIMU.render(try XCTUnwrap(Scenario.preset("healthy")), seed: 3)
        let r = BatchGaitAnalyzer().analyze(imu)
        XCTAssertFalse(r.steps.isEmpty)
        XCTAssertTrue(r.steps.allSatisfy { $0.stepLengthM == nil })
        XCTAssertNil(r.metrics?.stepLengthM)
        XCTAssertNil(r.metrics?.speedMPerS)
    }

    /// Detected step lengths against the same model applied to the simulator's true excursion (matched by IC within
    /// ±0.1 s): what the measurement chain (gravity projection, noise, contact timing, drift removal) adds.
    func relativeErrors(_ preset: String, seed: UInt64, legLengthM l: Double) throws -> (errors: [Double], r: GaitResult) {
        let sc = try XCTUnwrap(Scenario.preset(preset))
        let (imu, truth) = SimulatedIMU.render(sc, seed: seed)
        var cfg = GaitConfig()
        cfg.legLengthM = l
        let r = BatchGaitAnalyzer(config: cfg).analyze(imu)
        var errors: [Double] = []
        for s in r.steps {
            guard let est = s.stepLengthM,
                  let c = truth.initialContacts.first(where: { abs($0.t - s.t) <= 0.1 }),
                  let h = c.verticalExcursionM,
                  let ref = InvertedPendulumStepLength.stepLengthMetres(excursionMetres: h, legLengthMetres: l,
                                                                       correction: cfg.stepLengthCorrectionFactor)
            else { continue }
            errors.append((est - ref) / ref)
        }
        return (errors, r)
    }

    func testStepLengthOnTheSimulatorMatchesItsPelvisTrajectory() throws {
        let (errors, r) = try relativeErrors("healthy", seed: 3, legLengthM: 0.9)
        XCTAssertGreaterThan(errors.count, 50)
        let absErr = errors.map(abs).sorted()
        let median = absErr[absErr.count / 2]
        XCTAssertLessThan(median, 0.05, "median |relative error| \(median)")
        // the walk's speed: plausible adult walking and step length × cadence
        let m = try XCTUnwrap(r.metrics)
        let speed = try XCTUnwrap(m.speedMPerS), step = try XCTUnwrap(m.stepLengthM)
        XCTAssertGreaterThan(step, 0.4); XCTAssertLessThan(step, 0.9)
        XCTAssertEqual(speed, step * (m.cadenceStepsPerMin ?? 0) / 60, accuracy: 0.1 * speed)
        let side = try XCTUnwrap(r.sideTable)
        XCTAssertNotNil(side.left.stepLengthM)
        XCTAssertNotNil(side.right.stepLengthM)
    }
}
