import Foundation
import XCTest
@testable import Analysis
import Gait
import PopEvents
import Simulation
import TestSupport

/// One loader for the four JSON configurations: a file over the defaults, every field loadable, and every odd file
/// — unknown key, wrong type, value out of range, not JSON — one line that names the key.
final class ConfigLoaderTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-config") }

    func write(_ text: String, _ name: String = "c.json") throws -> String {
        let p = dir.appendingPathComponent(name).path
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// Every leaf changed: numbers scaled (ints + 1), booleans flipped, names suffixed. Enum-valued strings are
    /// left alone (they have to stay valid). Returns the changed document and how many leaves changed.
    func changeEveryLeaf(_ v: JSONValue, key: String = "") -> (JSONValue, Int) {
        switch v {
        case .int(let i): return (.int(i + 1), 1)
        case .double(let d): return (.double(d == 0 ? 0.5 : d * 0.75), 1)
        case .bool(let b): return (.bool(!b), 1)
        case .string(let s) where key == "name": return (.string(s + "-changed"), 1)
        case .array(let a):
            let m = a.map { changeEveryLeaf($0, key: key) }
            return (.array(m.map(\.0)), m.map(\.1).reduce(0, +))
        case .object(let o):
            var out: [String: JSONValue] = [:], n = 0
            for (k, x) in o { let (y, c) = changeEveryLeaf(x, key: k); out[k] = y; n += c }
            return (.object(out), n)
        default: return (v, 0)
        }
    }

    /// Numeric and boolean leaves of a value, counted by reflection: what "every field" means for a config.
    func numericLeaves(_ x: Any) -> Int {
        if x is Double || x is Int || x is Bool { return 1 }
        let m = Mirror(reflecting: x)
        switch m.displayStyle {
        case .dictionary?:
            return m.children.map { numericLeaves(Mirror(reflecting: $0.value).children.dropFirst().first!.value) }.reduce(0, +)
        default:
            return m.children.map { numericLeaves($0.value) }.reduce(0, +)
        }
    }

    func roundTrip<C: Codable & Equatable>(_ type: C.Type, base: C, minimumFields: Int,
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(base))
        let (changed, n) = changeEveryLeaf(json)
        XCTAssertGreaterThanOrEqual(n, minimumFields, "\(C.self): fields changed", file: file, line: line)
        if !(base is Scenario) { // (a scenario's names and kinds are strings; its other leaves are counted above)
            XCTAssertEqual(n, numericLeaves(base), "\(C.self): every field, by reflection", file: file, line: line)
        }
        let p = try write(String(decoding: try JSONEncoder().encode(changed), as: UTF8.self))
        let loaded = try ConfigLoader.load(C.self, path: p, defaults: base, what: "\(C.self)")
        let echo = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(loaded))
        XCTAssertEqual(echo, changed, "\(C.self): every changed field came through the loader", file: file, line: line)
        XCTAssertNotEqual(loaded, base, file: file, line: line)
    }

    func testRoundTripSetsEveryField() throws {
        var rules = AlertRuleConfig()
        rules.phaseLockedMinResultant = 0.8 // × 0.75 stays inside 0–1
        try roundTrip(AlertRuleConfig.self, base: rules, minimumFields: 16)
        try roundTrip(PopConfig.self, base: PopConfig(), minimumFields: 50)
        try roundTrip(GaitConfig.self, base: GaitConfig(), minimumFields: 43)
        try roundTrip(Scenario.self, base: Scenario.preset("healthy")!, minimumFields: 36)
    }

    func testPartialFilesKeepTheRestOfTheDefaults() throws {
        let g = try ConfigLoader.load(GaitConfig.self, path: try write(#"{"minStepSeconds": 0.3}"#), defaults: GaitConfig(),
                                      what: "gait config")
        var want = GaitConfig()
        want.minStepSeconds = 0.3
        XCTAssertEqual(g, want, "a partial gait config works like a partial pop config")
        let pop = try ConfigLoader.decode(PopConfig.self, from: Data(#"{"rules": {"minKindScore": 0.5}}"#.utf8),
                                          defaults: PopConfig())
        XCTAssertEqual(pop.rules.minKindScore, 0.5)
        XCTAssertEqual(pop.rules.grindMinImpulses, PopRules().grindMinImpulses, "nested objects merge key by key")
        let sc = try ConfigLoader.load(Scenario.self, path: try write(#"{"durationSeconds": 12, "gait": {"asymmetry": 0.05}}"#),
                                       defaults: Scenario(), what: "scenario file")
        XCTAssertEqual(sc.durationSeconds, 12)
        XCTAssertEqual(sc.gait.asymmetry, 0.05)
        XCTAssertEqual(sc.gait.stepTimeCV, Scenario().gait.stepTimeCV)
        XCTAssertEqual(sc.audio, Scenario().audio)
        let r = try AlertRuleConfig.load(path: try write(#"{"cooldownSeconds": {"pop_near_pain": 10}}"#))
        XCTAssertEqual(r.cooldownSeconds[.popNearPain], 10)
        XCTAssertEqual(r.cooldownSeconds[.grindRecurring], 120)
    }

    /// Odd rules files of the hostile-input run (issue 14): each used to be clamped, replaced by defaults or
    /// ignored; each is now an error of one line that names the file and the key.
    func testOddRulesFilesAreOneLineErrors() throws {
        let cases: [(String, String)] = [
            (#"{"grindCont": 3}"#, #"unknown key "grindCont" (did you mean "grindCount"?)"#),
            (#"{"cooldownSeconds": {"grind_recuring": 10}}"#,
             #"unknown key "cooldownSeconds.grind_recuring" (did you mean "grind_recurring"?)"#),
            (#"{"cooldownSeconds": {"knee_click": 10}}"#, #"unknown key "cooldownSeconds.knee_click""#),
            (#"{"grindCount": "3"}"#, #""grindCount" must be a whole number, got a string"#),
            (#"{"grindCount": 2.5}"#, #""grindCount" must be a whole number, got 2.5"#),
            (#"{"maxAlertsPerMinute": true}"#, #""maxAlertsPerMinute" must be a whole number, got true/false"#),
            (#"{"grindWindowSeconds": null}"#, #""grindWindowSeconds" must be a number, got null"#),
            (#"{"cooldownSeconds": 5}"#, #""cooldownSeconds" must be an object, got a number"#),
            (#"{"grindCount": 0}"#, #""grindCount" must be 1–1000, got 0"#),
            (#"{"grindCount": -3}"#, #""grindCount" must be 1–1000, got -3"#),
            (#"{"phaseLockedMaxP": 2}"#, #""phaseLockedMaxP" must be 0–1, got 2"#),
            (#"{"phaseLockedMinResultant": -0.1}"#, #""phaseLockedMinResultant" must be 0–1, got -0.1"#),
            (#"{"painWindowSeconds": -5}"#, #""painWindowSeconds" must be 0–3600 s, got -5"#),
            (#"{"risingFactor": 0.5}"#, #""risingFactor" must be 1–1000, got 0.5"#),
            (#"{"cooldownSeconds": {"pop_near_pain": -1}}"#, #""cooldownSeconds.pop_near_pain" must be 0–86400 s, got -1"#),
            (#"[1, 2]"#, "must be a JSON object of named settings, got a list"),
            ("", "not valid JSON"),
            (#"{"grindCount": 3"#, "not valid JSON"),
        ]
        for (i, (text, message)) in cases.enumerated() {
            let p = try write(text, "rules-\(i).json")
            XCTAssertThrowsError(try AlertRuleConfig.load(path: p), text) { e in
                let line = "\(e)"
                XCTAssertTrue(line.hasPrefix("alert rules \(p): \(message)"), "\(text) → \(line)")
                XCTAssertFalse(line.contains("\n"), "one line: \(line)")
            }
        }
        XCTAssertThrowsError(try AlertRuleConfig.load(path: dir.appendingPathComponent("absent.json").path)) {
            XCTAssertTrue("\($0)".hasSuffix("absent.json: no such file"), "\($0)")
        }
    }

    func testUnknownKeysAreRejectedAtEveryDepth() throws {
        func message<C: Codable>(_ type: C.Type, _ text: String, _ defaults: C) -> String {
            do { _ = try ConfigLoader.decode(type, from: Data(text.utf8), defaults: defaults); return "accepted" }
            catch { return "\(error)" }
        }
        XCTAssertEqual(message(PopConfig.self, #"{"rules": {"grindMinImpulse": 5}}"#, PopConfig()),
                       #"unknown key "rules.grindMinImpulse" (did you mean "grindMinImpulses"?)"#)
        XCTAssertEqual(message(GaitConfig.self, #"{"minStepSecond": 0.3}"#, GaitConfig()),
                       #"unknown key "minStepSecond" (did you mean "minStepSeconds"?)"#)
        XCTAssertEqual(message(Scenario.self, #"{"segments": [{"kind": "walk", "seconds": 10, "cadance": 100}]}"#, Scenario()),
                       #"unknown key "segments[0].cadance""#)
        XCTAssertEqual(message(Scenario.self, #"{"segments": [{"kind": "jog", "seconds": 10}]}"#, Scenario()),
                       #""segments[0].kind" is not a valid value (got "jog")"#)
        XCTAssertEqual(message(Scenario.self, #"{"segments": [{"kind": "walk", "seconds": 10, "cadence": null}]}"#, Scenario()),
                       "accepted", "null for an optional is no unknown key")
    }
}
