import XCTest
@testable import Gait

/// Long recordings are analysed an hour at a time: their pelvis cycles must pool to what one pass gives.
final class PelvisCyclePoolingTests: XCTestCase {
    func testPoolingEqualsOnePassOverAllStrides() throws {
        // Three "strides" of a constant curve per part: part A values 1,2,3; part B values 5,7.
        func cycle(_ values: [Double]) -> PelvisCycle {
            let n = Double(values.count)
            let m = values.reduce(0, +) / n
            let sd = n > 1 ? (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / (n - 1)).squareRoot() : 0
            let c = PelvisCycle.Curve(meanDeg: Array(repeating: m, count: PelvisCycle.points),
                                      sdDeg: Array(repeating: sd, count: PelvisCycle.points))
            return PelvisCycle(left: .init(side: .left, strides: values.count, tilt: c, obliquity: c, rotation: c))
        }
        let pooled = try XCTUnwrap(PelvisCycle.pooled([cycle([1, 2, 3]), cycle([5, 7])]))
        let all = cycle([1, 2, 3, 5, 7])
        XCTAssertEqual(pooled.left?.strides, 5)
        XCTAssertNil(pooled.right)
        for i in [0, 50, 100] {
            XCTAssertEqual(pooled.left!.tilt.meanDeg[i], all.left!.tilt.meanDeg[i], accuracy: 1e-12)
            XCTAssertEqual(pooled.left!.rotation.sdDeg[i], all.left!.rotation.sdDeg[i], accuracy: 1e-12)
        }
        XCTAssertNil(PelvisCycle.pooled([]))
    }
}
