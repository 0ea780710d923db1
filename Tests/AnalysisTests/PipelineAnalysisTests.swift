import Foundation
import XCTest
import TestSupport
@testable import Analysis
@testable import Gait
@testable import Pipeline
@testable import PopEvents
@testable import Recording
@testable import Simulation

/// The whole analysis pipeline — recording → decoder → samples → gait + pops → events and reports — against the
/// simulator's exact truth.
final class PipelineAnalysisTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-an") }

    func simulate(_ preset: String, seed: UInt64 = 2, mutate: (inout Scenario) -> Void = { _ in }) throws
        -> (path: String, truth: GroundTruth) {
        var sc = Scenario.preset(preset)!
        mutate(&sc)
        let p = dir.appendingPathComponent("\(preset)-\(seed).gpsession").path
        let t = dir.appendingPathComponent("\(preset)-\(seed).json").path
        try SimulatedRecording.write(scenario: sc, seed: seed, to: p, truthPath: t)
        return (p, try GroundTruth.read(from: t))
    }

    /// One-to-one matches within a tolerance (TestSupport's `EventMatching`, greedy by error).
    func matches(_ det: [Double], _ ref: [Double], tol: Double) -> [(Int, Int, Double)] {
        EventMatching(detected: det, reference: ref, toleranceSeconds: tol).pairs.map { ($0.detected, $0.reference, $0.errorSeconds) }
    }

    func testReplayEmitsEveryStepPromptlyAndMatchesTruth() throws {
        let (path, truth) = try simulate("healthy")
        let analysis = StreamingAnalysis()
        var provisional: [(t: Double, emittedAt: Double)] = []
        var confirmed: [GaitStep] = []
        analysis.onEvent = { e in
            if case .step(let s) = e {
                if s.provisional { provisional.append((s.t, analysis.status.tSeconds)) } else { confirmed.append(s) }
            }
        }
        try RecordingPlayer(path: path, analysis: analysis).play(speed: nil)
        let ref = truth.initialContacts.map(\.t)
        let m = matches(confirmed.map(\.t), ref, tol: 0.1)
        let f1 = 2 * Double(m.count) / Double(confirmed.count + ref.count)
        XCTAssertGreaterThanOrEqual(f1, 0.99, "IC F1 at ±0.1 s")
        let errs = m.map { abs($0.2) }.sorted()
        XCTAssertLessThanOrEqual(errs[errs.count / 2], 0.02, "median |IC error|")
        let sideOK = m.filter { confirmed[$0.0].side.rawValue == truth.initialContacts[$0.1].side.rawValue }.count
        XCTAssertGreaterThanOrEqual(Double(sideOK) / Double(m.count), 0.95, "left/right")
        // Live promise: the streaming engine emits each step within 300 ms of its initial contact. Fed one sample
        // at a time, "when" is the time of the sample that made the step known; a sensor's block period (100 ms for
        // 10-sample blocks at 100 Hz) comes on top of this in live use and is reported separately by the benchmark.
        let imu = try XCTUnwrap(LoadedRecording.load(path: path).imu)
        let g = StreamingGaitAnalyzer(rateHz: imu.rateHz)
        var latencies: [Double] = []
        imu.accG.withUnsafeBufferPointer { a in
            imu.gyroDps!.withUnsafeBufferPointer { w in
                for i in 0..<imu.count {
                    let t = imu.tSeconds(ofSample: i)
                    for e in g.process(startSeconds: t, accG: UnsafeBufferPointer(rebasing: a[(3 * i)..<(3 * i + 3)]),
                                       gyroDps: UnsafeBufferPointer(rebasing: w[(3 * i)..<(3 * i + 3)]), count: 1) {
                        if case .step(let s) = e { latencies.append(t - s.t) }
                    }
                }
            }
        }
        XCTAssertGreaterThan(latencies.count, ref.count - 3)
        XCTAssertLessThanOrEqual(latencies.max() ?? 1, 0.3, "every step within 300 ms of its contact")
        XCTAssertFalse(provisional.isEmpty)
    }

    func testReplayJSONLinesAreValidJSONWithTheDocumentedFields() throws {
        let (path, _) = try simulate("snapping-tendon")
        let analysis = StreamingAnalysis()
        var lines: [String] = []
        analysis.onEvent = { lines.append($0.jsonLine) }
        try RecordingPlayer(path: path, analysis: analysis).play(speed: nil)
        lines.append(analysis.status.jsonLine)
        var types: [String: Int] = [:]
        for l in lines {
            let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any], l)
            let type = try XCTUnwrap(o["type"] as? String)
            types[type, default: 0] += 1
            switch type {
            case "step":
                XCTAssertNotNil(o["ic_seconds"] as? Double); XCTAssertNotNil(o["side"] as? String)
                if o["provisional"] as? Bool == false { XCTAssertNotNil(o["opposite_fc_seconds"] as? Double, l) }
            case "pop":
                for k in ["t_seconds", "kind", "level_dbfs", "confidence", "duration_seconds"] {
                    XCTAssertTrue(o[k] != nil, k)
                }
                if let phase = o["phase"] as? [String: Any] { XCTAssertNotNil(phase["cycle_percent"] as? Double, l) }
            default: break
            }
        }
        XCTAssertGreaterThan(types["step"] ?? 0, 80)
        XCTAssertGreaterThan(types["pop"] ?? 0, 10)
        XCTAssertEqual(types["status"], 1)
    }

    func testReportFindsStepsTiltAndPhaseLockedSnaps() throws {
        let (path, truth) = try simulate("snapping-tendon", seed: 5) { $0.tilt.walkingDeg = 6 }
        let r = try WalkAnalysis.analyze(path: path, software: "test")
        XCTAssertEqual(r.schema, "gaitpop-report")
        XCTAssertEqual(Double(r.steps.count), Double(truth.initialContacts.count), accuracy: 2)
        let g = try XCTUnwrap(r.gait)
        let trueCadence = truth.bouts.map(\.cadence).reduce(0, +) / Double(truth.bouts.count)
        XCTAssertEqual(try XCTUnwrap(g.cadenceStepsPerMin), trueCadence, accuracy: 3)
        XCTAssertEqual(try XCTUnwrap(r.tilt.meanDeg), 6, accuracy: 1, "walking tilt against the standing neutral")
        // Snaps: found where the truth has them, tagged with the refined stride phase.
        let snaps = truth.acousticEvents.filter { $0.kind == .snap }
        let m = matches(r.pops.map(\.tSeconds), snaps.map(\.onsetS), tol: 0.01)
        XCTAssertGreaterThanOrEqual(Double(m.count) / Double(snaps.count), 0.9)
        let cpErr = m.compactMap { pair -> Double? in
            guard let a = r.pops[pair.0].phase?.cyclePercent, let b = snaps[pair.1].cyclePercent else { return nil }
            return abs(a - b)
        }.sorted()
        XCTAssertLessThanOrEqual(cpErr[cpErr.count / 2], 2, "median |cycle percent error|")
        // JSON round trip of the versioned schema.
        let data = try ReportJSON.encode(r)
        let back = try ReportJSON.decode(data)
        XCTAssertEqual(back.steps, r.steps)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"schema_version\" : 2"))
        XCTAssertTrue(ReportMarkdown.render(r).contains("does not diagnose"))
    }

    func testRealLabRecordingThroughImportAndReport() throws {
        let csv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/lowerback-lab/HA-001_Test5_Trial1.csv").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: csv), "lab fixture missing at \(csv)")
        let p = dir.appendingPathComponent("lab.gpsession").path
        _ = try SessionImporter.run(imuCSV: csv, audioWAV: nil, out: p)
        let r = try WalkAnalysis.analyze(path: p, software: "test")
        // The reference has 10 initial contacts in its walking bout (stereophotogrammetry).
        XCTAssertEqual(Double(r.steps.count), 10, accuracy: 1)
        XCTAssertEqual(r.bouts.count, 1)
        XCTAssertTrue(r.pops.isEmpty, "no microphone, no pops")
        // Said as such, not as "no pops were heard", and no empty pop clock is drawn.
        XCTAssertTrue(ReportMarkdown.render(r).contains("No microphone in this recording"))
        let html = ReportHTML.render(r)
        XCTAssertTrue(html.contains("This recording has no microphone"))
        XCTAssertFalse(html.contains("No pops were heard"))
    }
}
