import Foundation
import XCTest
import TestSupport
@testable import Analysis

/// `export --bids`: the files BIDS's motion modality asks for, with the rules a validator checks (motion.tsv has no
/// header and as many columns as channels.tsv has rows; events have onset and duration and are in time order), and
/// values a researcher can trust (SI units, one row per IMU sample, contacts per side, every pop).
/// `.ci/run` also runs the official BIDS validator on an export (scripts/check-bids-export.sh).
final class BIDSExportTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-bids") }

    static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleData")

    func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.components(separatedBy: "\t") }
    }

    func testGrindingWalkExportsAValidLookingDataset() throws {
        let rec = Self.sampleData.appendingPathComponent("walk-grinding.gpsession").path
        let report = try WalkAnalysis.analyze(path: rec, software: "test")
        var o = BIDSMotionExport.Options()
        o.subject = "P07"
        let r = try BIDSMotionExport.write(recording: rec, report: report, to: dir.path, options: o)
        let motion = dir.appendingPathComponent("sub-P07/motion").path + "/"
        let stem = motion + "sub-P07_task-walk_tracksys-hipimu"
        for f in ["dataset_description.json", "README", "participants.tsv", "sub-P07/sub-P07_scans.tsv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), f)
        }

        let channels = try rows(stem + "_channels.tsv")
        XCTAssertEqual(channels[0].prefix(5), ["name", "component", "type", "tracked_point", "units"])
        XCTAssertEqual(channels.dropFirst().map { $0[2] }, ["LATENCY", "ACCEL", "ACCEL", "ACCEL", "GYRO", "GYRO", "GYRO"])
        let samples = try rows(stem + "_motion.tsv")
        XCTAssertEqual(samples.count, r.samples)
        XCTAssertEqual(samples.count, 3000, "30 s at 100 Hz, one row per sample")
        XCTAssertNotNil(Double(samples[0][0]), "no header row in motion.tsv")
        XCTAssertTrue(samples.allSatisfy { $0.count == channels.count - 1 }, "one column per channels.tsv row")
        var lastLatency = -1.0
        var gravity = 0.0
        for s in samples {
            let latency = try XCTUnwrap(Double(s[0]))
            XCTAssertGreaterThan(latency, lastLatency)
            lastLatency = latency
            let a = try (1...3).map { try XCTUnwrap(Double(s[$0])) }
            gravity += (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).squareRoot()
        }
        XCTAssertEqual(Double(samples[0][0]), 0)
        XCTAssertEqual(gravity / Double(samples.count), 9.81, accuracy: 0.4, "acceleration in m/s², gravity included")

        let sidecar = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: stem + "_motion.json"))) as? [String: Any])
        XCTAssertEqual(sidecar["SamplingFrequency"] as? Double, 100)
        XCTAssertEqual(sidecar["TaskName"] as? String, "walk")
        XCTAssertEqual(sidecar["MotionChannelCount"] as? Int, channels.count - 1)

        let events = try rows(motion + "sub-P07_task-walk_events.tsv")
        XCTAssertEqual(events[0].prefix(3), ["onset", "duration", "trial_type"])
        let body = events.dropFirst()
        let onsets = body.map { Double($0[0])! }
        XCTAssertEqual(onsets, onsets.sorted())
        XCTAssertEqual(body.filter { $0[2] == "initial_contact" }.count, report.steps.count)
        XCTAssertGreaterThan(body.filter { $0[2] == "initial_contact" && $0[3] == "left" }.count, 10)
        XCTAssertGreaterThan(body.filter { $0[2] == "initial_contact" && $0[3] == "right" }.count, 10)
        XCTAssertEqual(body.filter { $0[2] == "pop" }.count, report.pops.count)
        XCTAssertEqual(body.filter { $0[2] == "marker" && $0[4] == "pain" }.count, 1)
        XCTAssertTrue(body.allSatisfy { $0.count == 7 })

        let scans = try rows(dir.appendingPathComponent("sub-P07/sub-P07_scans.tsv").path)
        XCTAssertEqual(scans[1][0], "motion/sub-P07_task-walk_tracksys-hipimu_motion.tsv")
        XCTAssertNotNil(scans[1][1].range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$"#, options: .regularExpression))
    }

    func testLabelsMustBeAlphanumeric() {
        XCTAssertTrue(BIDSMotionExport.isValidLabel("P07"))
        XCTAssertFalse(BIDSMotionExport.isValidLabel("p-07"))
        XCTAssertFalse(BIDSMotionExport.isValidLabel("p/07"))
        XCTAssertFalse(BIDSMotionExport.isValidLabel(""))
    }
}
