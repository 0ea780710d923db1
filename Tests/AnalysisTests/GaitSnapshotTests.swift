import Foundation
import XCTest
@testable import Analysis
@testable import Gait

/// Snapshot of the batch gait output on every recording in `SampleData/` (mobgap's snapshot regression tests): steps
/// with their IC/FC times and sides, per-stride angles and bouts. A restructuring of the gait engine must leave these
/// equal; a deliberate change re-records them with `GAITPOP_RECORD_SNAPSHOTS=1` and says why in the commit.
final class GaitSnapshotTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let snapshotDirectory = root.appendingPathComponent("Tests/Snapshots/gait")

    /// What is pinned: the numbers a user sees and pops are aligned to.
    struct Snapshot: Codable, Equatable {
        struct Step: Codable, Equatable { var t: Double; var side: String; var fc: Double?; var bout: Int }
        struct Stride: Codable, Equatable {
            var ic: Double; var nextIc: Double; var side: String; var bout: Int; var meanDeg: Double
            var romDeg: Double?; var obliquityRomDeg: Double?; var rotationRomDeg: Double?
        }
        struct Bout: Codable, Equatable {
            var start: Double; var end: Double; var stepCount: Int; var cadence: Double
        }
        var recording: String
        var steps: [Step]
        var strides: [Stride]
        var bouts: [Bout]
        var notes: [String]
    }

    /// Rounded to 1 µs / 1e-6 so the files diff readably; compared with a tolerance one order above that.
    static func r(_ v: Double) -> Double { (v * 1e6).rounded() / 1e6 }
    static func r(_ v: Double?) -> Double? { v.map { r($0) } }

    static func snapshot(of g: GaitResult, name: String) -> Snapshot {
        Snapshot(recording: name,
                 steps: g.steps.map { .init(t: r($0.t), side: $0.side.rawValue, fc: r($0.fc), bout: $0.bout) },
                 strides: g.strideTilts.map {
                     .init(ic: r($0.icSeconds), nextIc: r($0.nextIcSeconds), side: $0.side.rawValue, bout: $0.bout,
                           meanDeg: r($0.meanDeg), romDeg: r($0.romDeg), obliquityRomDeg: r($0.obliquityRomDeg),
                           rotationRomDeg: r($0.rotationRomDeg))
                 },
                 bouts: g.bouts.map { .init(start: r($0.startSeconds), end: r($0.endSeconds), stepCount: $0.stepCount,
                                            cadence: r($0.cadenceStepsPerMin)) },
                 notes: g.notes)
    }

    func testBatchGaitOutputEqualsSnapshots() throws {
        let sampleData = Self.root.appendingPathComponent("SampleData")
        let files = try FileManager.default.contentsOfDirectory(atPath: sampleData.path)
            .filter { $0.hasSuffix(".gpsession") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 5, "SampleData recordings")
        let record = ProcessInfo.processInfo.environment["GAITPOP_RECORD_SNAPSHOTS"] == "1"
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        for file in files {
            let name = String(file.dropLast(".gpsession".count))
            let imu = try XCTUnwrap(LoadedRecording.load(path: sampleData.appendingPathComponent(file).path).imu, name)
            let got = Self.snapshot(of: BatchGaitAnalyzer().analyze(imu), name: name)
            XCTAssertFalse(got.steps.isEmpty, "\(name): a sample recording with no steps pins nothing")
            let url = Self.snapshotDirectory.appendingPathComponent("\(name).json")
            if record {
                try FileManager.default.createDirectory(at: Self.snapshotDirectory, withIntermediateDirectories: true)
                try enc.encode(got).write(to: url)
                continue
            }
            guard let data = try? Data(contentsOf: url) else {
                XCTFail("\(name): no snapshot at \(url.path); record with GAITPOP_RECORD_SNAPSHOTS=1"); continue
            }
            let want = try JSONDecoder().decode(Snapshot.self, from: data)
            compare(got, want, name)
        }
    }

    func compare(_ got: Snapshot, _ want: Snapshot, _ name: String) {
        func eq(_ a: Double?, _ b: Double?, _ what: String) {
            switch (a, b) {
            case let (x?, y?): XCTAssertEqual(x, y, accuracy: 1e-5, "\(name): \(what)")
            case (nil, nil): break
            default: XCTFail("\(name): \(what) \(String(describing: a)) ≠ \(String(describing: b))")
            }
        }
        XCTAssertEqual(got.notes, want.notes, name)
        XCTAssertEqual(got.steps.count, want.steps.count, "\(name): steps")
        for (i, (a, b)) in zip(got.steps, want.steps).enumerated() {
            eq(a.t, b.t, "step \(i) IC"); eq(a.fc, b.fc, "step \(i) FC")
            XCTAssertEqual(a.side, b.side, "\(name): step \(i) side"); XCTAssertEqual(a.bout, b.bout, "\(name): step \(i) bout")
        }
        XCTAssertEqual(got.strides.count, want.strides.count, "\(name): strides")
        for (i, (a, b)) in zip(got.strides, want.strides).enumerated() {
            eq(a.ic, b.ic, "stride \(i) IC"); eq(a.nextIc, b.nextIc, "stride \(i) next IC")
            XCTAssertEqual(a.side, b.side, "\(name): stride \(i) side")
            eq(a.meanDeg, b.meanDeg, "stride \(i) mean tilt"); eq(a.romDeg, b.romDeg, "stride \(i) tilt ROM")
            eq(a.obliquityRomDeg, b.obliquityRomDeg, "stride \(i) obliquity ROM")
            eq(a.rotationRomDeg, b.rotationRomDeg, "stride \(i) rotation ROM")
        }
        XCTAssertEqual(got.bouts.count, want.bouts.count, "\(name): bouts")
        for (i, (a, b)) in zip(got.bouts, want.bouts).enumerated() {
            eq(a.start, b.start, "bout \(i) start"); eq(a.end, b.end, "bout \(i) end")
            XCTAssertEqual(a.stepCount, b.stepCount, "\(name): bout \(i) steps"); eq(a.cadence, b.cadence, "bout \(i) cadence")
        }
    }
}
