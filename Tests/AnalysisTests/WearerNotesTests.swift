import Foundation
import XCTest
import TestSupport
@testable import Analysis
@testable import Pipeline
@testable import Recording
@testable import Simulation

/// Pain presses and typed notes made on the host while recording (`live --record`: keys p and n) reach the walk's
/// report: JSON, Markdown, HTML (escaped), the markers table, and the pain-near-pop alert.
final class WearerNotesTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-notes") }

    func testHostNotesReachEveryRendering() throws {
        var sc = try XCTUnwrap(Scenario.preset("grinding"))
        sc.durationSeconds = 30
        let path = dir.appendingPathComponent("walk.gpsession").path
        // The same NOTE records `live --record` writes between the wire bytes.
        try SimulatedRecording.write(firmware: VirtualFirmware(scenario: sc, seed: 5), to: path, durationSeconds: 30,
                                     hostNotes: [(14.0, NoteRecord(kind: .pain)),
                                                 (21.5, NoteRecord(kind: .note, text: "left knee <b>ä</b>"))])
        let r = try WalkAnalysis.analyze(path: path, software: "test")
        let notes = try XCTUnwrap(r.wearerNotes)
        XCTAssertEqual(notes.map(\.kind), ["pain", "note"])
        XCTAssertEqual(notes[0].tSeconds, 14, accuracy: 0.2)
        XCTAssertEqual(notes[1].text, "left knee <b>ä</b>")
        XCTAssertTrue(r.painSeconds.contains { abs($0 - 14) < 0.2 })

        let json = String(decoding: try ReportJSON.encode(r), as: UTF8.self)
        XCTAssertTrue(json.contains("\"wearer_notes\""), "snake_case key in the report JSON")
        XCTAssertEqual(try ReportJSON.decode(try ReportJSON.encode(r)).wearerNotes, notes)

        let md = ReportMarkdown.render(r)
        XCTAssertTrue(md.contains("Your marks during the walk:") && md.contains("\"left knee <b>ä</b>\""), md)

        let html = ReportHTML.render(r)
        XCTAssertTrue(html.contains("<h3>Your marks and notes</h3>"))
        XCTAssertTrue(html.contains("left knee &lt;b&gt;ä&lt;/b&gt;"), "escaped")
        XCTAssertFalse(html.contains("left knee <b>"))
        XCTAssertTrue(html.contains("You marked pain"))

        let files = try ReportCSV.write(r, toDirectory: dir.appendingPathComponent("csv").path)
        let markers = try String(contentsOfFile: try XCTUnwrap(files.first { $0.hasSuffix("markers.csv") }), encoding: .utf8)
        let lines = markers.split(separator: "\n")
        XCTAssertEqual(lines.first, "t_seconds,source,kind,marker_id,text")
        XCTAssertTrue(lines.contains { $0.contains(",host,note,,left knee <b>ä</b>") }, markers)
        XCTAssertTrue(lines.contains { $0.contains(",host,pain,,") }, markers)
    }

    func testReportsWithoutTheFieldStillLoad() throws {
        let path = dir.appendingPathComponent("w.gpsession").path
        try SimulatedRecording.write(scenario: try XCTUnwrap(Scenario.preset("healthy")), seed: 1, to: path)
        var r = try WalkAnalysis.analyze(path: path, software: "test")
        r.wearerNotes = nil
        let old = try ReportJSON.encode(r)
        XCTAssertFalse(String(decoding: old, as: UTF8.self).contains("wearer_notes"))
        XCTAssertNil(try ReportJSON.decode(old).wearerNotes)
    }
}
