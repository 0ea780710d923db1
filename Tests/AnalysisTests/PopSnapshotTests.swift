import Foundation
import XCTest
@testable import Analysis
@testable import PopEvents

/// Pins the batch pop output (each pop's time, kind, level and phase, and the alerts) of every recording in
/// SampleData/, so a restructuring of the detector that changes a number is seen (mobgap's snapshot regression
/// tests). `cycle_percent` is on the pop's own (stance) leg, `left_cycle_percent` on the left stride; the phases
/// depend on the gait module's contacts, so a change there shows here too. A deliberate change re-records with `GAITPOP_RECORD_SNAPSHOTS=1 swift test --filter PopSnapshotTests`
/// (Tests/Snapshots/README.md); the commit then says why the numbers moved.
final class PopSnapshotTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let snapshots = repo.appendingPathComponent("Tests/Snapshots/pops")
    static var recording: Bool { ProcessInfo.processInfo.environment["GAITPOP_RECORD_SNAPSHOTS"] == "1" }

    struct Pop: Codable, Equatable {
        var t: Double
        var kind: String
        var levelDbfs: Double
        var cyclePercent: Double?
        var leftCyclePercent: Double?
        var stanceLeg: String?
        var phase: String?
    }

    struct Alert: Codable, Equatable {
        var t: Double
        var rule: String
    }

    struct Snapshot: Codable, Equatable {
        var recording: String
        var pops: [Pop]
        var alerts: [Alert]
    }

    static func round(_ x: Double, _ digits: Double) -> Double { (x * pow(10, digits)).rounded() / pow(10, digits) }

    static func snapshot(of path: String) throws -> Snapshot {
        let r = try WalkAnalysis.analyze(path: path, software: "snapshot")
        let pops = r.pops.map { p in
            Pop(t: round(p.tSeconds, 4), kind: p.kind.rawValue, levelDbfs: round(p.levelDbfs, 2),
                cyclePercent: p.phase.map { round($0.cyclePercent, 2) },
                leftCyclePercent: p.phase?.leftCyclePercent.map { round($0, 2) },
                stanceLeg: p.phase?.stanceLeg?.rawValue, phase: p.phase?.phase.rawValue)
        }
        let alerts = r.alerts.map { Alert(t: round($0.t, 4), rule: $0.rule.rawValue) }
        return Snapshot(recording: URL(fileURLWithPath: path).lastPathComponent, pops: pops, alerts: alerts)
    }

    func testBatchPopOutputOfEverySampleRecordingMatchesItsSnapshot() throws {
        let sample = Self.repo.appendingPathComponent("SampleData")
        let names = try FileManager.default.contentsOfDirectory(atPath: sample.path)
            .filter { $0.hasSuffix(".gpsession") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 4, "SampleData holds the sample walks")
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        enc.keyEncodingStrategy = .convertToSnakeCase
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        var popsSeen = 0
        for name in names {
            let snap = try Self.snapshot(of: sample.appendingPathComponent(name).path)
            popsSeen += snap.pops.count
            let file = Self.snapshots.appendingPathComponent(name.replacingOccurrences(of: ".gpsession", with: ".json"))
            if Self.recording {
                try FileManager.default.createDirectory(at: Self.snapshots, withIntermediateDirectories: true)
                try (enc.encode(snap) + Data("\n".utf8)).write(to: file)
                continue
            }
            guard let data = try? Data(contentsOf: file) else {
                XCTFail("no snapshot \(file.path): record it with GAITPOP_RECORD_SNAPSHOTS=1")
                continue
            }
            let stored = try dec.decode(Snapshot.self, from: data)
            Self.compare(stored, snap, name)
        }
        XCTAssertGreaterThan(popsSeen, 10, "the sample walks hold pops to pin")
    }

    static func close(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return abs(x - y) <= 0.05
        default: return false
        }
    }

    /// Same pops and alerts in the same order; times within 0.2 ms, levels within 0.05 dB, cycle within 0.05 %
    /// (room for the last rounded digit between debug and release builds, nothing more).
    static func compare(_ a: Snapshot, _ b: Snapshot, _ name: String, file: StaticString = #filePath,
                        line: UInt = #line) {
        XCTAssertEqual(a.pops.count, b.pops.count, "\(name): pop count", file: file, line: line)
        for (x, y) in zip(a.pops, b.pops) {
            let ok = abs(x.t - y.t) <= 0.0002 && x.kind == y.kind && abs(x.levelDbfs - y.levelDbfs) <= 0.05
                && x.phase == y.phase && x.stanceLeg == y.stanceLeg && close(x.cyclePercent, y.cyclePercent)
                && close(x.leftCyclePercent, y.leftCyclePercent)
            XCTAssertTrue(ok, "\(name): stored \(x) vs now \(y)", file: file, line: line)
        }
        XCTAssertEqual(a.alerts.count, b.alerts.count, "\(name): alert count", file: file, line: line)
        for (x, y) in zip(a.alerts, b.alerts) {
            XCTAssertTrue(abs(x.t - y.t) <= 0.0002 && x.rule == y.rule, "\(name): alert \(x) vs \(y)", file: file,
                          line: line)
        }
    }
}
