import XCTest
@testable import Gait

/// Steps, bouts, IC/FC, left/right, cadence and metrics on synthetic walking with known events (docs/research/gait/ALGORITHM.md §3–5).
final class BatchDetectionTests: XCTestCase {
    func check(_ w: SyntheticWalker, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let (s, truth) = w.generate()
        let r = BatchGaitAnalyzer().analyze(s)
        XCTAssertEqual(r.bouts.count, 1, "\(label): bouts \(r.bouts.map { ($0.startSeconds, $0.endSeconds) }) "
                       + "notes \(r.notes)", file: file, line: line)
        guard let b = r.bouts.first else { return }
        XCTAssertEqual(b.startSeconds, truth.boutStart, accuracy: 0.5, "\(label): bout start", file: file, line: line)
        XCTAssertEqual(b.endSeconds, truth.boutEnd, accuracy: 0.5, "\(label): bout end", file: file, line: line)
        let det = r.steps.map(\.t)
        XCTAssertGreaterThanOrEqual(f1Score(det, truth.ics, tolerance: 0.1), 0.99, "\(label): F1", file: file, line: line)
        let pairs = matchEvents(det, truth.ics, tolerance: 0.25)
        let errors = pairs.map { abs(det[$0.0] - truth.ics[$0.1]) }
        XCTAssertLessThanOrEqual(median(errors), 0.030, "\(label): median |IC error|", file: file, line: line)
        let correct = pairs.filter { r.steps[$0.0].side == truth.sides[$0.1] }.count
        XCTAssertGreaterThanOrEqual(Double(correct) / Double(max(pairs.count, 1)), 0.95, "\(label): left/right",
                                    file: file, line: line)
        XCTAssertEqual(b.cadenceStepsPerMin, truth.cadence, accuracy: 2, "\(label): cadence", file: file, line: line)
        XCTAssertTrue(r.steps.allSatisfy { !$0.provisional && $0.bout == 0 }, label, file: file, line: line)
    }

    func testWalkWithGyroscope() { check(SyntheticWalker(), "gyro") }

    func testWalkWithoutGyroscope() {
        var w = SyntheticWalker()
        w.withGyro = false
        check(w, "acc only")
    }

    func testOtherRates() {
        for fs in [50.0, 200.0] {
            var w = SyntheticWalker()
            w.rateHz = fs
            w.walkSeconds = 30
            check(w, "\(fs) Hz")
        }
    }

    func testSessionTimeOffset() {
        var w = SyntheticWalker()
        w.startSeconds = 1000
        w.walkSeconds = 30
        check(w, "offset clock")
    }

    func testMetresPerSecondSquaredInputGivesTheSameSteps() {
        var w = SyntheticWalker()
        w.walkSeconds = 30
        let (s, _) = w.generate()
        var ms2 = s
        ms2.accG = ContiguousArray(s.accG.map { $0 * 9.80665 })
        let a = BatchGaitAnalyzer().analyze(s), b = BatchGaitAnalyzer().analyze(ms2)
        XCTAssertTrue(b.orientation.convertedFromMetresPerSecondSquared)
        XCTAssertFalse(a.orientation.convertedFromMetresPerSecondSquared)
        XCTAssertTrue(b.notes.contains { $0.contains("m/s²") }, "\(b.notes)")
        XCTAssertEqual(a.steps.count, b.steps.count)
        for (x, y) in zip(a.steps, b.steps) { XCTAssertEqual(x.t, y.t, accuracy: 0.011) }
    }

    func testFinalContactsOfTheOppositeFoot() {
        let (s, truth) = SyntheticWalker().generate()
        let r = BatchGaitAnalyzer().analyze(s)
        let det = r.steps.map(\.t)
        let pairs = matchEvents(det, truth.ics, tolerance: 0.1)
        let fcErrors = pairs.compactMap { p in r.steps[p.0].fc.map { abs($0 - truth.fcs[p.1]) } }
        XCTAssertEqual(fcErrors.count, pairs.count)
        XCTAssertLessThanOrEqual(median(fcErrors), 0.05, "median |FC error|")
        XCTAssertTrue(r.steps.allSatisfy { ($0.fc ?? 0) > $0.t }, "FC after its IC")
    }

