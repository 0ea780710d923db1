import Foundation
import XCTest
import TestSupport

/// Issue 14, "never destroy a user's data", through the real `gaitpop` executable on real files: ports that are
/// not devices, outputs that would replace inputs or existing recordings, nonsense flag values.
final class DataSafetyTests: XCTestCase {
    var executable: URL { gaitpopExecutable }

    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-safety") }

    struct Run {
        var out: String, err: String, status: Int32, seconds: Double
    }

    @discardableResult
    func run(_ args: [String], timeout: Double = 60) throws -> Run {
        let r = try runGaitpopCapturing(args, cwd: dir,
                                        environment: ["XDG_DATA_HOME": dir.appendingPathComponent("xdg").path],
                                        timeout: timeout)
        return Run(out: r.text, err: r.err, status: r.status, seconds: r.seconds)
    }

    /// A fresh 10 s recording from the simulator (real bytes, written by the real writer).
    func recording(_ name: String = "walk.gpsession", seconds: Int = 10) throws -> URL {
        let r = try run(["simulate", "--out", name, "--duration", "\(seconds)", "--seed", "7"])
        XCTAssertEqual(r.status, 0, r.err)
        return dir.appendingPathComponent(name)
    }

    func bytes(_ u: URL) -> Data { (try? Data(contentsOf: u)) ?? Data() }

    func assertOneLineError(_ r: Run, mentioning words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(r.status, 0, "must fail: \(r.out)", file: file, line: line)
        let lines = r.err.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line expected, got: \(r.err)", file: file, line: line)
        for w in words { XCTAssertTrue(r.err.contains(w), "\(w) not in: \(r.err)", file: file, line: line) }
        XCTAssertFalse(r.err.contains("Fatal error") || r.err.contains("Stack dump"), r.err, file: file, line: line)
    }

    // MARK: 1. ports

    func testProbeOnARegularFileLeavesItByteIdentical() throws {
        let rec = try recording()
        let before = bytes(rec)
        let r = try run(["devices", "--probe", rec.path, "--timeout", "0.2"])
        assertOneLineError(r, mentioning: ["regular file", "not a serial port"])
        XCTAssertEqual(bytes(rec), before, "probing a recording must not write to it")
    }

