import XCTest
@testable import Gait

/// docs/research/gait/ALGORITHM.md §2: vertical from gravity, forward from the one-step lag covariance and the inverted-pendulum sign,
/// in any mounting.
final class OrientationTests: XCTestCase {
    static let mountings: [(String, Mat3)] = [
        ("upright", .identity), ("upside down", .upsideDown), ("hip side", .hipSide),
        ("lying on its face", Mat3.rotY(Double.pi / 2)), ("random 7", .random(seed: 7)), ("random 99", .random(seed: 99)),
    ]

    func testVerticalAndForwardRecoveredInSeveralMountings() {
        for (name, m) in Self.mountings {
            var w = SyntheticWalker()
            w.mount = m
            w.walkSeconds = 40
            let (s, truth) = w.generate()
            let r = BatchGaitAnalyzer().analyze(s)
            guard let v = r.orientation.verticalSensor, let f = r.orientation.forwardSensor,
                  let l = r.orientation.leftSensor else {
                XCTFail("\(name): no axes (notes: \(r.notes))"); continue
            }
            XCTAssertLessThan(angleDeg(v, truth.vertical), 3, "\(name): vertical")
            XCTAssertLessThan(angleDeg(f, truth.forward), 3, "\(name): forward")
            XCTAssertLessThan(angleDeg(l, truth.left), 3, "\(name): left = V × AP")
            XCTAssertGreaterThan(r.orientation.signStatistic ?? 0, 0.3, "\(name): sign statistic")
            XCTAssertEqual(r.orientation.bouts.count, 1, name)
        }
    }

    func testStepsDoNotDependOnMounting() {
        var w = SyntheticWalker()
        w.walkSeconds = 30
        let reference = BatchGaitAnalyzer().analyze(w.generate().0).steps
        XCTAssertGreaterThan(reference.count, 40)
        for (name, m) in Self.mountings.dropFirst() {
            w.mount = m
            let steps = BatchGaitAnalyzer().analyze(w.generate().0).steps
            XCTAssertEqual(steps.count, reference.count, name)
            for (a, b) in zip(steps, reference) {
                XCTAssertEqual(a.t, b.t, accuracy: 0.011, name)     // float input rounding may move one sample
                XCTAssertEqual(a.side, b.side, name)
            }
        }
    }

    func testHorizontalBasisIsOrthonormal() {
        for u in [SIMD3<Double>(0, 0, 1), SIMD3(0.6, -0.8, 0), SIMD3(1, 1, 1).normalized, SIMD3(0, -1, 0)] {
            let b = HorizontalBasis(up: u)
            XCTAssertEqual(b.e1.dot(u), 0, accuracy: 1e-12)
            XCTAssertEqual(b.e2.dot(u), 0, accuracy: 1e-12)
            XCTAssertEqual(b.e1.dot(b.e2), 0, accuracy: 1e-12)
            XCTAssertEqual(b.e1.length, 1, accuracy: 1e-12)
            XCTAssertEqual(b.e2.length, 1, accuracy: 1e-12)
            XCTAssertEqual(b.e1.cross(b.e2).dot(u), 1, accuracy: 1e-12, "right-handed")
        }
    }
}
