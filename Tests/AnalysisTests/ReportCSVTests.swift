import Foundation
import XCTest
import TestSupport
@testable import Analysis
@testable import Gait

/// `report --csv` tables, read back by Python's csv module as a researcher's script would: header names with
/// units, one row per step / stride / pop / marker / alert of the JSON report, empty cells only where a value is
/// unknown, and stance and swing that add up to the stride.
final class ReportCSVTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-csv") }

    static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleData")

    /// Python's csv.DictReader over each file: {"file": {"header": [...], "rows": [{col: value}]}}.
    func readWithPython(_ files: [String]) throws -> [String: (header: [String], rows: [[String: String]])] {
        let script = """
            import csv, json, sys
            out = {}
            for p in sys.argv[1:]:
                with open(p, newline="") as f:
                    r = csv.DictReader(f)
                    rows = list(r)
                    out[p.rsplit("/", 1)[-1]] = {"header": r.fieldnames, "rows": rows}
            print(json.dumps(out))
            """
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        proc.arguments = ["python3", "-c", script] + files
        let pipe = Pipe()
        proc.standardOutput = pipe
        try proc.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        proc.waitUntilExit()
        XCTAssertEqual(proc.terminationStatus, 0, "python3 could not read the tables")
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        return try root.mapValues { v in
            (try XCTUnwrap(v["header"] as? [String]), try XCTUnwrap(v["rows"] as? [[String: String]]))
        }
    }

    func testTablesOfAWalkWithGrindingReadBackWithTheReportsCounts() throws {
        let path = Self.sampleData.appendingPathComponent("walk-grinding.gpsession").path
        let r = try WalkAnalysis.analyze(path: path, software: "test")
        let files = try ReportCSV.write(r, toDirectory: dir.path)
        let t = try readWithPython(files)
        XCTAssertEqual(Set(t.keys), Set(ReportCSV.fileNames))

        let steps = try XCTUnwrap(t["steps.csv"])
        XCTAssertEqual(steps.header, ["ic_seconds", "side", "bout", "step_time_seconds", "opposite_fc_seconds",
                                      "initial_double_support_seconds", "step_length_m"])
        // no leg length given: step lengths are empty cells, never made up
        XCTAssertTrue(steps.rows.allSatisfy { $0["step_length_m"] == "" })
        XCTAssertEqual(steps.rows.count, r.steps.count)
        XCTAssertGreaterThan(r.steps.count, 20)
        XCTAssertEqual(Double(steps.rows[0]["ic_seconds"]!)!, r.steps.map(\.t).min()!, accuracy: 0.0005)

        let pops = try XCTUnwrap(t["pops.csv"])
        XCTAssertEqual(pops.rows.count, r.pops.count)
        XCTAssertGreaterThan(r.pops.count, 3)
        XCTAssertTrue(pops.rows.allSatisfy { $0["kind"] == "grind" || $0["kind"] == "snap" || $0["kind"] == "cavitation"
                                             || $0["kind"] == "unknown" })
        XCTAssertEqual(try XCTUnwrap(t["alerts.csv"]).rows.count, r.alerts.count)
        XCTAssertEqual(try XCTUnwrap(t["markers.csv"]).rows.count, r.markers.count)
        XCTAssertEqual(r.markers.count, 1, "the sample walk has one pain-button press")

        let strides = try XCTUnwrap(t["strides.csv"])
        XCTAssertTrue(strides.header.contains("stance_percent") && strides.header.contains("tilt_range_deg"))
        XCTAssertGreaterThanOrEqual(strides.rows.count, r.strides.count - 2 * max(1, r.bouts.count))
        var stancePercents: [Double] = []
        for row in strides.rows {
            let stride = try XCTUnwrap(Double(row["stride_time_seconds"]!))
            XCTAssertTrue((0.7...2.0).contains(stride), "stride \(stride) s")
            if let st = Double(row["stance_seconds"]!), let sw = Double(row["swing_seconds"]!) {
                XCTAssertEqual(st + sw, stride, accuracy: 0.002, "stance + swing = stride")
                stancePercents.append(Double(row["stance_percent"]!)!)
            }
            XCTAssertTrue(row["side"] == "left" || row["side"] == "right")
        }
        stancePercents.sort()
        XCTAssertFalse(stancePercents.isEmpty)
        let median = stancePercents[stancePercents.count / 2]
        XCTAssertTrue((52...72).contains(median), "median stance \(median) % of stride")
        let withTilt = strides.rows.filter { !($0["tilt_mean_deg"] ?? "").isEmpty }
        XCTAssertGreaterThan(withTilt.count, strides.rows.count / 2, "most strides carry their pelvic tilt")
    }

    func testEmptyReportStillWritesHeaders() throws {
        let path = Self.sampleData.appendingPathComponent("lab-HA-001-Test5-Trial1.gpsession").path
        let r = try WalkAnalysis.analyze(path: path, software: "test")
        XCTAssertTrue(r.pops.isEmpty)
        let t = try readWithPython(try ReportCSV.write(r, toDirectory: dir.path))
        XCTAssertEqual(t["pops.csv"]?.rows.count, 0)
        XCTAssertEqual(t["pops.csv"]?.header.first, "t_seconds")
        XCTAssertEqual(t["steps.csv"]?.rows.count, r.steps.count)
    }
}
