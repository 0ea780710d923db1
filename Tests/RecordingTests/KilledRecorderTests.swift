import Foundation
import XCTest
import TestSupport
@testable import Recording

/// The real `gaitpop` executable recording from the real virtual sensor, killed with SIGKILL mid-walk: the file
/// must read back with at most the last second lost.
final class KilledRecorderTests: XCTestCase {
    /// The gaitpop binary SwiftPM built next to the test bundle.
    var executable: URL {
        let b = Bundle(for: Self.self).bundleURL
        let here = b.appendingPathComponent("gaitpop")
        return FileManager.default.isExecutableFile(atPath: here.path)
            ? here : b.deletingLastPathComponent().appendingPathComponent("gaitpop")
    }

    func testSIGKILLedRecordingIsReadable() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: executable.path), "build the gaitpop product first")
        let dir = try makeTemporaryDirectory("gaitpop-kill")
        let link = dir.appendingPathComponent("sensor").path
        let out = dir.appendingPathComponent("killed.gpsession").path

        let sim = Process()
        sim.executableURL = executable
        sim.arguments = ["simulate", "--pty", "--link", link, "--duration", "30"]
        sim.standardOutput = Pipe()
        try sim.run()
        defer { sim.terminate(); sim.waitUntilExit() }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: link) { usleep(20_000) }

        let rec = Process()
        rec.executableURL = executable
        rec.arguments = ["record", "--port", link, "--out", out]
        rec.standardOutput = Pipe()
        rec.standardError = Pipe()
        try rec.run()
        // Let it record ~2.5 s, then pull the plug on the process.
        usleep(2_500_000)
        kill(rec.processIdentifier, SIGKILL)
        rec.waitUntilExit()
        XCTAssertEqual(rec.terminationReason, .uncaughtSignal)

        let s = try SessionSummary.read(path: out)
        XCTAssertFalse(s.finalized)
        XCTAssertTrue(s.warnings.contains { $0.contains("no trailer") })
        // ~2.5 s minus start-up; at most the last second may be missing.
        XCTAssertGreaterThan(s.streams.deviceSpanSeconds, 1.0)
        XCTAssertGreaterThan(s.streams.imuSamples, 100)
        XCTAssertEqual(s.decoder.crcErrors, 0)
    }
}
