import Foundation
import XCTest
import TestSupport

/// The real `gaitpop` executable as a person runs it: the virtual sensor on a pseudo-terminal in one process,
/// `live --json` on it in another, then `report`, `history` and `demo` on what they wrote.
final class CommandLineTests: XCTestCase {
    var executable: URL { gaitpopExecutable }

    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-cli") }

    @discardableResult
    func run(_ args: [String], cwd: URL? = nil, env: [String: String] = [:]) throws -> (out: String, err: String, status: Int32) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        var e = ProcessInfo.processInfo.environment
        e.merge(env) { $1 }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let r = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (String(decoding: o, as: UTF8.self), String(decoding: r, as: UTF8.self), p.terminationStatus)
    }

    func testLiveJSONFromTheVirtualSensorThenReportAndHistory() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: executable.path), "build the gaitpop product first")
        let link = try startVirtualSensor(in: dir, seconds: 40, scenario: "snapping-tendon")

        let rec = dir.appendingPathComponent("live.gpsession").path
        let live = try run(["live", "--port", link, "--json", "--duration", "14", "--record", rec])
        XCTAssertEqual(live.status, 0, live.err)
        var types: [String: Int] = [:]
        var popsWithPhase = 0
        for line in live.out.split(separator: "\n") {
            let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            let type = o["type"] as! String
            types[type, default: 0] += 1
            if type == "pop", (o["phase"] as? [String: Any])?["cycle_percent"] is Double { popsWithPhase += 1 }
        }
        XCTAssertGreaterThan(types["step"] ?? 0, 10, "\(types)")
        XCTAssertGreaterThanOrEqual(types["status"] ?? 0, 10, "a status line every second")
        XCTAssertGreaterThan(popsWithPhase, 3, "snaps tagged with their stride phase")

        let db = dir.appendingPathComponent("history.sqlite").path
        let html = dir.appendingPathComponent("live.html").path
        let report = try run(["report", rec, "--md", "--html", html, "--db", db])
        XCTAssertEqual(report.status, 0, report.err)
        XCTAssertTrue(report.out.contains("snap"), report.out)
        XCTAssertTrue(report.out.contains("does not diagnose"))
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertEqual(page.components(separatedBy: "<svg").count - 1, 6, "tilt, timeline, pop cycle + 3 pelvis-cycle panels")
        let history = try run(["history", "--db", db])
        XCTAssertEqual(history.status, 0)
        XCTAssertTrue(history.out.contains("live.gpsession"), history.out)
    }

    func testDemoWritesRecordingAndReports() throws {
        let r = try run(["demo", "--duration", "12", "--speed", "4", "--dir", "out"], cwd: dir,
                        env: ["XDG_DATA_HOME": dir.path])
        XCTAssertEqual(r.status, 0, r.err)
        for f in ["demo-walk.gpsession", "demo-walk.report.html", "demo-walk.report.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/\(f)").path), f)
        }
        XCTAssertTrue(r.out.contains("report:"), r.out)
    }

    func testBadInputGivesOneLineAndExitCode1() throws {
        let r = try run(["report", dir.appendingPathComponent("missing.gpsession").path, "--no-history"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        XCTAssertTrue(r.err.hasPrefix("gaitpop: "), r.err)
        let junk = dir.appendingPathComponent("junk.gpsession").path
        _ = FileManager.default.createFile(atPath: junk, contents: Data("hello".utf8))
        let j = try run(["inspect", junk])
        XCTAssertEqual(j.status, 1)
        XCTAssertEqual(j.err, "gaitpop: \(junk) is not a gaitpop session file (wrong magic bytes)\n")
        let p = try run(["record", "--port", "/dev/ttyGAITPOP-NONE", "--out", dir.appendingPathComponent("x.gpsession").path])
        XCTAssertEqual(p.status, 1)
        XCTAssertTrue(p.err.contains("no such device"), p.err)
    }

    /// A pop-detector parameter file that is missing or wrong fails before any work, in one line.
    func testBadPopConfigFileGivesOneLine() throws {
        let session = dir.appendingPathComponent("any.gpsession").path
        let missing = try run(["replay", session, "--pop-config-file", dir.appendingPathComponent("none.json").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.err.split(separator: "\n").count, 1, missing.err)
        XCTAssertTrue(missing.err.contains("cannot read pop config"), missing.err)
        let bad = dir.appendingPathComponent("bad.json").path
        _ = FileManager.default.createFile(atPath: bad, contents: Data(#"{"onsetDb": "x"}"#.utf8))
        let wrong = try run(["replay", session, "--pop-config-file", bad])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertEqual(wrong.err.split(separator: "\n").count, 1, wrong.err)
        XCTAssertTrue(wrong.err.contains("\"onsetDb\" must be a number"), wrong.err)
    }
}
