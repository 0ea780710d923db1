import Foundation
import XCTest
import TestSupport
@testable import Pipeline
@testable import Recording
@testable import SensorProtocol
@testable import Simulation

/// Recording → CSV + WAV → recording → CSV + WAV: the second export equals the first (both quantised the same way),
/// so a researcher's own logger data goes through exactly the path sensor data does.
final class ImportExportRoundTripTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-rt") }

    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }

    func rows(_ csv: String) throws -> [[Double]] {
        try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map { Double($0)! } }
    }

    func testRoundTripKeepsSamplesTimesAndAudio() throws {
        var sc = Scenario.preset("grinding")!
        sc.durationSeconds = 15
        try SimulatedRecording.write(scenario: sc, seed: 5, to: path("a.gpsession"))
        let e1 = try SessionExporter.run(recording: path("a.gpsession"), csvDirectory: path("csv1"), wavPath: path("a.wav"))
        XCTAssertEqual(e1.imuRows, 1500)
        XCTAssertEqual(e1.audioSamples, 240_000)
        let i1 = try SessionImporter.run(imuCSV: path("csv1/imu.csv"), audioWAV: path("a.wav"), out: path("b.gpsession"))
        XCTAssertEqual(i1.imuSamples, 1500)
        XCTAssertEqual(i1.imuRateHz, 100, accuracy: 1e-6)
        XCTAssertEqual(i1.audioSamples, 240_000)
        let e2 = try SessionExporter.run(recording: path("b.gpsession"), csvDirectory: path("csv2"), wavPath: path("b.wav"))
        XCTAssertEqual(e2.imuRows, 1500)
        let r1 = try rows(path("csv1/imu.csv")), r2 = try rows(path("csv2/imu.csv"))
        XCTAssertEqual(r1.count, r2.count)
        for (a, b) in zip(r1, r2) {
            XCTAssertEqual(a[0], b[0], accuracy: 2e-6, "time")
            for c in 1...3 { XCTAssertEqual(a[c], b[c], accuracy: 16.0 / 32768 + 1e-6, "acc") }
            for c in 4...6 { XCTAssertEqual(a[c], b[c], accuracy: 2000.0 / 32768 + 1e-4, "gyro") }
        }
        // Audio: identical 16-bit samples after the round trip.
        let w1 = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path("a.wav"))))
        let w2 = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path("b.wav"))))
        XCTAssertEqual(w1, w2)
        // The imported recording is an ordinary one.
        let s = try SessionSummary.read(path: path("b.gpsession"))
        XCTAssertTrue(s.finalized)
        XCTAssertEqual(s.streams.imuSamples, 1500)
        XCTAssertEqual(s.streams.audioSamples, 240_000)
        XCTAssertEqual(s.decoder.resyncs, 0)
    }

    func testAudioOffsetShiftsTheMicrophoneAgainstTheIMU() throws {
        try "time_s,acc_x_g,acc_y_g,acc_z_g\n".appending((0..<200).map { "\(Double($0) / 100),0,0,1\n" }.joined())
            .write(toFile: path("imu.csv"), atomically: true, encoding: .utf8)
        let wav = try WAVWriter(path: path("m.wav"), sampleRateHz: 8000)
        try wav.append([Int16](repeating: 1000, count: 8000))
        try wav.finish()
        var o = SessionImporter.Options()
        o.audioOffsetSeconds = 0.5
        _ = try SessionImporter.run(imuCSV: path("imu.csv"), audioWAV: path("m.wav"), out: path("o.gpsession"), options: o)
        let replay = try RecordingReplay(path: path("o.gpsession"))
        let asm = SampleAssembler(info: replay.header.device)
        var firstIMU: Double?, firstAudio: Double?
        asm.onIMU = { if firstIMU == nil { firstIMU = $0.tSeconds } }
        asm.onAudio = { if firstAudio == nil { firstAudio = $0.tSeconds } }
        replay.onFrame = { f, _ in asm.consume(f) }
        replay.run()
        XCTAssertEqual(firstIMU ?? -1, 0, accuracy: 1e-6)
        XCTAssertEqual(firstAudio ?? -1, 0.5, accuracy: 1e-6)
    }

    func testWrongColumnsFailInOneLineAndWriteNothingMisleading() throws {
        try "t,ax,ay,az\n0,0,0,1\n".write(toFile: path("bad.csv"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SessionImporter.run(imuCSV: path("bad.csv"), audioWAV: nil, out: path("x.gpsession"))) { e in
            let line = "\(e)"
            XCTAssertTrue(line.contains("bad.csv"), line)
            XCTAssertTrue(line.contains("acc_x_g"), line)
            XCTAssertFalse(line.contains("\n"), "one line")
        }
        try "time_s,acc_x_g,acc_y_g,acc_z_g\n0,0,0,1\n0.01,0,nan,1\n".write(toFile: path("nan.csv"), atomically: true,
                                                                             encoding: .utf8)
        XCTAssertThrowsError(try SessionImporter.run(imuCSV: path("nan.csv"), audioWAV: nil, out: path("y.gpsession"))) { e in
            XCTAssertTrue("\(e)".contains("line 3"), "\(e)")
        }
    }
}
