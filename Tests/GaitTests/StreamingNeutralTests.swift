import XCTest
@testable import Gait

/// Streaming mean tilt without a standing start: relative to the running walk average, as batch does with the whole
/// walk's average (issue 11, Deliver 3).
final class StreamingNeutralTests: XCTestCase {
    func testWalkWithoutStandingStartReportsTiltAgainstTheWalkAverage() {
        var w = SyntheticWalker()
        w.standSeconds = 0.6          // walking within a second, no 2 s of quiet standing anywhere
        w.tailSeconds = 0.5
        w.walkSeconds = 30
        w.tiltWalkDeg = 8             // leaning forward the whole time: against the walk's own average ≈ 0
        let (s, _) = w.generate()
        let analyzer = StreamingGaitAnalyzer(rateHz: s.rateHz)
        var strides: [StrideTilt] = []
        var sawTiltWhileWalking = false
        for (e, _) in stream(s, block: 25, analyzer: analyzer) {
            if case .stride(let st) = e { strides.append(st) }
            if analyzer.currentTiltDeg != nil { sawTiltWhileWalking = true }
        }
        XCTAssertEqual(analyzer.calibration?.source, TiltCalibration.walkAverageSource)
        XCTAssertTrue(sawTiltWhileWalking)
        XCTAssertGreaterThan(strides.count, 10, "strides report tilt without a standing start")
        let late = strides.suffix(strides.count / 2)
        for st in late { XCTAssertEqual(st.meanDeg, 0, accuracy: 1.5, "stride at \(st.icSeconds)") }
        XCTAssertTrue(late.allSatisfy { $0.romDeg != nil })
        // batch on the same walk says the same
        let batch = BatchGaitAnalyzer().analyze(s)
        XCTAssertEqual(batch.calibration?.source, TiltCalibration.walkAverageSource)
    }

    func testStandingStartStillWins() {
        var w = SyntheticWalker()
        w.walkSeconds = 20
        let (s, _) = w.generate()
        let analyzer = StreamingGaitAnalyzer(rateHz: s.rateHz)
        _ = stream(s, block: 25, analyzer: analyzer)
        XCTAssertEqual(analyzer.calibration?.source, "standing_window")
    }
}
