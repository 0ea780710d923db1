import XCTest
@testable import Gait

/// Pelvic tilt relative to neutral standing (docs/research/gait/ALGORITHM.md §6), posture events, calibration.
final class TiltTests: XCTestCase {
    func testStaticAnteriorTiltRecoveredPerStride() {
        for gyro in [true, false] {
            for mount in [Mat3.identity, .upsideDown, .random(seed: 7)] {
                var w = SyntheticWalker()
                w.tiltWalkDeg = 10
                w.withGyro = gyro
                w.mount = mount
                w.walkSeconds = 40
                let (s, _) = w.generate()
                let r = BatchGaitAnalyzer().analyze(s)
                let label = gyro ? "gyro" : "acc only"
                XCTAssertEqual(r.calibration?.source, "standing_window", label)
                XCTAssertLessThan(r.calibration?.endSeconds ?? 99, 4.0, "\(label): neutral from the first standing")
                XCTAssertGreaterThan(r.strideTilts.count, 25, "\(label): \(r.notes)")
                for st in r.strideTilts {
                    XCTAssertEqual(st.meanDeg, 10, accuracy: 1, "\(label) stride at \(st.icSeconds)")
                    XCTAssertEqual(st.romDeg == nil, !gyro, label)
                    XCTAssertEqual(st.obliquityRomDeg == nil, !gyro, label)
                    XCTAssertNil(st.meanPercentOfRange)
                    XCTAssertNotEqual(st.side, .unknown)
                }
                XCTAssertEqual(r.metrics?.tiltMeanDeg ?? 0, 10, accuracy: 1, label)
                if !gyro { XCTAssertTrue(r.notes.contains { $0.contains("no gyroscope") }, label) }
            }
        }
    }

    func testGyroscopeRangesOfMotion() {
        // synthetic pelvis: tilt ±1.5° per step, obliquity ±4° and rotation ±3.5° per stride (upright pelvis, so the
        // pelvis axes are the walking axes)
        for mount in [Mat3.identity, .random(seed: 11)] {
            var w = SyntheticWalker()
            w.mount = mount
            w.walkSeconds = 30
            let r = BatchGaitAnalyzer().analyze(w.generate().0)
            XCTAssertGreaterThan(r.strideTilts.count, 15, "\(r.notes)")
            // tilt range from the drift-removed gyroscope integral: the true 3° (linear acceleration plays no part)
            XCTAssertEqual(r.metrics?.tiltRomDeg ?? 0, 3, accuracy: 0.5)
            XCTAssertEqual(r.metrics?.obliquityRomDeg ?? 0, 8, accuracy: 1.5)
            XCTAssertEqual(r.metrics?.rotationRomDeg ?? 0, 7, accuracy: 1.5)
            XCTAssertEqual(r.metrics?.tiltMeanDeg ?? 99, 0, accuracy: 1)
        }
    }

    func testSustainedAnteriorTiltRaisesPostureEvent() throws {
        var w = SyntheticWalker()
        w.tiltWalkDeg = 15
        w.walkSeconds = 40
        let r = BatchGaitAnalyzer().analyze(w.generate().0)
        XCTAssertEqual(r.postureEvents.count, 1, "\(r.postureEvents)")
        let e = try XCTUnwrap(r.postureEvents.first)
        XCTAssertEqual(e.kind, "sustained_anterior_tilt")
        XCTAssertGreaterThanOrEqual(e.endSeconds - e.startSeconds, 20)
        XCTAssertEqual(e.meanTiltDeg, 15, accuracy: 1.5)
        XCTAssertFalse(e.ongoing)

        w.tiltWalkDeg = 0
        XCTAssertTrue(BatchGaitAnalyzer().analyze(w.generate().0).postureEvents.isEmpty)
        w.tiltWalkDeg = 15
        w.walkSeconds = 12            // tilted, but not for 20 s
        XCTAssertTrue(BatchGaitAnalyzer().analyze(w.generate().0).postureEvents.isEmpty)
    }