    func testMetricsOfSymmetricWalking() {
        let (s, truth) = SyntheticWalker().generate()
        let r = BatchGaitAnalyzer().analyze(s)
        guard let m = r.metrics else { return XCTFail("no metrics: \(r.notes)") }
        let steps = zip(truth.ics.dropFirst(), truth.ics).map { $0 - $1 }
        XCTAssertEqual(m.boutCount, 1)
        XCTAssertEqual(m.stepTimeSeconds ?? 0, steps.reduce(0, +) / Double(steps.count), accuracy: 0.01)
        XCTAssertEqual(m.strideTimeSeconds ?? 0, 2 * (m.stepTimeSeconds ?? 0), accuracy: 0.02)
        XCTAssertEqual(m.cadenceStepsPerMin ?? 0, truth.cadence, accuracy: 2)
        XCTAssertLessThan(m.stepTimeCVPercent ?? 100, 5)
        XCTAssertGreaterThan(m.stepTimeCVPercent ?? 0, 0.1, "jitter of ±2 % must show")
        XCTAssertLessThan(m.strideTimeCVPercent ?? 100, 5)
        XCTAssertLessThan(abs(m.stepTimeAsymmetryPercent ?? 100), 3)
        // truth: stance = (T + 0.24 T) / 2T = 62 %, double support = 2·0.24 T / 2T = 24 %
        XCTAssertEqual(m.stancePercent ?? 0, 62, accuracy: 6)
        XCTAssertEqual((m.stancePercent ?? 0) + (m.swingPercent ?? 0), 100, accuracy: 1e-9)
        XCTAssertEqual(m.doubleSupportPercent ?? 0, 24, accuracy: 8)
        XCTAssertGreaterThan(m.stepRegularity ?? 0, 0.8)
        XCTAssertGreaterThan(m.strideRegularity ?? 0, 0.8)
        XCTAssertLessThanOrEqual(m.stepRegularity ?? 2, 1)
        XCTAssertEqual(r.bouts[0].metrics.stepCount, r.steps.count)
    }

    func testAsymmetryShowsInTheSymmetryIndex() {
        var w = SyntheticWalker()
        w.asymmetry = 0.1          // left steps 0.605 s, right 0.495 s: SI = 100·0.11/0.55 = 20 %
        let (s, truth) = w.generate()
        let r = BatchGaitAnalyzer().analyze(s)
        let pairs = matchEvents(r.steps.map(\.t), truth.ics, tolerance: 0.1)
        let correct = pairs.filter { r.steps[$0.0].side == truth.sides[$0.1] }.count
        XCTAssertGreaterThanOrEqual(Double(correct) / Double(max(pairs.count, 1)), 0.95)
        XCTAssertEqual(r.metrics?.stepTimeAsymmetryPercent ?? 0, 20, accuracy: 4)
    }

    func testTwoBoutsSeparatedByStanding() {
        var w1 = SyntheticWalker()
        w1.walkSeconds = 20
        w1.tailSeconds = 8
        var w2 = w1
        w2.seed = 2
        let (a, ta) = w1.generate()
        let (b, tb) = w2.generate()
        let (series, offset) = IMUSeries.joined(a, b)
        let r = BatchGaitAnalyzer().analyze(series)
        XCTAssertEqual(r.bouts.count, 2, "\(r.bouts.map { ($0.startSeconds, $0.endSeconds) })")
        guard r.bouts.count == 2 else { return }
        XCTAssertEqual(r.bouts[0].startSeconds, ta.boutStart, accuracy: 0.5)
        XCTAssertEqual(r.bouts[1].startSeconds, tb.boutStart + offset, accuracy: 0.5)
        XCTAssertEqual(r.bouts[1].endSeconds, tb.boutEnd + offset, accuracy: 0.5)
        XCTAssertEqual(r.metrics?.boutCount, 2)
        XCTAssertEqual(r.steps.filter { $0.bout == 1 }.count, r.bouts[1].stepCount)
    }
}
