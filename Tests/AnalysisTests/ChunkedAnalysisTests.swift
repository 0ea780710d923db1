import Foundation
import Gait
import Pipeline
import Simulation
import XCTest
@testable import Analysis

/// Long recordings are analysed an hour at a time (flat memory); here the stretch is shortened to 60 s so a
/// 3-minute simulated walk is cut twice, and the pooled result must match the whole-series analysis.
final class ChunkedAnalysisTests: XCTestCase {
    func testStretchesPoolToTheWholeAnalysis() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gaitpop-chunk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var sc = Scenario.preset("healthy")!
        sc.durationSeconds = 180
        let path = dir.appendingPathComponent("walk.gpsession").path
        try SimulatedRecording.write(scenario: sc, seed: 11, to: path)

        let whole = try LoadedRecording.load(path: path)
        let reference = BatchGaitAnalyzer(config: GaitConfig(), calibration: nil).analyze(try XCTUnwrap(whole.imu))

        let chunked = ChunkedGaitAnalysis(config: GaitConfig(), calibration: nil)
        var stretches: [(Double, Int, Range<Double>)] = []
        let loaded = try LoadedRecording.load(path: path, chunk: (60, 10)) { series, owns in
            stretches.append((series.startSeconds, series.accG.count / 3, owns))
            chunked.add(series, owns: owns)
        }
        XCTAssertNil(loaded.imu, "chunked loading never holds the whole series")
        XCTAssertEqual(loaded.imuRateHz, whole.imu?.rateHz)
        XCTAssertGreaterThanOrEqual(stretches.count, 2)
        // Every stretch is bounded (60 s owned + two 10 s overlaps), and owned spans tile the time line.
        let rate = try XCTUnwrap(loaded.imuRateHz)
        for s in stretches { XCTAssertLessThanOrEqual(Double(s.1), (60 + 2 * 10) * rate + 10) }
        for k in 1..<stretches.count { XCTAssertEqual(stretches[k].2.lowerBound, stretches[k - 1].2.upperBound) }
        XCTAssertEqual(stretches.first?.2.lowerBound, -.infinity)
        XCTAssertEqual(stretches.last?.2.upperBound, .infinity)

        let pooled = try XCTUnwrap(chunked.result)
        let n = Double(reference.steps.count)
        XCTAssertGreaterThan(n, 50, "the walk must have steps")
        XCTAssertEqual(Double(pooled.steps.count), n, accuracy: max(4, 0.03 * n), "steps: pooled vs whole")
        XCTAssertEqual(pooled.metrics?.stepCount, pooled.steps.count)
        let cadence = try XCTUnwrap(reference.metrics?.cadenceStepsPerMin)
        XCTAssertEqual(try XCTUnwrap(pooled.metrics?.cadenceStepsPerMin), cadence, accuracy: 0.03 * cadence)
        XCTAssertEqual(Set(pooled.bouts.map(\.index)).count, pooled.bouts.count, "bouts renumbered uniquely")
        XCTAssertTrue(zip(pooled.steps, pooled.steps.dropFirst()).allSatisfy { $0.t < $1.t }, "steps in time order")
    }
}
