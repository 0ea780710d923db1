import Foundation
import XCTest
import TestSupport

/// Configuration files through the real `gaitpop` executable: an odd rules file stops `report` with one line naming
/// the key before anything is written; a scenario file may give only what it changes.
final class ConfigFileCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-config-cli") }

    var executable: URL {
        let b = Bundle(for: Self.self).bundleURL
        let here = b.appendingPathComponent("gaitpop")
        return FileManager.default.isExecutableFile(atPath: here.path)
            ? here : b.deletingLastPathComponent().appendingPathComponent("gaitpop")
    }

    func run(_ args: [String]) throws -> (err: String, status: Int32) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(["XDG_DATA_HOME": dir.path]) { $1 }
        let err = Pipe()
        p.standardOutput = Pipe()
        p.standardError = err
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (String(decoding: e, as: UTF8.self), p.terminationStatus)
    }

    func testOddRulesFileStopsReportWithOneLine() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: executable.path), "build the gaitpop product first")
        let rules = dir.appendingPathComponent("rules.json").path
        try #"{"grindCount": 0, "painWindowSeconds": 5}"#.write(toFile: rules, atomically: true, encoding: .utf8)
        let recording = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleData/walk-grinding.gpsession").path
        let json = dir.appendingPathComponent("r.json").path
        let r = try run(["report", recording, "--rules", rules, "--json", json, "--no-history"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        XCTAssertTrue(r.err.contains(#"alert rules \#(rules): "grindCount" must be 1–1000, got 0"#), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: json), "nothing written with rules that are wrong")
    }

    func testPartialScenarioFileSimulates() throws {
        let scenario = dir.appendingPathComponent("short.json").path
        try #"{"durationSeconds": 4, "imuRateHz": 50}"#.write(toFile: scenario, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("s.gpsession").path
        let ok = try run(["simulate", "--scenario", scenario, "--out", out])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        try #"{"durationSecond": 4}"#.write(toFile: scenario, atomically: true, encoding: .utf8)
        let bad = try run(["simulate", "--scenario", scenario, "--out", dir.appendingPathComponent("t.gpsession").path])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains(#"unknown key "durationSecond" (did you mean "durationSeconds"?)"#), bad.err)
        XCTAssertEqual(bad.err.split(separator: "\n").count, 1, bad.err)
    }
}
