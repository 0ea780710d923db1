import Foundation
import XCTest
import TestSupport

/// `gaitpop report --age/--sex` through the real executable on a simulated walk: the band used is named beside
/// every range in HTML and Markdown and stored in the JSON; a bad value is one line and no report.
final class ReportWearerTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-wearer") }

    private func walk() throws -> String {
        let r = try runGaitpop(["simulate", "--out", "walk.gpsession", "--duration", "10", "--seed", "5"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        return "walk.gpsession"
    }

    func testAgeAndSexChooseTheBandShownInHTMLMarkdownAndJSON() throws {
        let w = try walk()
        let r = try runGaitpop(["report", w, "--age", "78", "--sex", "female", "--html", "w.html", "--json", "w.json",
                                "--no-history"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let html = try String(contentsOf: dir.appendingPathComponent("w.html"), encoding: .utf8)
        // Cadence and the step/stride times derived from it: the women's band; stance/swing/double support: no band
        // is published for 78-year-olds, so the all-adults envelope, and the report says so.
        XCTAssertTrue(html.contains("96–138 <small>(women, Tudor-Locke &amp; Rowe 2012)</small>"), html)
        XCTAssertTrue(html.contains("0.43–0.62 <small>(women, Tudor-Locke &amp; Rowe 2012)</small>"), html)
        XCTAssertTrue(html.contains("55.8–71.4 <small>(all adults, Kirtley, CGA normative data)</small>"), html)
        XCTAssertTrue(html.contains("women usually walk at 96–138"), html)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("w.json")))
                                 as? [String: Any])
        XCTAssertEqual(json["wearer_age_years"] as? Int, 78)
        XCTAssertEqual(json["wearer_sex"] as? String, "female")
        let md = try runGaitpop(["report", w, "--age", "78", "--sex", "FEMALE", "--md", "--no-history"], cwd: dir)
        XCTAssertEqual(md.status, 0, md.err)
        XCTAssertTrue(md.out.contains("96–138 (women, Tudor-Locke & Rowe 2012)"), md.out)
        // Without them: the all-adults ranges, labelled so.
        let plain = try runGaitpop(["report", w, "--md", "--no-history"], cwd: dir)
        XCTAssertEqual(plain.status, 0, plain.err)
        XCTAssertTrue(plain.out.contains("81–138 (all adults, Tudor-Locke & Rowe 2012)"), plain.out)
    }

    func testBadAgeOrSexIsOneLineAndNoReport() throws {
        let w = try walk()
        for (flag, value, words) in [("--age", "abc", "--age must be a whole number of years from 18 to 120 (got abc)"),
                                     ("--age", "7", "--age must be from 18 to 120 years (got 7)"),
                                     ("--age", "200", "--age must be from 18 to 120 years (got 200)"),
                                     ("--age", "70.5", "--age must be a whole number"),
                                     ("--sex", "x", "--sex must be female or male (got x)")] {
            let r = try runGaitpop(["report", w, flag, value, "--html", "bad.html", "--no-history"], cwd: dir)
            XCTAssertEqual(r.status, 1, "\(flag) \(value): \(r.err)")
            XCTAssertEqual(r.err.split(separator: "\n").count, 1, "\(flag) \(value): one line, got \(r.err)")
            XCTAssertTrue(r.err.contains(words), "\(flag) \(value): \(r.err)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.html").path),
                           "validation fails before any work")
        }
    }
}
