import Foundation
import XCTest

/// The history page through the real commands (issue 12, item 7): walks recorded on uneven dates sit at their dates,
/// ticks are round, cadence is not drawn from 0, the walks are an HTML table linking to each report, and `--subject`
/// keeps people apart.
extension DataSafetyTests {
    func testHistoryPageHasATimeAxisRoundTicksAndLinksPerSubject() throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("reports"), withIntermediateDirectories: true)
        // Anna walks on March 9, 10 and 14 and April 2 (uneven gaps); Ben once, on March 12.
        let walks: [(String, String, String)] = [("2026-03-09T08:10:00Z", "healthy", "anna"), ("2026-03-10T18:40:00Z", "snapping-tendon", "anna"),
                                                 ("2026-03-14T09:00:00Z", "grinding", "anna"), ("2026-04-02T07:30:00Z", "healthy", "anna"),
                                                 ("2026-03-12T12:00:00Z", "cavitation", "ben")]
        for (i, (start, preset, who)) in walks.enumerated() {
            let sim = try run(["simulate", "--scenario", preset, "--duration", "30", "--seed", "\(i + 1)", "--started-utc", start,
                               "--out", "w\(i).gpsession"])
            XCTAssertEqual(sim.status, 0, sim.err)
            let rep = try run(["report", "w\(i).gpsession", "--html", "reports/w\(i).html", "--db", "h.sqlite", "--subject", who])
            XCTAssertEqual(rep.status, 0, rep.err)
        }
        let h = try run(["history", "--db", "h.sqlite", "--subject", "anna", "--html", "anna.html", "--json"])
        XCTAssertEqual(h.status, 0, h.err)
        let listed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(h.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(listed.count, 4, "only Anna's walks")
        XCTAssertTrue(listed.allSatisfy { $0["subject"] as? String == "anna" })
        XCTAssertTrue(listed.allSatisfy { ($0["report_file"] as? String)?.hasSuffix(".html") == true })
        XCTAssertEqual(try run(["history", "--db", "h.sqlite", "--subject", "ben", "--json"]).out.components(separatedBy: "\"ben\"").count - 1, 1)

        let page = try String(contentsOf: dir.appendingPathComponent("anna.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("<h1>Walk history — anna</h1>"))
        XCTAssertFalse(page.contains("<pre>"), "a table, not preformatted text")
        // Links relative to the page, one per walk, to files that exist.
        let hrefs = page.components(separatedBy: "<a href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        XCTAssertEqual(hrefs, ["reports/w0.html", "reports/w1.html", "reports/w2.html", "reports/w3.html"])
        for href in hrefs { XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(href).path), href) }

        // The cadence chart (the third): x proportional to the dates, y ticks round and not from 0.
        let charts = page.components(separatedBy: "<svg class=\"trend\"").dropFirst().map { String($0.prefix { $0 != "\u{0}" }) }
        XCTAssertEqual(charts.count, 3)
        let cadence = String(charts[2][..<charts[2].range(of: "</svg>")!.lowerBound])
        let xs = numbers(in: cadence, after: "<circle class=\"walk\" cx=\"")
        XCTAssertEqual(xs.count, 4)
        let days = [0, 1 + 10.5 / 24, 5 + 50.0 / 60 / 24, 24 - 40.0 / 60 / 24] // days after the first walk
        for i in 1..<3 {
            XCTAssertEqual((xs[i] - xs[0]) / (xs[3] - xs[0]), days[i] / days[3], accuracy: 0.01, "walk \(i) at its date")
        }
        let yTicks = labels(in: cadence, cls: "ytick").compactMap(Double.init)
        XCTAssertGreaterThanOrEqual(yTicks.count, 3)
        XCTAssertGreaterThan(yTicks.min()!, 50, "cadence is not drawn from 0: \(yTicks)")
        let step = yTicks[1] - yTicks[0]
        XCTAssertTrue([1.0, 2, 2.5, 5, 10, 20, 25, 50].contains(step), "round step: \(yTicks)")
        XCTAssertTrue(yTicks.allSatisfy { abs(($0 / step).rounded() * step - $0) < 1e-9 }, "\(yTicks)")
        // Date labels: readable (month and day), distinct, none outside the drawing.
        let xLabels = labels(in: cadence, cls: "xtick")
        XCTAssertGreaterThanOrEqual(xLabels.count, 3)
        XCTAssertEqual(Set(xLabels).count, xLabels.count, "\(xLabels)")
        XCTAssertTrue(xLabels.allSatisfy { $0.hasPrefix("Mar ") || $0.hasPrefix("Apr ") }, "\(xLabels)")
        XCTAssertFalse(page.contains("2000-01-01"))
        // Every tick of every chart is a round number.
        for chart in charts {
            let ticks = labels(in: chart, cls: "ytick").compactMap(Double.init)
            let s = ticks[1] - ticks[0]
            let mantissa = s / pow(10, floor(log10(s)))
            XCTAssertTrue([1.0, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 }, "round ticks: \(ticks)")
        }
    }

    private func numbers(in s: String, after marker: String) -> [Double] {
        s.components(separatedBy: marker).dropFirst().compactMap { Double(String($0.prefix { $0 != "\"" })) }
    }

    private func labels(in s: String, cls: String) -> [String] {
        s.components(separatedBy: "<text class=\"\(cls)\"").dropFirst().compactMap { part in
            guard let open = part.firstIndex(of: ">"), let close = part.range(of: "</text>") else { return nil }
            return String(part[part.index(after: open)..<close.lowerBound])
        }
    }
}
