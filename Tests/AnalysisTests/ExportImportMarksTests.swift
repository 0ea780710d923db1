import Foundation
import XCTest
import TestSupport
@testable import Analysis
@testable import Pipeline
@testable import Recording
@testable import Simulation

/// `export --csv --wav` → `import` → `export` again through the real command: the device markers, the wearer's
/// pain presses and notes, the start time and the header notes all come back, and the walk's report shows the
/// same marks.
final class ExportImportMarksTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-marks") }

    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }

    struct Mark: Equatable { var t: Double; var source, kind, id, text: String }

    func marks(_ csv: String) throws -> [Mark] {
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "t_seconds,source,kind,marker_id,text", "the columns of report --csv's markers.csv")
        return lines.dropFirst().map { l in
            let f = l.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            return Mark(t: Double(f[0])!, source: f[1], kind: f[2], id: f[3], text: f.count > 4 ? f[4] : "")
        }
    }

    func testMarksNotesAndStartTimeSurviveExportThenImport() throws {
        var sc = try XCTUnwrap(Scenario.preset("grinding"))
        sc.durationSeconds = 25
        try SimulatedRecording.write(firmware: VirtualFirmware(scenario: sc, seed: 3), to: path("a.gpsession"),
                                     durationSeconds: 25, markerEverySeconds: 8,
                                     hostNotes: [(6.0, NoteRecord(kind: .pain)),
                                                 (17.25, NoteRecord(kind: .note, text: "hip, \"clunk\" on stairs"))])
        let e1 = try runGaitpop(["export", path("a.gpsession"), "--csv", path("csv1"), "--wav", path("a.wav")])
        XCTAssertEqual(e1.status, 0, e1.err)
        let info = try JSONDecoder().decode(ExportSessionInfo.self,
                                            from: Data(contentsOf: URL(fileURLWithPath: path("csv1/session.json"))))
        XCTAssertEqual(info.startedUtc, "2000-01-01T00:00:00.000Z")

        let i = try runGaitpop(["import", "--imu", path("csv1/imu.csv"), "--audio", path("a.wav"), "--out", path("b.gpsession")])
        XCTAssertEqual(i.status, 0, i.err)
        XCTAssertTrue(i.err.contains("session.json and markers.csv"), i.err)
        let before = try marks(path("csv1/markers.csv"))
        XCTAssertTrue(i.out.contains("with \(before.count) marks"), i.out)

        let e2 = try runGaitpop(["export", path("b.gpsession"), "--csv", path("csv2"), "--wav", path("b.wav")])
        XCTAssertEqual(e2.status, 0, e2.err)
        let after = try marks(path("csv2/markers.csv"))
        XCTAssertGreaterThanOrEqual(before.filter { $0.source == "device" }.count, 3, "a device marker every 8 s")
        XCTAssertEqual(before.filter { $0.source == "host" }.count, 2)
        XCTAssertEqual(after.count, before.count)
        for (a, b) in zip(before, after) {
            XCTAssertEqual([a.source, a.kind, a.id, a.text], [b.source, b.kind, b.id, b.text])
            // Device markers carry their own time; a host note sits at the latest block start before it, so it
            // may move by at most one audio block (10 ms).
            XCTAssertEqual(a.t, b.t, accuracy: a.source == "device" ? 1e-5 : 0.0101, "\(a)")
        }
        XCTAssertEqual(try String(contentsOfFile: path("csv1/session.json"), encoding: .utf8),
                       try String(contentsOfFile: path("csv2/session.json"), encoding: .utf8)
                           .replacingOccurrences(of: "import:imu.csv+a.wav", with: "simulator"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("a.wav"))),
                       try Data(contentsOf: URL(fileURLWithPath: path("b.wav"))))

        // The reports of both recordings show the same wearer notes.
        let ra = try WalkAnalysis.analyze(path: path("a.gpsession"), software: "test")
        let rb = try WalkAnalysis.analyze(path: path("b.gpsession"), software: "test")
        let na = try XCTUnwrap(ra.wearerNotes), nb = try XCTUnwrap(rb.wearerNotes)
        XCTAssertEqual(na.map(\.kind), nb.map(\.kind))
        XCTAssertEqual(na.map(\.text), nb.map(\.text))
        for (a, b) in zip(na, nb) { XCTAssertEqual(a.tSeconds, b.tSeconds, accuracy: 0.0101) }
        XCTAssertEqual(ra.painSeconds.count, rb.painSeconds.count)
        XCTAssertTrue(rb.painSeconds.contains { abs($0 - 6) < 0.05 }, "the host pain press at 6 s")
    }

    func testAResearchersOwnMarkerTableImportsAndABadRowNamesItsLine() throws {
        try "time_s,acc_x_g,acc_y_g,acc_z_g\n".appending((0..<500).map { "\(Double($0) / 100),0,0,1\n" }.joined())
            .write(toFile: path("imu.csv"), atomically: true, encoding: .utf8)
        try "t_seconds,kind,text\n1.5,pain,\n3.25,note,felt a click\n".write(toFile: path("m.csv"), atomically: true, encoding: .utf8)
        let ok = try runGaitpop(["import", "--imu", path("imu.csv"), "--markers", path("m.csv"), "--out", path("o.gpsession")])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.out.contains("with 2 marks"), ok.out)
        let e = try runGaitpop(["export", path("o.gpsession"), "--csv", path("o-csv")])
        XCTAssertEqual(e.status, 0, e.err)
        let m = try marks(path("o-csv/markers.csv"))
        XCTAssertEqual(m.map(\.kind), ["pain", "note"])
        XCTAssertEqual(m.map(\.text), ["", "felt a click"])
        XCTAssertEqual(m[0].t, 1.5, accuracy: 0.1)
        XCTAssertEqual(m[1].t, 3.25, accuracy: 0.1, "IMU-only: a note sits at the latest IMU block start (0.1 s)")

        try "time_s,kind\n1.5,pain\nsoon,pain\n".write(toFile: path("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try runGaitpop(["import", "--imu", path("imu.csv"), "--markers", path("bad.csv"), "--out", path("x.gpsession")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("bad.csv") && bad.err.contains("line 3"), bad.err)
        XCTAssertEqual(bad.err.split(separator: "\n").count, 1, bad.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.gpsession")))
    }
}
