import Foundation
import XCTest
import TestSupport
@testable import Analysis
@testable import Pipeline
@testable import Recording
@testable import Simulation

/// Issue 12, "one data style": every JSON object gaitpop emits — the report, every JSON-lines type, `inspect`,
/// `devices`, `history`, calibration files — read back from the real executable and walked key by key: keys are
/// snake_case, quantities (keys with a unit) are JSON numbers, no number is written as a string, `null` appears only
/// where docs/OUTPUT.md says so, and a quantity has the same name in the lines and in the report.
final class JSONDataStyleTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sampleData = root.appendingPathComponent("SampleData")

    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-style") }

    // MARK: running the tool

    typealias Run = GaitpopRun

    @discardableResult
    func run(_ args: [String], timeout: Double = 120) throws -> Run {
        try runGaitpopCapturing(args, cwd: dir, environment: ["XDG_DATA_HOME": dir.appendingPathComponent("xdg").path],
                                timeout: timeout)
    }

    func sample(_ name: String) -> String { Self.sampleData.appendingPathComponent(name).path }

    /// A walk with everything a line can say: a strong anterior tilt (posture events, the tilt alert), a pain press
    /// and a typed note made on the host (marker-like `note` lines, `wearer_notes`), written by the real writer.
    func walkWithEverything() throws -> String {
        var sc = try XCTUnwrap(Scenario.preset("anterior-tilt"))
        sc.durationSeconds = 60
        sc.tilt.walkingDeg = 25
        let path = dir.appendingPathComponent("everything.gpsession").path
        try SimulatedRecording.write(firmware: VirtualFirmware(scenario: sc, seed: 3), to: path, durationSeconds: 60,
                                     markerEverySeconds: 20,
                                     hostNotes: [(14.0, NoteRecord(kind: .pain)),
                                                 (21.5, NoteRecord(kind: .note, text: "left knee \"7\""))])
        return path
    }

    // MARK: the report

    func testReportJSONKeysAreSnakeCaseAndQuantitiesAreNumbers() throws {
        for file in [sample("walk-grinding.gpsession"), try walkWithEverything()] {
            let r = try run(["report", file, "--json", "-", "--no-history"])
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path), "no file named -")
            let tree = try JSONTree.parse(r.out)
            XCTAssertEqual(DataStyle().problems(in: tree, at: "report"), [], file)
            XCTAssertEqual(tree["schema_version"], .number(2), "schema 2: the renamed keys")
            XCTAssertEqual(tree["schema"], .string("gaitpop-report"))
            // The renamed keys of version 2 (docs/REPORT-FORMAT.md, "What changed in version 2").
            let steps = try XCTUnwrap(tree["steps"]?.elements)
            XCTAssertTrue(steps.allSatisfy { $0["ic_seconds"]?.number != nil && $0["t"] == nil && $0["fc"] == nil })
            XCTAssertTrue(steps.contains { $0["opposite_fc_seconds"]?.number != nil })
            let alert = try XCTUnwrap(tree["alerts"]?.elements.first, "both walks raise an alert")
            XCTAssertNotNil(alert["t_seconds"]?.number)
            XCTAssertEqual(alert["evidence_seconds"]?.elements.isEmpty, false)
            XCTAssertEqual(tree["session"]?["started_utc"]?.string, "2000-01-01T00:00:00.000Z")
        }
    }

    // MARK: JSON lines

    static let lineTypes: Set<String> = ["header", "step", "step_rejected", "bout_start", "bout_end", "stride", "posture",
                                         "pop", "alert", "marker", "note", "status"]

    func testEveryLineTypeOfReplayFollowsTheDataStyleAndTheReportsNames() throws {
        let everything = try walkWithEverything()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.sampleData.path)
            .filter { $0.hasSuffix(".gpsession") }.sorted().map(sample) + [everything]
        var seen: [String: Int] = [:]
        for file in files {
            let r = try run(["replay", file, "--speed", "max", "--json"])
            XCTAssertEqual(r.status, 0, r.err)
            let lines = r.text.split(separator: "\n")
            // The first line says what the stream is and which schema it follows.
            let header = try JSONTree.parse(Data(try XCTUnwrap(lines.first).utf8))
            XCTAssertEqual(header["type"], .string("header"))
            XCTAssertEqual(header["schema"], .string("gaitpop-lines"))
            XCTAssertEqual(header["schema_version"], .number(Double(JSONLines.schemaVersion)))
            XCTAssertEqual(header["source"], .string(file))
            var byType: [String: [JSONTree]] = [:]
            for line in lines {
                let o = try JSONTree.parse(Data(line.utf8))
                let type = try XCTUnwrap(o["type"]?.string, String(line))
                XCTAssertTrue(Self.lineTypes.contains(type), "undocumented line type \(type)")
                XCTAssertEqual(DataStyle().problems(in: o, at: type), [], String(line))
                byType[type, default: []].append(o)
                seen[type, default: 0] += 1
            }
            XCTAssertEqual(byType["header"]?.count, 1)
            XCTAssertEqual(byType["status"]?.count, 1, "one status line at the end of a replay")
            if file == everything { try assertLinesUseTheReportsNames(byType, recording: file) }
        }
        XCTAssertEqual(Set(seen.keys), Self.lineTypes, "every documented line type was produced and checked: \(seen)")
    }

    /// Each line type that has a counterpart in the report carries that object's keys (plus `type`), so a quantity
    /// has one name: step ↔ steps[], stride ↔ strides[], pop ↔ pops[], alert ↔ alerts[], marker ↔ markers[],
    /// posture ↔ posture_events[], note ↔ wearer_notes[].
    func assertLinesUseTheReportsNames(_ lines: [String: [JSONTree]], recording: String) throws {
        let r = try run(["report", recording, "--json", "-", "--no-history"])
        XCTAssertEqual(r.status, 0, r.err)
        let report = try JSONTree.parse(r.out)
        let pairs = [("step", "steps"), ("stride", "strides"), ("pop", "pops"), ("alert", "alerts"),
                     ("marker", "markers"), ("posture", "posture_events"), ("note", "wearer_notes")]
        for (type, key) in pairs {
            let reportKeys = Set((report[key]?.elements ?? []).flatMap { $0.keys })
            let lineKeys = Set((lines[type] ?? []).flatMap { $0.keys }).subtracting(["type"])
            guard !lineKeys.isEmpty else { continue } // pops: this walk has none; other walks cover the keys
            XCTAssertFalse(reportKeys.isEmpty, "report has \(key)")
            XCTAssertTrue(lineKeys.isSubset(of: reportKeys),
                          "\(type) line keys not in the report's \(key): \(lineKeys.subtracting(reportKeys).sorted())")
        }
        for type in ["step", "stride", "marker", "posture", "note", "alert"] {
            XCTAssertFalse(lines[type, default: []].isEmpty, "this walk produces \(type) lines")
        }
        // The note typed on the host: text kept exactly (quotes and digits stay a string).
        XCTAssertEqual(lines["note"]?.compactMap { $0["text"]?.string }, ["left knee \"7\""])
        let status = try XCTUnwrap(lines["status"]?.first)
        XCTAssertEqual(try XCTUnwrap(status["step_count"]?.number), Double(report["steps"]?.elements.count ?? -1),
                       accuracy: 6, "the status line's step_count is the walk's steps")
    }

    /// `live --json` from a virtual sensor: the same header first, the same rules for every line.
    func testLiveJSONLines() throws {
        let link = try virtualSensor(seconds: 30, scenario: "grinding")
        let r = try run(["live", "--port", link, "--json", "--duration", "10"])
        XCTAssertEqual(r.status, 0, r.err)
        let lines = try r.text.split(separator: "\n").map { try JSONTree.parse(Data($0.utf8)) }
        XCTAssertEqual(lines.first?["type"], .string("header"))
        XCTAssertEqual(lines.first?["source"], .string(link))
        XCTAssertEqual(lines.first?["schema_version"], .number(2))
        var types: [String: Int] = [:]
        for (i, o) in lines.enumerated() {
            XCTAssertEqual(DataStyle().problems(in: o, at: "live[\(i)]"), [])
            types[o["type"]?.string ?? "?", default: 0] += 1
        }
        XCTAssertEqual(types["header"], 1)
        XCTAssertGreaterThanOrEqual(types["status"] ?? 0, 4, "a status line a second: \(types)")
        XCTAssertGreaterThan(types["step"] ?? 0, 3, "\(types)")
    }

    /// `simulate --pty` running for `seconds`; returns its link path once it exists (stopped when the test ends).
    func virtualSensor(seconds: Int, scenario: String = "healthy") throws -> String {
        try startVirtualSensor(in: dir, seconds: seconds, scenario: scenario)
    }

    // MARK: inspect, devices, history, calibration

    func testInspectJSON() throws {
        let r = try run(["inspect", sample("walk-grinding.gpsession"), "--json"])
        XCTAssertEqual(r.status, 0, r.err)
        let tree = try JSONTree.parse(r.out)
        XCTAssertEqual(DataStyle().problems(in: tree, at: "inspect"), [])
        XCTAssertNotNil(tree["duration_seconds"]?.number)
        XCTAssertNotNil(tree["header"]?["device"]?["imu_rate_hz"]?.number)
        XCTAssertNotNil(tree["decoder"]?["crc_errors"]?.number)
    }

    func testDevicesJSONWithAVirtualSensor() throws {
        let link = try virtualSensor(seconds: 20)
        let r = try run(["devices", "--probe", link, "--json", "--timeout", "2"])
        XCTAssertEqual(r.status, 0, r.err)
        let tree = try JSONTree.parse(r.out)
        XCTAssertEqual(DataStyle().problems(in: tree, at: "devices"), [])
        let sensor = try XCTUnwrap(tree.elements.first { $0["port"]?["path"]?.string == link }, r.text)
        XCTAssertEqual(sensor["device"]?["imu_rate_hz"]?.number, 100)
        XCTAssertEqual(sensor["device"]?["serial_number"]?.string, "GP-SIM-0001")
    }

    func testHistoryJSON() throws {
        let db = dir.appendingPathComponent("h.sqlite").path
        for f in ["walk-grinding.gpsession", "lab-HA-001-Test5-Trial1.gpsession"] {
            let r = try run(["report", sample(f), "--json", "\(f).json", "--db", db])
            XCTAssertEqual(r.status, 0, r.err)
        }
        let h = try run(["history", "--json", "--db", db])
        XCTAssertEqual(h.status, 0, h.err)
        let tree = try JSONTree.parse(h.out)
        XCTAssertEqual(tree.elements.count, 2)
        // history rows keep every key; a walk without a value says null (docs/OUTPUT.md).
        var style = DataStyle()
        style.nullAllowed = ["cadence_steps_per_min", "tilt_mean_deg", "tilt_rom_deg", "step_time_cv_percent",
                             "step_time_asymmetry_percent", "subject", "report_file"]
        XCTAssertEqual(style.problems(in: tree, at: "history"), [])
        for w in tree.elements {
            XCTAssertNotNil(w["step_count"]?.number, "the report's name for the same count")
            XCTAssertNotNil(w["duration_seconds"]?.number)
            XCTAssertEqual(Set(w.keys), Set(tree.elements[0].keys), "every row has the same keys")
        }
    }

    func testCalibrationFilesAreSnakeCaseAndOldCamelCaseFilesStillLoad() throws {
        let walk = sample("walk-healthy.gpsession")
        let c = try run(["calibrate", "--from", walk, "--out", "cal.json"])
        XCTAssertEqual(c.status, 0, c.err)
        let saved = try Data(contentsOf: dir.appendingPathComponent("cal.json"))
        let tree = try JSONTree.parse(saved)
        XCTAssertEqual(DataStyle().problems(in: tree, at: "calibration"), [])
        XCTAssertEqual(tree["neutral_up_sensor"]?.elements.count, 3)
        XCTAssertNotNil(tree["source"]?.string)

        // `--out -`: the same file on standard output, the words on stderr.
        let toStdout = try run(["calibrate", "--from", walk, "--out", "-"])
        XCTAssertEqual(toStdout.status, 0, toStdout.err)
        XCTAssertEqual(try JSONTree.parse(toStdout.out), tree)
        XCTAssertTrue(toStdout.err.contains("neutral posture found"), toStdout.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path))

        // A file written before schema 2 (camelCase keys, exactly as the old encoder wrote them) still works.
        guard case .object(let snake) = tree else { return XCTFail("calibration is an object") }
        let camel = Dictionary(uniqueKeysWithValues: snake.map { (k, v) in
            (k.split(separator: "_").enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }
                .joined(), v)
        })
        XCTAssertNotNil(camel["neutralUpSensor"])
        try JSONEncoder().encode(JSONTree.object(camel)).write(to: dir.appendingPathComponent("old.json"))
        var tilts: [JSONTree?] = []
        for file in ["cal.json", "old.json"] {
            let r = try run(["report", walk, "--calibration", file, "--json", "-", "--no-history"])
            XCTAssertEqual(r.status, 0, "\(file): \(r.err)")
            let report = try JSONTree.parse(r.out)
            XCTAssertEqual(report["tilt"]?["calibration"]?["neutral_up_sensor"], tree["neutral_up_sensor"], file)
            tilts.append(report["tilt"]?["mean_deg"])
        }
        XCTAssertNotNil(tilts[0]?.number)
        XCTAssertEqual(tilts[0], tilts[1], "old and new calibration files give the same tilt")
    }

    // MARK: `-` is standard output

    func testDashMeansStandardOutputOrAClearRefusal() throws {
        // A recording streamed to stdout is a complete recording.
        let sim = try run(["simulate", "--duration", "4", "--seed", "2", "--out", "-"])
        XCTAssertEqual(sim.status, 0, sim.err)
        XCTAssertEqual(Array(sim.out.prefix(SessionFormat.magic.count)), SessionFormat.magic)
        XCTAssertTrue(sim.err.contains("wrote 4.0 s"), "words on stderr: \(sim.err)")
        let file = dir.appendingPathComponent("piped.gpsession")
        try sim.out.write(to: file)
        let inspect = try run(["inspect", file.path, "--json"])
        XCTAssertEqual(inspect.status, 0, inspect.err)
        XCTAssertEqual(try JSONTree.parse(inspect.out)["finalized"], .bool(true))
        // The same bytes as written to a file.
        XCTAssertEqual(try run(["simulate", "--duration", "4", "--seed", "2", "--out", "file.gpsession"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("file.gpsession")), sim.out)

        // import --out -: a CSV back into a recording on stdout.
        XCTAssertEqual(try run(["export", file.path, "--csv", "csv"]).status, 0)
        let imported = try run(["import", "--imu", "csv/imu.csv", "--out", "-"])
        XCTAssertEqual(imported.status, 0, imported.err)
        XCTAssertEqual(Array(imported.out.prefix(SessionFormat.magic.count)), SessionFormat.magic)
        XCTAssertTrue(imported.err.contains("imported"), imported.err)

        let truth = try run(["simulate", "--duration", "3", "--out", "t.gpsession", "--truth", "-"])
        XCTAssertEqual(truth.status, 0, truth.err)
        XCTAssertNotNil(try JSONTree.parse(truth.out)["duration_s"]?.number)

        // Outputs that cannot be a stream say why, in one line, before any work.
        for (args, words) in [(["export", file.path, "--wav", "-"], "--wav -"),
                              (["export", file.path, "--csv", "-"], "--csv -"),
                              (["report", file.path, "--csv", "-", "--no-history"], "--csv -"),
                              (["live", "--port", "auto", "--record", "-"], "--record -")] {
            let r = try run(args)
            XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
            XCTAssertTrue(r.err.contains(words), r.err)
            XCTAssertTrue(r.out.isEmpty, args.joined(separator: " "))
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertFalse(entries.contains("-"), "no file named -: \(entries)")
        XCTAssertFalse(entries.contains { $0.hasPrefix(".-.") }, "no temporary file for -: \(entries)")
    }

    /// `record --out -` streams the recording from a (virtual) sensor to standard output; its words go to stderr.
    func testRecordToStandardOutput() throws {
        let link = try virtualSensor(seconds: 30)
        let r = try run(["record", "--port", link, "--out", "-", "--duration", "3"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(Array(r.out.prefix(SessionFormat.magic.count)), SessionFormat.magic, "the recording is on stdout")
        XCTAssertFalse(r.err.isEmpty, "the summary is on stderr")
        let file = dir.appendingPathComponent("recorded.gpsession")
        try r.out.write(to: file)
        let inspect = try JSONTree.parse(try run(["inspect", file.path, "--json"]).out)
        XCTAssertEqual(inspect["finalized"], .bool(true))
        XCTAssertGreaterThan(try XCTUnwrap(inspect["streams"]?["imu_samples"]?.number), 150, "about 3 s at 100 Hz")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path))
    }

    // MARK: the checker and the encoder themselves

    /// The checks catch what version 1 wrote: a line from before (`t`, `level_db`, camelCase, a number as a string,
    /// `null` for a value not known, a quantity as text).
    func testTheCheckerCatchesTheOldStyles() throws {
        let old = #"{"type":"pop","t":"5.3","fc":null,"levelDb":-38.1,"Kind":"snap","cadence_steps_per_min":"fast","ok_seconds":[1,2]}"#
        let found = DataStyle().problems(in: try JSONTree.parse(Data(old.utf8)), at: "pop").sorted()
        XCTAssertEqual(found, ["pop.Kind: key not snake_case",
                               "pop.cadence_steps_per_min: quantity as a string \"fast\"",
                               "pop.fc: null where none is documented",
                               "pop.levelDb: key not snake_case",
                               "pop.t: number written as a string \"5.3\""])
        var history = DataStyle()
        history.nullAllowed = ["fc"]
        XCTAssertEqual(history.problems(in: try JSONTree.parse(Data(#"{"fc":null,"p":{"nan_value":"nan"}}"#.utf8)), at: "h"),
                       ["h.p.nan_value: number written as a string \"nan\""])
    }

    // MARK: the encoder itself

    func testNonFiniteNumbersBecomeNullAndTextIsUntouched() throws {
        struct Sample: Encodable {
            var meanDeg = Double.nan
            var peakHz = Double.infinity
            var levelDbfs = -Double.infinity
            var tSeconds = 1.5
            var text = "\u{1}gaitpop-non-finite \"quoted\" / ∞"
            var usbVendorID = 0x2341
            var clockDriftPPM = 20
        }
        let tree = try JSONTree.parse(try JSONStyle.encode(Sample(), pretty: false))
        XCTAssertEqual(tree["mean_deg"], .null)
        XCTAssertEqual(tree["peak_hz"], .null)
        XCTAssertEqual(tree["level_dbfs"], .null)
        XCTAssertEqual(tree["t_seconds"], .number(1.5))
        // Acronyms in Swift names become one word (devices' `usb_vendor_id`, inspect's `clock_drift_ppm`).
        XCTAssertEqual(tree["usb_vendor_id"], .number(0x2341))
        XCTAssertEqual(tree["clock_drift_ppm"], .number(20))
        XCTAssertEqual(tree["text"], .string("\u{1}gaitpop-non-finite \"quoted\" / ∞"), "user text is never rewritten")
        // A JSON line with a non-finite number stays one valid line.
        let line = JSONLines.line("probe", Sample())
        XCTAssertFalse(line.contains("\n"))
        XCTAssertEqual(try JSONTree.parse(Data(line.utf8))["mean_deg"], .null)
        XCTAssertEqual(try JSONTree.parse(Data(line.utf8))["type"], .string("probe"))
    }
}

/// The rules of the data style, applied to every key and value of a JSON tree.
struct DataStyle {
    /// Keys whose value may be `null` (documented per output).
    var nullAllowed: Set<String> = []
    /// Objects of free-form labels copied from a recording's header (strings by the file format): their values may
    /// look like numbers.
    var freeText: Set<String> = ["provenance"]

    static let unitSuffixes = ["_seconds", "_hz", "_deg", "_percent", "_db", "_dbfs", "_g", "_dps", "_ppm", "_micros",
                               "_bytes", "_per_min", "_count", "_ms"]

    static func isSnakeCase(_ k: String) -> Bool {
        guard let first = k.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return k.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func isQuantity(_ k: String) -> Bool { unitSuffixes.contains { k.hasSuffix($0) } }

    func problems(in tree: JSONTree, at path: String, key: String? = nil, text: Bool = false) -> [String] {
        var out: [String] = []
        switch tree {
        case .object(let o):
            for (k, v) in o {
                if !Self.isSnakeCase(k) { out.append("\(path).\(k): key not snake_case") }
                out += problems(in: v, at: "\(path).\(k)", key: k, text: text || freeText.contains(k))
            }
        case .array(let a):
            for (i, v) in a.enumerated() { out += problems(in: v, at: "\(path)[\(i)]", key: key, text: text) }
        case .null:
            if !(key.map(nullAllowed.contains) ?? false) { out.append("\(path): null where none is documented") }
        case .string(let s):
            if let key, Self.isQuantity(key), !text { out.append("\(path): quantity as a string \"\(s)\"") }
            if !text, Double(s) != nil { out.append("\(path): number written as a string \"\(s)\"") }
        case .bool:
            if let key, Self.isQuantity(key) { out.append("\(path): quantity as a boolean") }
        case .number:
            break
        }
        return out
    }
}

/// A JSON value, read strictly (a number is never a boolean, a string is never a number) so the checks can tell
/// what the bytes really were.
indirect enum JSONTree: Codable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONTree]), object([String: JSONTree])

    static func parse(_ data: Data) throws -> JSONTree { try JSONDecoder().decode(JSONTree.self, from: data) }

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONTree].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONTree].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    subscript(key: String) -> JSONTree? { if case .object(let o) = self { return o[key] }; return nil }
    var keys: [String] { if case .object(let o) = self { return Array(o.keys) }; return [] }
    var elements: [JSONTree] { if case .array(let a) = self { return a }; return [] }
    var number: Double? { if case .number(let n) = self { return n }; return nil }
    var string: String? { if case .string(let s) = self { return s }; return nil }
}