    func testExplicitCalibrationIsUsed() {
        var w = SyntheticWalker()
        w.tiltWalkDeg = 10
        w.walkSeconds = 30
        w.mount = .hipSide
        w.standSeconds = 2.6         // standing too short to calibrate from (the posture change starts at 0.1 s)
        w.tailSeconds = 2            // and the walk ends tilted, without 2 s of neutral standing
        let (s, _) = w.generate()
        let none = BatchGaitAnalyzer().analyze(s)
        XCTAssertEqual(none.calibration?.source, "walk_average", "\(none.notes)")
        XCTAssertEqual(Stats.mean(none.strideTilts.map(\.meanDeg)) ?? 99, 0, accuracy: 1, "walk-average neutral")
        let cal = TiltCalibration(neutralUpSensor: Mat3.hipSide * SIMD3(0, 0, 1), anteriorLimitDeg: 20, posteriorLimitDeg: -8)
        let r = BatchGaitAnalyzer(calibration: cal).analyze(s)
        XCTAssertEqual(r.calibration?.source, "explicit")
        XCTAssertGreaterThan(r.strideTilts.count, 15)
        for st in r.strideTilts {
            XCTAssertEqual(st.meanDeg, 10, accuracy: 1)
            XCTAssertEqual(st.meanPercentOfRange ?? 0, 50, accuracy: 5)
        }
    }

    func testPercentOfRange() {
        let c = TiltCalibration(neutralUpSensor: SIMD3(0, 0, 1), anteriorLimitDeg: 20, posteriorLimitDeg: -10)
        XCTAssertEqual(c.percentOfRange(tiltDeg: 10) ?? 0, 50, accuracy: 1e-12)
        XCTAssertEqual(c.percentOfRange(tiltDeg: -5) ?? 0, -50, accuracy: 1e-12)
        XCTAssertNil(TiltCalibration(neutralUpSensor: SIMD3(0, 0, 1)).percentOfRange(tiltDeg: 3))
    }

    /// Stand 3 s, tilt forward to +15° (2 s), hold, back to −10° (3 s), hold, return to neutral.
    func exercise(mount: Mat3, gyro: Bool) -> IMUSeries {
        let fs = 100.0
        let n = Int(13 * fs)
        var acc = ContiguousArray<Float>(repeating: 0, count: 3 * n)
        var gyr = ContiguousArray<Float>(repeating: 0, count: 3 * n)
        var rng = LCG(seed: 5)
        func tilt(_ t: Double) -> (Double, Double) {
            switch t {
            case ..<3: return (0, 0)
            case ..<5: return (7.5 * (t - 3), 7.5)
            case ..<6: return (15, 0)
            case ..<9: return (15 - 25 * (t - 6) / 3, -25.0 / 3)
            case ..<10: return (-10, 0)
            case ..<11.5: return (-10 + 10 * (t - 10) / 1.5, 10 / 1.5)
            default: return (0, 0)
            }
        }
        for i in 0..<n {
            let (th, rate) = tilt(Double(i) / fs)
            let up = Mat3.rotY(th * Double.pi / 180).transposed * SIMD3(0, 0, 1)
            let a = mount * up + 0.002 * SIMD3(rng.normal(), rng.normal(), rng.normal())
            let w = mount * SIMD3(0, rate, 0) + 0.2 * SIMD3(rng.normal(), rng.normal(), rng.normal())
            for j in 0..<3 { acc[3 * i + j] = Float(a[j]); gyr[3 * i + j] = Float(w[j]) }
        }
        return IMUSeries(rateHz: fs, accG: acc, gyroDps: gyro ? gyr : nil)
    }

    func testPelvicTiltExerciseCalibration() throws {
        for gyro in [true, false] {
            for mount in [Mat3.identity, .random(seed: 3)] {
                let c = try XCTUnwrap(TiltCalibration.fromPelvicTiltExercise(exercise(mount: mount, gyro: gyro)))
                XCTAssertEqual(c.source, "pelvic_tilt_exercise")
                XCTAssertLessThan(angleDeg(c.neutralUpSensor, mount * SIMD3(0, 0, 1)), 1)
                XCTAssertLessThan(angleDeg(try XCTUnwrap(c.leftSensor), mount * SIMD3(0, 1, 0)), 3)
                XCTAssertEqual(c.anteriorLimitDeg ?? 0, 15, accuracy: 1.5)
                XCTAssertEqual(c.posteriorLimitDeg ?? 0, -10, accuracy: 1.5)
                XCTAssertEqual(c.endSeconds ?? 0, 3, accuracy: 0.3)
            }
        }
        // no standing at the start: nothing to calibrate from
        var moving = exercise(mount: .identity, gyro: true)
        moving.accG.removeFirst(3 * 280)
        moving.gyroDps!.removeFirst(3 * 280)
        XCTAssertNil(TiltCalibration.fromPelvicTiltExercise(moving))
    }
}
