import Foundation
import XCTest
import TestSupport
@testable import Analysis
@testable import History
@testable import Pipeline
@testable import Simulation

final class HistoryStoreTests: XCTestCase {
    func testReportsAreStoredReplacedAndTrendedInOrder() throws {
        let dir = try makeTemporaryDirectory("gaitpop-hist")
        let db = dir.appendingPathComponent("sub/history.sqlite").path
        let store = try HistoryStore(path: db)
        var reports: [WalkReport] = []
        for (i, preset) in ["healthy", "snapping-tendon"].enumerated() {
            var sc = Scenario.preset(preset)!
            sc.durationSeconds = 30
            let p = dir.appendingPathComponent("\(preset).gpsession").path
            try SimulatedRecording.write(scenario: sc, seed: UInt64(10 + i), to: p)
            var r = try WalkAnalysis.analyze(path: p, software: "test")
            r.session.startedUtc = "2026-0\(i + 1)-01T10:00:00.000Z" // two different days
            reports.append(r)
            try store.add(r)
        }
        try store.add(reports[1]) // re-reporting replaces, never duplicates
        let walks = try HistoryStore(path: db).walks() // reopened from disk
        XCTAssertEqual(walks.count, 2)
        XCTAssertEqual(walks.map(\.startedUtc), ["2026-01-01T10:00:00.000Z", "2026-02-01T10:00:00.000Z"])
        XCTAssertEqual(walks[0].popsSnap, 0)
        XCTAssertGreaterThan(walks[1].popsSnap, 5)
        XCTAssertEqual(walks[1].steps, reports[1].steps.count)
        XCTAssertEqual(try XCTUnwrap(walks[1].per100(walks[1].popsSnap)), Double(walks[1].popsSnap) * 100 / Double(walks[1].steps), accuracy: 1e-9)
        // The full report survives in the database.
        let back = try ReportJSON.decode(Data(walks[1].reportJson.utf8))
        XCTAssertEqual(back.pops.count, reports[1].pops.count)
        let html = HistoryRender.html(walks)
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 3, "three trend charts")
        XCTAssertTrue(HistoryRender.table(walks).contains("snapping-tendon.gpsession"))
    }
}

/// A database written before subjects and report links existed (schema v1, kept under Tests/Fixtures/history) opens,
/// keeps its walk, gains the new columns empty, and takes new walks with a subject.
final class HistoryMigrationTests: XCTestCase {
    func testVersion1DatabaseIsMigrated() throws {
        let dir = try makeTemporaryDirectory("gaitpop-hist-v1")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/history/history-v1.sqlite")
        let db = dir.appendingPathComponent("history.sqlite")
        try FileManager.default.copyItem(at: fixture, to: db)
        let store = try HistoryStore(path: db.path, createFolder: false)
        let old = try store.walks()
        XCTAssertEqual(old.map(\.recording), ["/fixtures/old-walk.gpsession"])
        XCTAssertNil(old[0].subject)
        XCTAssertNil(old[0].reportFile)

        var sc = Scenario.preset("healthy")!
        sc.durationSeconds = 12
        let p = dir.appendingPathComponent("new.gpsession").path
        try SimulatedRecording.write(scenario: sc, seed: 2, to: p, startedUTC: "2026-03-05T10:00:00.000Z")
        let r = try WalkAnalysis.analyze(path: p, software: "test")
        try store.add(r, subject: "anna", reportFile: dir.appendingPathComponent("new.html").path)
        let again = try HistoryStore(path: db.path, createFolder: false)
        XCTAssertEqual(try again.walks().count, 2)
        let anna = try again.walks(subject: "anna")
        XCTAssertEqual(anna.map(\.startedUtc), ["2026-03-05T10:00:00.000Z"])
        XCTAssertEqual(anna[0].reportFile, dir.appendingPathComponent("new.html").standardizedFileURL.path)
        XCTAssertEqual(try again.walks(subject: "ben"), [])
    }

    func testRoundTicksAndTimeAxis() {
        // The values that gave 46.0/34.5/23.0 before.
        let a = HistoryAxes.valueAxis([0, 41.8], includeZero: true)
        XCTAssertEqual(a.lo, 0)
        XCTAssertEqual(a.step, 10)
        XCTAssertEqual(a.ticks, [0, 10, 20, 30, 40, 50])
        let cad = HistoryAxes.valueAxis([96.2, 109.3], includeZero: false, minSpan: 10)
        XCTAssertEqual(cad.ticks, [95, 100, 105, 110])
        let tilt = HistoryAxes.valueAxis([1.9, 2.0], includeZero: true, minSpan: 2)
        XCTAssertEqual(tilt.ticks.map(tilt.label), ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"])
        XCTAssertEqual(HistoryAxes.ValueAxis(lo: 0, hi: 1, step: 0.25).label(0.5), "0.50")
        XCTAssertEqual(HistoryAxes.niceStep(11.5), 20)
        XCTAssertEqual(HistoryAxes.niceStep(0.23), 0.25)

        let d = { HistoryAxes.date($0)! }
        let axis = HistoryAxes.timeAxis([d("2026-03-09T08:10:00Z"), d("2026-04-02T07:30:00Z")])
        XCTAssertLessThan(axis.start, d("2026-03-09T08:10:00Z"))
        XCTAssertGreaterThan(axis.end, d("2026-04-02T07:30:00Z"))
        XCTAssertTrue((3...7).contains(axis.ticks.count), "\(axis.ticks.map(\.1))")
        XCTAssertTrue(axis.ticks.allSatisfy { $0.0 >= axis.start && $0.0 <= axis.end })
        XCTAssertEqual(axis.fraction(axis.start), 0)
        XCTAssertEqual(axis.fraction(axis.end), 1)
        // One walk, or several within an hour: a sensible window, not a division by zero.
        let one = HistoryAxes.timeAxis([d("2026-03-09T08:10:00Z")])
        XCTAssertEqual(one.fraction(d("2026-03-09T08:10:00Z")), 0.5, accuracy: 1e-9)
        XCTAssertFalse(one.ticks.isEmpty)
    }
}
