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
