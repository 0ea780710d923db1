import Foundation
import XCTest
import TestSupport
@testable import SensorDevice
#if canImport(Glibc)
import Glibc
#endif

/// The wearer's keys in `live --record` reach that walk's report: `gaitpop live` runs on a real pseudo-terminal
/// (its dashboard and raw keys need one), the test types `p` and a note as a person would, and the recording's
/// report carries both in JSON, CSV and HTML.
final class LiveKeysRoundTripTests: XCTestCase {
    func testPainKeyAndTypedNoteFromLiveReachJSONCSVAndHTML() throws {
        let dir = try makeTemporaryDirectory("gaitpop-live-keys")
        let link = try startVirtualSensor(in: dir, seconds: 60)

        // The wearer's terminal: live's stdin and stdout are the device side of a pseudo-terminal; the test holds
        // the controller side, reads the dashboard off it (so the child never blocks on a full buffer) and types.
        let terminal = try PseudoTerminal()
        let tty = try XCTUnwrap(FileHandle(forUpdatingAtPath: terminal.devicePath))
        let rec = dir.appendingPathComponent("walk.gpsession").path
        let live = Process()
        live.executableURL = gaitpopExecutable
        live.arguments = ["live", "--port", link, "--duration", "12", "--record", rec]
        live.standardInput = tty
        live.standardOutput = tty
        live.standardError = FileHandle.nullDevice
        live.environment = ProcessInfo.processInfo.environment.merging(["TERM": "xterm", "NO_COLOR": "1"]) { $1 }
        try live.run()
        let began = Date()
        var typedPain = false, typedNote = false
        var screen: [UInt8] = []
        while live.isRunning && Date().timeIntervalSince(began) < 60 {
            screen += terminal.read(timeoutMs: 50)
            let t = Date().timeIntervalSince(began)
            if !typedPain && t > 5 { terminal.write(Array("p".utf8)); typedPain = true }
            if !typedNote && t > 8 { terminal.write(Array("nleft hip ache\r".utf8)); typedNote = true }
        }
        live.waitUntilExit()
        try tty.close()
        XCTAssertEqual(live.terminationStatus, 0, String(decoding: screen.suffix(2000), as: UTF8.self))
        XCTAssertTrue(typedPain && typedNote)

        let csv = dir.appendingPathComponent("tables").path
        let html = dir.appendingPathComponent("walk.html").path
        let json = dir.appendingPathComponent("walk.json").path
        let r = try runGaitpop(["report", rec, "--json", json, "--csv", csv, "--html", html, "--no-history"])
        XCTAssertEqual(r.status, 0, r.err)

        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
                                   as? [String: Any])
        let notes = try XCTUnwrap(report["wearer_notes"] as? [[String: Any]], "wearer_notes in the report JSON")
        XCTAssertEqual(notes.compactMap { $0["kind"] as? String }, ["pain", "note"])
        XCTAssertEqual(notes.last?["text"] as? String, "left hip ache")
        let painT = try XCTUnwrap(notes.first?["t_seconds"] as? Double)
        XCTAssertGreaterThan(painT, 1)
        XCTAssertLessThan(painT, 11, "pressed about 5 s into the session")

        let markers = try String(contentsOfFile: csv + "/markers.csv", encoding: .utf8)
        XCTAssertTrue(markers.contains(",host,pain,"), markers)
        XCTAssertTrue(markers.contains(",host,note,,left hip ache"), markers)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.contains("left hip ache"))
        XCTAssertTrue(page.contains("You marked pain"))
    }
}
