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
