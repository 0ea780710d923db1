import Foundation
import XCTest
import TestSupport
@testable import Analysis
@testable import Pipeline
@testable import Simulation

/// What the patient reads (issue 12, item 8): the file name and local time in the header, advice that follows the
/// findings, patterns in plain words with the statistics kept in the researcher section, left red / right green
/// with a second cue on the timeline — and the report still says it informs and does not diagnose.
final class ReportWordingTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-wording") }

    func report(_ preset: String, seconds: Double = 40) throws -> WalkReport {
        var sc = try XCTUnwrap(Scenario.preset(preset))
        sc.durationSeconds = seconds
        let path = dir.appendingPathComponent("\(preset).gpsession").path
        try SimulatedRecording.write(scenario: sc, seed: 1, to: path)
        return try WalkAnalysis.analyze(path: path, software: "test")
    }

    /// The part of the page a patient reads: everything before the researcher section.
    func patientPart(_ html: String) throws -> String {
        String(html[..<(try XCTUnwrap(html.range(of: "<details id=\"for-researchers\">"))).lowerBound])
    }

    func testHeaderShowsFileNameAndLocalTime() throws {
        let r = try report("healthy", seconds: 20)
        XCTAssertTrue(r.session.path.hasPrefix(dir.path))
        let html = ReportHTML.render(r), md = ReportMarkdown.render(r)
        XCTAssertFalse(html.contains(dir.path), "no absolute path in the HTML")
        XCTAssertFalse(md.contains(dir.path), "no absolute path in the Markdown")
        XCTAssertTrue(html.contains("healthy.gpsession · recorded "))
        let local = ReportWording.localTime(r.session.startedUtc)
        XCTAssertTrue(html.contains("recorded \(local)"), local)
        XCTAssertTrue(md.contains("Recorded \(local),"), md)
        XCTAssertFalse(try patientPart(html).contains(r.session.startedUtc), "raw UTC only for researchers")

        // The simulator's fixed start, 2000-01-01T00:00:00Z, in three zones.
        XCTAssertEqual(ReportWording.localTime("2000-01-01T00:00:00.000Z", timeZone: TimeZone(identifier: "Europe/Berlin")!),
                       "2000-01-01 01:00 (UTC+01:00)")
        XCTAssertEqual(ReportWording.localTime("2000-01-01T00:00:00.000Z", timeZone: TimeZone(identifier: "America/New_York")!),
                       "1999-12-31 19:00 (UTC−05:00)")
        XCTAssertEqual(ReportWording.localTime("2000-07-01T12:30:00Z", timeZone: TimeZone(identifier: "Asia/Kolkata")!),
                       "2000-07-01 18:00 (UTC+05:30)")
        XCTAssertEqual(ReportWording.localTime("not a time"), "not a time")
    }

    func testWarningSignsReplaceTheExercisesWithSeeAProfessional() throws {
        // The grinding walker presses the pain button near a grind: warning signs.
        let bad = try report("grinding")
        XCTAssertTrue(bad.pops.contains { $0.kind == .grind })
        XCTAssertFalse(ReportWording.warningSigns(bad).isEmpty)
        let html = ReportHTML.render(bad), md = ReportMarkdown.render(bad)
        XCTAssertTrue(html.contains("id=\"see-a-professional\""))
        XCTAssertTrue(html.contains("Stop the exercises and see a professional"))
        XCTAssertTrue(html.contains("<strong>Grinding keeps coming</strong>"), "alert titles in plain words")
        XCTAssertFalse(try patientPart(html).contains("grind_recurring"))
        XCTAssertFalse(html.contains("id=\"exercises\""), "no exercise list after warning signs")
        XCTAssertFalse(html.contains("planks"))
        XCTAssertTrue(md.contains("**Stop the exercises and see a professional**"), md)
        XCTAssertFalse(md.contains("planks"))
        XCTAssertTrue(html.contains("does not diagnose") && md.contains("does not diagnose"))

        // A painless walk with no grinding: the exercises, no "stop".
        let ok = try report("healthy", seconds: 30)
        XCTAssertEqual(ReportWording.warningSigns(ok), [])
        let okHTML = ReportHTML.render(ok), okMD = ReportMarkdown.render(ok)
        XCTAssertTrue(okHTML.contains("id=\"exercises\"") && okHTML.contains("planks"))
        XCTAssertFalse(okHTML.contains("see-a-professional"))
        XCTAssertTrue(okMD.contains("## What you can do") && !okMD.contains("Stop the exercises"))
        XCTAssertTrue(okHTML.contains("does not diagnose") && okMD.contains("does not diagnose"))
    }

    func testStatisticsOnlyInTheResearcherSection() throws {
        let r = try report("snapping-tendon")
        let snaps = try XCTUnwrap(r.patterns.kinds.first { $0.kind == "snap" })
        XCTAssertNotNil(snaps.clusterStrides, "a phase-locked snap pattern")
        XCTAssertTrue(snaps.description.contains("Rayleigh p"), "the JSON keeps the numbers")
        let html = ReportHTML.render(r)
        let patient = try patientPart(html)
        XCTAssertFalse(patient.contains("Rayleigh"), "no test statistics in the patient's text")
        XCTAssertFalse(patient.contains("R = "))
        XCTAssertTrue(patient.contains(ReportWording.plainPattern(snaps).replacingOccurrences(of: "&", with: "&amp;")))
        XCTAssertTrue(patient.contains("each time at about the same point of the stride"))
        let research = String(html[html.range(of: "<details id=\"for-researchers\">")!.lowerBound...])
        XCTAssertTrue(research.contains("Rayleigh p"))
        XCTAssertTrue(research.contains(String(format: "%.2f", try XCTUnwrap(snaps.phase).resultantLength)))
        XCTAssertTrue(research.contains("<code>stride_time_cv_percent</code>"))

        let md = ReportMarkdown.render(r)
        let mdPatient = String(md[..<(try XCTUnwrap(md.range(of: "## For researchers"))).lowerBound])
        XCTAssertFalse(mdPatient.contains("Rayleigh"), mdPatient)
        XCTAssertTrue(md[md.range(of: "## For researchers")!.lowerBound...].contains("Rayleigh z"))
    }

    func testTimelineDrawsLeftRedSolidAndRightGreenDashed() throws {
        let r = try report("healthy", seconds: 20)
        let html = ReportHTML.render(r)
        let lefts = r.steps.filter { $0.side == .left }.count, rights = r.steps.filter { $0.side == .right }.count
        XCTAssertGreaterThan(lefts, 5)
        let leftLines = html.components(separatedBy: "<line class=\"ic-left\"").dropFirst()
        let rightLines = html.components(separatedBy: "<line class=\"ic-right\"").dropFirst()
        XCTAssertEqual(leftLines.count, lefts)
        XCTAssertEqual(rightLines.count, rights)
        XCTAssertTrue(leftLines.allSatisfy { $0.prefix(120).contains("stroke=\"#dc2626\"") && !$0.prefix(120).contains("dasharray") })
        XCTAssertTrue(rightLines.allSatisfy { $0.prefix(140).contains("stroke=\"#16a34a\"") && $0.prefix(140).contains("stroke-dasharray") })
        XCTAssertTrue(html.contains("● left contact (red, solid)") && html.contains("■ right contact (green, dashed)"), "legend")
    }
}