    func testRecordAndLiveWithARecordingAsPortFailAtOnce() throws {
        let rec = try recording()
        let before = bytes(rec)
        for args in [["record", "--port", rec.path, "--out", "new.gpsession"],
                     ["live", "--port", rec.path, "--json", "--duration", "2"]] {
            let r = try run(args, timeout: 20)
            assertOneLineError(r, mentioning: ["regular file"])
            XCTAssertLessThan(r.seconds, 5, "must fail at once, not retry")
        }
        XCTAssertEqual(bytes(rec), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("new.gpsession").path))
        let folder = try run(["record", "--port", dir.path, "--out", "x.gpsession"])
        assertOneLineError(folder, mentioning: ["is a folder"])
    }

    // MARK: 2. outputs

    func testOutputOntoAnInputIsRefusedAndTheInputUnchanged() throws {
        let rec = try recording()
        let before = bytes(rec)
        let csv = dir.appendingPathComponent("big.csv")
        var text = "time_s,acc_x_g,acc_y_g,acc_z_g\n"
        for i in 0..<500 { text += String(format: "%.2f,0,0,1\n", Double(i) / 100) }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let csvBefore = bytes(csv)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("alias.gpsession").path,
                                                   withDestinationPath: rec.path)
        let cases: [[String]] = [
            ["report", rec.path, "--json", rec.path, "--no-history"],
            ["report", rec.path, "--html", "./walk.gpsession", "--no-history"],
            ["report", rec.path, "--json", "alias.gpsession", "--no-history"],
            ["export", rec.path, "--wav", rec.path],
            ["import", "--imu", csv.path, "--out", csv.path],
            ["import", "--imu", "big.csv", "--out", "./big.csv", "--force"],
        ]
        for args in cases {
            let r = try run(args)
            assertOneLineError(r, mentioning: ["input"])
        }
        XCTAssertEqual(bytes(rec), before)
        XCTAssertEqual(bytes(csv), csvBefore)
    }

    func testFailedImportLeavesAnExistingOutUnchanged() throws {
        let existing = try recording("kept.gpsession")
        let before = bytes(existing)
        let csv = dir.appendingPathComponent("bad.csv")
        var text = "time_s,acc_x_g,acc_y_g,acc_z_g\n"
        for i in 0..<3000 { text += i == 2000 ? "20.00,x,0,1\n" : String(format: "%.2f,0,0,1\n", Double(i) / 100) }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        // Without --force an existing recording is not even a candidate.
        let refused = try run(["import", "--imu", csv.path, "--out", existing.path])
        assertOneLineError(refused, mentioning: ["already exists", "--force"])
        // With --force the import fails on line 2002; the old recording must still be there, byte for byte.
        let failed = try run(["import", "--imu", csv.path, "--out", existing.path, "--force"])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertTrue(failed.err.contains("2002"), failed.err)
        XCTAssertEqual(bytes(existing), before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "temporary files must be removed on failure")
    }

    func testExistingRecordingNeedsForceAndSymlinksAreReplacedNotFollowed() throws {
        let rec = try recording()
        let before = bytes(rec)
        let again = try run(["simulate", "--out", rec.path, "--duration", "3"])
        assertOneLineError(again, mentioning: ["already exists", "--force"])
        XCTAssertEqual(bytes(rec), before)
        let forced = try run(["simulate", "--out", rec.path, "--duration", "3", "--force"])
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertNotEqual(bytes(rec), before)

        // --json at a symlink: the link is replaced by the report, its target is untouched.
        let target = dir.appendingPathComponent("target.txt")
        try "keep me".write(to: target, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("out.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target.path)
        let r = try run(["report", rec.path, "--json", link.path, "--no-history"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "keep me")
        let attrs = try FileManager.default.attributesOfItem(atPath: link.path)
        XCTAssertEqual(attrs[.type] as? FileAttributeType, .typeRegular)
        XCTAssertTrue(try String(contentsOf: link, encoding: .utf8).contains("gaitpop-report"))

        // A report may replace an earlier report, never a recording.
        let other = try recording("other.gpsession", seconds: 3)
        let otherBefore = bytes(other)
        let ontoRecording = try run(["report", rec.path, "--json", other.path, "--no-history"])
        assertOneLineError(ontoRecording, mentioning: ["recording"])
        XCTAssertEqual(bytes(other), otherBefore)
        XCTAssertEqual(try run(["report", rec.path, "--json", link.path, "--no-history"]).status, 0)
    }

    func testSimulatePtyLinkNeverDeletesARegularFile() throws {
        let rec = try recording()
        let before = bytes(rec)
        let r = try run(["simulate", "--pty", "--link", rec.path, "--duration", "1"], timeout: 20)
        assertOneLineError(r, mentioning: ["--link", "not a symlink"])
        XCTAssertEqual(bytes(rec), before)
    }

    func testUnwritableOutputFolderIsOneClearLine() throws {
        let rec = try recording()
        let r = try run(["report", rec.path, "--json", dir.appendingPathComponent("no/such/folder/r.json").path,
                         "--no-history"])
        assertOneLineError(r, mentioning: ["does not exist"])
        XCTAssertFalse(r.err.contains("NSCocoaErrorDomain"), r.err)
    }

    // MARK: 3. flags

    func testNonFiniteAndAbsurdNumbersAreOneLineErrors() throws {
        for v in ["inf", "nan", "-inf", "1e20", "1e300"] {
            let r = try run(["devices", "--timeout=\(v)", "--no-probe"])
            assertOneLineError(r, mentioning: ["--timeout"])
        }
        let cases: [([String], String)] = [
            (["simulate", "--mount", "nan,nan,nan", "--out", "m.gpsession"], "--mount"),
            (["simulate", "--mount", "1e300,0,0", "--out", "m.gpsession"], "--mount"),
            (["simulate", "--marker-every", "nan", "--pty"], "--marker-every"),
            (["record", "--port", "auto", "--out", "r.gpsession", "--duration", "inf"], "--duration"),
            (["record", "--port", "auto", "--out", "r.gpsession", "--reconnect-timeout", "nan"], "--reconnect-timeout"),
            (["record", "--port", "auto", "--out", "r.gpsession", "--baud", "0"], "--baud"),
            (["live", "--port", "auto", "--duration=-1"], "--duration"),
            (["import", "--imu", "x.csv", "--out", "x.gpsession", "--rate", "inf"], "--rate"),
            (["import", "--imu", "x.csv", "--out", "x.gpsession", "--audio-offset", "nan"], "--audio-offset"),
            (["demo", "--speed", "nan"], "--speed"),
            (["replay", "x.gpsession", "--speed", "nan"], "--speed"),
        ]
        for (args, flag) in cases {
            let r = try run(args, timeout: 20)
            XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
            XCTAssertTrue(r.err.contains(flag), "\(args): \(r.err)")
            XCTAssertFalse(r.err.contains("Fatal error") || r.err.contains("Stack dump"), r.err)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.gpsession").path))
    }

    // MARK: 4. history

    /// Starts `gaitpop` without waiting (for concurrent runs).
    func start(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func testEightConcurrentReportsAllLandInARelativeDatabase() throws {
        let base = try recording("r0.gpsession", seconds: 4)
        for i in 1..<8 {
            try FileManager.default.copyItem(at: base, to: dir.appendingPathComponent("r\(i).gpsession"))
        }
        let runs = try (0..<8).map { i in
            try start(["report", "r\(i).gpsession", "--json", "r\(i).json", "--db", "h.sqlite"])
        }
        for p in runs { p.waitUntilExit() }
        XCTAssertEqual(runs.map(\.terminationStatus), Array(repeating: 0, count: 8))
        for i in 0..<8 {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r\(i).json").path), "r\(i).json")
        }
        let h = try run(["history", "--json", "--db", "h.sqlite"])
        XCTAssertEqual(h.status, 0, h.err)
        let rows = try JSONSerialization.jsonObject(with: Data(h.out.utf8)) as? [[String: Any]]
        XCTAssertEqual(rows?.count, 8, h.out)
    }

    func testHistoryFailureIsAWarningNeverALostReport() throws {
        let rec = try recording()
        // A database path that cannot be a database (a folder), and one whose folder cannot be made.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("db-is-a-folder"), withIntermediateDirectories: true)
        try "x".write(to: dir.appendingPathComponent("plainfile"), atomically: true, encoding: .utf8)
        for db in ["db-is-a-folder", "plainfile/h.sqlite"] {
            let r = try run(["report", rec.path, "--json", "out.json", "--db", db])
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertTrue(r.err.contains("--no-history"), r.err)
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.json").path))
            try FileManager.default.removeItem(at: dir.appendingPathComponent("out.json"))
        }
    }

    func testCorruptDatabaseIsSetAsideAndANewOneStarted() throws {
        let rec = try recording()
        let db = dir.appendingPathComponent("h.sqlite")
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: db)
        let r = try run(["report", rec.path, "--json", "out.json", "--db", db.path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("renamed"), r.err)
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("h.sqlite.corrupt-") }
        XCTAssertEqual(aside.count, 1)
        XCTAssertEqual(aside.first.map { bytes(dir.appendingPathComponent($0)) }, garbage, "the damaged file is kept")
        let h = try run(["history", "--json", "--db", db.path])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(h.out.utf8)) as? [Any])?.count, 1, h.out + h.err)
    }

    // MARK: 5. damage shown

    func testTruncatedRecordingWarnsInExportAndEveryReportRendering() throws {
        let rec = try recording("whole.gpsession", seconds: 8)
        let d = bytes(rec)
        let cut = dir.appendingPathComponent("cut.gpsession")
        try d.prefix(d.count / 2 + 777).write(to: cut)
        let e = try run(["export", cut.path, "--csv", "csv-out"])
        XCTAssertEqual(e.status, 0, e.err)
        XCTAssertTrue(e.err.contains("warning") && e.err.contains("interrupted"), e.err)
        let r = try run(["report", cut.path, "--json", "c.json", "--html", "c.html", "--md", "--no-history"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("interrupted"), r.err)
        XCTAssertTrue(r.out.contains("Warnings about this recording") && r.out.contains("interrupted"), r.out)
        let html = try String(contentsOf: dir.appendingPathComponent("c.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Warnings about this recording") && html.contains("interrupted"))
        let json = try String(contentsOf: dir.appendingPathComponent("c.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("interrupted"))
    }

    func testImportPrintsTheWAVReadersWarnings() throws {
        let csv = dir.appendingPathComponent("imu.csv")
        var text = "time_s,acc_x_g,acc_y_g,acc_z_g\n"
        for i in 0..<300 { text += String(format: "%.2f,0,0,1\n", Double(i) / 100) }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        // A WAV header declaring ~2 GiB of 16 kHz mono over 1 s of data.
        var w = Data("RIFF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { w.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { w.append(contentsOf: $0) } }
        u32(0x7FFF_0024); w.append(contentsOf: Array("WAVEfmt ".utf8))
        u32(16); u16(1); u16(1); u32(16000); u32(32000); u16(2); u16(16)
        w.append(contentsOf: Array("data".utf8)); u32(0x7FFF_0000); w.append(Data(count: 32000))
        try w.write(to: dir.appendingPathComponent("mic.wav"))
        let r = try run(["import", "--imu", "imu.csv", "--audio", "mic.wav", "--out", "i.gpsession"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("warning") && r.err.contains("declares"), r.err)
        // Duplicated columns are an error, not a silent first pick.
        try "time_s,acc_x_g,acc_y_g,acc_z_g,acc_x_g\n0,0,0,1,5\n0.01,0,0,1,5\n".write(to: csv, atomically: true, encoding: .utf8)
        let dup = try run(["import", "--imu", "imu.csv", "--out", "dup.gpsession"])
        XCTAssertNotEqual(dup.status, 0)
        XCTAssertTrue(dup.err.contains("twice"), dup.err)
    }

    // MARK: 6. bounded work

    func testReplayOnAFIFOWithNoWriterEndsOnSIGTERM() throws {
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for sig in [SIGTERM, SIGINT] {
            let p = try start(["replay", fifo, "--json"])
            usleep(500_000)
            XCTAssertTrue(p.isRunning, "replay waits for a writer")
            let t0 = Date()
            kill(p.processIdentifier, sig)
            let deadline = Date().addingTimeInterval(5)
            while p.isRunning && Date() < deadline { usleep(10_000) }
            let waited = Date().timeIntervalSince(t0)
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
            XCTAssertLessThan(waited, 1.0, "signal \(sig) must end replay within a second")
            XCTAssertEqual(p.terminationReason, .exit, "ended by itself, not killed")
        }
    }

    func testReplaySpeedIsHonoured() throws {
        let rec = try recording("short.gpsession", seconds: 6)
        let r = try run(["replay", rec.path, "--speed", "2", "--json"], timeout: 30)
        XCTAssertEqual(r.status, 0, r.err)
        // 6 s of samples at twice real time: about 3 s. Ignoring the speed took < 1 s, real time would take 6 s;
        // the margins allow for start-up on a busy machine.
        XCTAssertGreaterThan(r.seconds, 2.4, "--speed 2 ran in \(r.seconds) s")
        XCTAssertLessThan(r.seconds, 4.5, "--speed 2 ran in \(r.seconds) s")
    }

    // MARK: 7. escaping

    func testInjectedMarkupNeverReachesHTMLNorEscapesATerminal() throws {
        let csv = dir.appendingPathComponent("imu.csv")
        var text = "time_s,acc_x_g,acc_y_g,acc_z_g\n"
        for i in 0..<300 { text += String(format: "%.2f,0,0,1\n", Double(i) / 100) }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let bad = try run(["import", "--imu", "imu.csv", "--out", "a.gpsession", "--started-utc", "<script>alert(1)</script>"])
        assertOneLineError(bad, mentioning: ["--started-utc", "ISO 8601"])
        // A recording whose name and note carry markup and terminal escapes.
        let name = "<img src=x onerror=alert(1)>.gpsession"
        let ok = try run(["import", "--imu", "imu.csv", "--out", name, "--started-utc", "2026-03-01T09:30:00Z",
                          "--note", "\u{1B}]0;pwned\u{07}\u{1B}[2Jnote"])
        XCTAssertEqual(ok.status, 0, ok.err)
        let ins = try run(["inspect", name])
        XCTAssertFalse(ins.out.contains("\u{1B}") || ins.out.contains("\u{07}"), "control characters reached the terminal")
        XCTAssertTrue(ins.out.contains("note"))
        let rep = try run(["report", name, "--md", "--db", "h.sqlite"])
        XCTAssertEqual(rep.status, 0, rep.err)
        XCTAssertFalse(rep.out.contains("\u{1B}"))
        let h = try run(["history", "--db", "h.sqlite", "--html", "trends.html"])
        XCTAssertEqual(h.status, 0, h.err)
        let page = try String(contentsOf: dir.appendingPathComponent("trends.html"), encoding: .utf8)
        XCTAssertFalse(page.contains("<img src=x"), "unescaped markup in the history page")
        XCTAssertTrue(page.contains("&lt;img src=x"))
    }
}
