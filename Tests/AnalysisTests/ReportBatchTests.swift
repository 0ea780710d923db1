import Foundation
import XCTest

/// `report FOLDER`: one bad file among good ones does not cost the good ones their reports (issue 12, batch).
extension DataSafetyTests {
    func testFolderWithOneBadFileReportsTheGoodOnesListsTheBadAndFails() throws {
        let walks = dir.appendingPathComponent("walks")
        try FileManager.default.createDirectory(at: walks, withIntermediateDirectories: true)
        for name in ["a", "b"] {
            let r = try run(["simulate", "--out", "walks/\(name).gpsession", "--duration", "8", "--seed", "3"])
            XCTAssertEqual(r.status, 0, r.err)
        }
        try Data("not a recording at all\n".utf8).write(to: walks.appendingPathComponent("broken.gpsession"))
        let r = try run(["report", "walks", "--json", "out", "--no-history"])
        XCTAssertEqual(r.status, 1, "some failed: non-zero exit")
        for name in ["a", "b"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/\(name).report.json").path),
                          "\(name) reported: \(r.err)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/broken.report.json").path))
        XCTAssertTrue(r.err.contains("reported 2 of 3 recordings; 1 failed:"), r.err)
        let listed = r.err.split(separator: "\n").filter { $0.hasPrefix("  walks/broken.gpsession: ") }
        XCTAssertEqual(listed.count, 1, r.err)
        XCTAssertFalse(r.err.contains("Fatal error"))

        // All good: exit 0 and the total.
        try FileManager.default.removeItem(at: walks.appendingPathComponent("broken.gpsession"))
        let ok = try run(["report", "walks", "--json", "out", "--no-history"])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.err.contains("reported 2 of 2 recordings"), ok.err)
    }
}

/// Outputs a script reads: `-` is standard output, history JSON has numbers as numbers, a mistyped --db is an
/// error rather than a new, forgotten history.
extension DataSafetyTests {
    func testDashIsStandardOutputAndHistoryJSONHasNumbers() throws {
        let walk = try recording("w.gpsession", seconds: 8)
        let r = try run(["report", walk.lastPathComponent, "--json", "-", "--db", "h.sqlite"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path), "no file named -")
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        XCTAssertEqual(report["schema"] as? String, "gaitpop-report")

        let h = try run(["history", "--json", "--db", "h.sqlite"])
        XCTAssertEqual(h.status, 0, h.err)
        let walks = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(h.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(walks.count, 1)
        let w = walks[0]
        XCTAssertTrue(w["step_count"] is NSNumber, "numbers are numbers: \(w)")
        XCTAssertTrue(w["duration_seconds"] is NSNumber)
        XCTAssertTrue(w["pops_snap"] is NSNumber)
        XCTAssertTrue(w.keys.allSatisfy { $0 == $0.lowercased() }, "snake_case keys: \(w.keys)")
        XCTAssertTrue(w.keys.contains("cadence_steps_per_min"))

        let typo = try run(["history", "--db", "typo/x.sqlite"])
        XCTAssertEqual(typo.status, 0)
        XCTAssertTrue(typo.err.contains("no walks stored yet"), typo.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("typo").path), "nothing created")
        let rep = try run(["report", walk.lastPathComponent, "--json", "r.json", "--db", "typo/x.sqlite"])
        XCTAssertEqual(rep.status, 0, rep.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.json").path))
        XCTAssertTrue(rep.err.contains("does not exist") && rep.err.contains("--no-history"), rep.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("typo").path))
        XCTAssertNotEqual(try run(["report", walk.lastPathComponent, "--json", "-", "--html", "-"]).status, 0)
    }
}
