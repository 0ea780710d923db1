import Foundation
import XCTest
import TestSupport
import Gait
@testable import Analysis
@testable import Pipeline
@testable import Simulation

/// Variability and symmetry from a short walk are shown but not flagged: every rendering says "too few strides"
/// instead (issue 12, item 1). The same irregular walker, long enough, is flagged where out of range.
final class MinimumStridesTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-min-strides") }

    /// An irregular walker (step-time CV 12 %, 10 % asymmetry): 2 s standing, then `walkSeconds` of walking.
    func report(walkSeconds: Double) throws -> WalkReport {
        var sc = Scenario()
        sc.name = "irregular"
        sc.durationSeconds = walkSeconds + 2
        sc.segments = [Scenario.Segment(.stand, seconds: 2), Scenario.Segment(.walk, seconds: walkSeconds, cadence: 110)]
        sc.gait.stepTimeCV = 0.12
        sc.gait.asymmetry = 0.1
        let path = dir.appendingPathComponent("walk-\(Int(walkSeconds)).gpsession").path
        try SimulatedRecording.write(scenario: sc, seed: 1, to: path)
        return try WalkAnalysis.analyze(path: path, software: "test")
    }

    func testShortWalkSaysTooFewStridesInsteadOfAFlag() throws {
        let r = try report(walkSeconds: 8)
        let steps = try XCTUnwrap(r.gait?.stepCount)
        XCTAssertTrue((10...18).contains(steps), "a short walk: \(steps) steps")
        let strides = MinimumStrides.count(r.steps)
        XCTAssertLessThan(strides, MinimumStrides.symmetry)
        // The value is there, and out of the typical range, yet not flagged.
        let cv = try XCTUnwrap(r.gait?.strideTimeCVPercent)
        XCTAssertEqual(NormativeRanges.classify(cv, as: .strideTimeCVPercent), .above, "the walker is irregular: \(cv)")
        let a = try XCTUnwrap(GaitAssessment.of("stride_time_cv_percent", in: r))
        XCTAssertEqual(a.assessment, .tooFewStrides)
        XCTAssertFalse(a.isFlagged)
        XCTAssertEqual(a.strides, strides)
        XCTAssertEqual(a.minimumStrides, MinimumStrides.variability)
        XCTAssertEqual(GaitAssessment.of("step_time_asymmetry_percent", in: r)?.assessment, .tooFewStrides)
        let expected = "too few strides (\(strides); at least \(MinimumStrides.variability) needed)"

        // JSON: the documented field, read back from the encoded bytes.
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportJSON.encode(r)) as? [String: Any])
        let list = try XCTUnwrap(json["gait_assessments"] as? [[String: Any]])
        let cvEntry = try XCTUnwrap(list.first { $0["measure"] as? String == "stride_time_cv_percent" })
        XCTAssertEqual(cvEntry["assessment"] as? String, "too_few_strides")
        XCTAssertEqual(cvEntry["strides"] as? Int, strides)
        XCTAssertEqual(cvEntry["minimum_strides"] as? Int, MinimumStrides.variability)
        XCTAssertEqual(try ReportJSON.decode(try ReportJSON.encode(r)).gaitAssessments, r.gaitAssessments)

        // HTML: the value shown, no orange highlight on a variability or symmetry row, the reason printed.
        let html = ReportHTML.render(r)
        let start = try XCTUnwrap(html.range(of: "<h2>Gait</h2>"))
        let end = try XCTUnwrap(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
        let gaitTable = String(html[start.lowerBound..<end.upperBound])
        XCTAssertTrue(gaitTable.contains(String(format: "%.1f", cv)))
        for row in gaitTable.components(separatedBy: "<tr>") where row.contains("variability") || row.contains("asymmetry") {
            XCTAssertFalse(row.contains("class=\"out\""), row)
            XCTAssertTrue(row.contains("too few strides ("), row)
        }
        XCTAssertTrue(html.contains(expected), "HTML says why there is no flag")
        XCTAssertTrue(html.contains("too short to compare your left and right steps"))

        // Markdown.
        let md = ReportMarkdown.render(r)
        XCTAssertTrue(md.contains(expected), md)
        XCTAssertFalse(md.contains("(outside)"), md)
    }

    func testLongWalkIsStillFlaggedWhereOutOfRange() throws {
        let r = try report(walkSeconds: 90)
        XCTAssertGreaterThanOrEqual(MinimumStrides.count(r.steps), MinimumStrides.variability)
        let cv = try XCTUnwrap(r.gait?.strideTimeCVPercent)
        let a = try XCTUnwrap(GaitAssessment.of("stride_time_cv_percent", in: r))
        XCTAssertEqual(a.assessment, NormativeRanges.range(for: .strideTimeCVPercent)!.classify(cv) == .above ? .above : .within)
        XCTAssertEqual(a.assessment, .above, "a 12 % step-time CV walker is out of range: \(cv)")
        XCTAssertNil(a.tooFewText)
        let html = ReportHTML.render(r)
        XCTAssertTrue(html.contains("<td class=\"out\">\(String(format: "%.1f", cv))</td>"), "flagged in HTML")
        XCTAssertFalse(html.contains("too few strides"))
        XCTAssertTrue(ReportMarkdown.render(r).contains("**\(String(format: "%.1f", cv)) %** (outside)"))
    }

    func testStrideCountPerBout() {
        func steps(_ perBout: [Int]) -> [GaitStep] {
            var out: [GaitStep] = []
            for (b, n) in perBout.enumerated() {
                for k in 0..<n {
                    out.append(GaitStep(t: Double(b * 100 + k), side: k % 2 == 0 ? .left : .right, fc: nil, bout: b, provisional: false))
                }
            }
            return out
        }
        XCTAssertEqual(MinimumStrides.count(steps([11])), 5)
        XCTAssertEqual(MinimumStrides.count(steps([11, 3, 1])), 6)
        XCTAssertEqual(MinimumStrides.count([]), 0)
    }
}

/// The same rule through the command line: `gaitpop simulate` a short walk, `gaitpop report` it.
extension DataSafetyTests {
    func testShortSimulatedWalkReportSaysTooFewStrides() throws {
        // The healthy walker stands 5 s, then walks: 12 s gives about a dozen steps.
        let sim = try run(["simulate", "--duration", "12", "--out", "short.gpsession"])
        XCTAssertEqual(sim.status, 0, sim.err)
        let rep = try run(["report", "short.gpsession", "--html", "short.html", "--json", "short.json", "--md", "--no-history"])
        XCTAssertEqual(rep.status, 0, rep.err)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("short.json"))) as? [String: Any])
        let steps = try XCTUnwrap((json["gait"] as? [String: Any])?["step_count"] as? Int)
        XCTAssertTrue((6...20).contains(steps), "\(steps) steps")
        let list = try XCTUnwrap(json["gait_assessments"] as? [[String: Any]])
        for key in ["step_time_cv_percent", "stride_time_cv_percent", "step_time_asymmetry_percent"] {
            let a = try XCTUnwrap(list.first { $0["measure"] as? String == key }, key)
            XCTAssertEqual(a["assessment"] as? String, "too_few_strides", key)
        }
        let html = try String(contentsOf: dir.appendingPathComponent("short.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("too few strides ("), "HTML")
        XCTAssertTrue(rep.out.contains("too few strides ("), "Markdown on stdout")
        XCTAssertFalse(rep.out.contains("(outside)"))
    }
}
