import Foundation
import Pipeline
import SensorProtocol
import Simulation
import XCTest
import TestSupport
@testable import Recording

/// Damaged and hostile recordings and WAVs (issue 14): damage costs only what it touches, reading stays linear in
/// the file size and in bounded memory, and every problem becomes a warning.
final class DamagedRecordingTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-damage") }

    func simulated(seconds: Double, name: String = "walk.gpsession") throws -> URL {
        var sc = Scenario.preset("healthy")!
        sc.durationSeconds = seconds
        let u = dir.appendingPathComponent(name)
        try SimulatedRecording.write(scenario: sc, seed: 3, to: u.path)
        return u
    }

    /// IMU samples, audio samples and warnings as every command sees them.
    func contents(_ u: URL) throws -> (imu: Int, audio: Int, warnings: [String]) {
        let replay = try RecordingReplay(path: u.path)
        let asm = SampleAssembler(info: replay.header.device)
        var imu = 0, audio = 0
        asm.onIMU = { imu += $0.count }
        asm.onAudio = { audio += $0.samples.count }
        replay.onFrame = { f, _ in asm.consume(f) }
        replay.run()
        return (imu, audio, replay.damageWarnings)
    }

    func testAFlippedBitLosesOnlyTheFramesItTouches() throws {
        let u = try simulated(seconds: 8)
        let clean = try contents(u)
        XCTAssertTrue(clean.warnings.isEmpty, "\(clean.warnings)")
        // The largest WIRE record, hit in the middle of its payload.
        let reader = try SessionReader(path: u.path)
        var target = (offset: 0, length: 0)
        reader.forEach { r in
            if r.type == .wire, r.payload.count > target.length { target = (r.fileOffset, r.payload.count) }
        }
        XCTAssertGreaterThan(target.length, 10_000, "a record of many frames is needed")
        var bytes = try Data(contentsOf: u)
        bytes[target.offset + 20 + target.length / 2] ^= 0x10
        let damaged = dir.appendingPathComponent("flipped.gpsession")
        try bytes.write(to: damaged)
        let after = try contents(damaged)
        XCTAssertTrue(after.warnings.contains { $0.contains("failed its checksum") }, "\(after.warnings)")
        // One bit hits one frame: at most one IMU block (≤ 10 samples) or one audio block (≤ 10 ms) goes.
        let lostIMU = clean.imu - after.imu, lostAudio = clean.audio - after.audio
        XCTAssertGreaterThanOrEqual(lostIMU, 0)
        XCTAssertLessThanOrEqual(lostIMU, 10, "lost \(lostIMU) IMU samples")
        XCTAssertLessThanOrEqual(lostAudio, 1_000, "lost \(lostAudio) audio samples")
        XCTAssertGreaterThan(lostIMU + lostAudio, 0, "the flipped frame itself must be dropped")
    }

    /// A valid header, then sync words announcing 16 MiB records, 20 bytes apart: once read in quadratic time.
    func storm(bytes: Int, name: String) throws -> URL {
        let u = dir.appendingPathComponent(name)
        let w = try SessionWriter(path: u.path, header: SessionHeader(software: "test", device: nil, source: "storm"))
        w.close()
        var d = try Data(contentsOf: u)
        var unit = SessionFormat.sync + [2, 0, 0, 0]
        withUnsafeBytes(of: UInt32(16 << 20).littleEndian) { unit += $0 }
        unit += [UInt8](repeating: 0, count: 8)
        while d.count < bytes { d.append(contentsOf: unit) }
        try d.write(to: u)
        return u
    }

    func readSeconds(_ u: URL) throws -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = Date()
            let r = try SessionReader(path: u.path)
            var n = 0
            r.forEach { _ in n += 1 }
            XCTAssertEqual(n, 0)
            XCTAssertFalse(r.warnings.isEmpty)
            best = min(best, Date().timeIntervalSince(t0))
        }
        return best
    }

    func testStormFileReadsInLinearTime() throws {
        let small = try storm(bytes: 256 << 10, name: "storm-small.gpsession")
        let large = try storm(bytes: 1 << 20, name: "storm-large.gpsession")
        let ts = try readSeconds(small), tl = try readSeconds(large)
        // 4× the bytes: linear ≈ 4×, the old quadratic reader ≈ 16×.
        XCTAssertLessThan(tl / ts, 8, String(format: "256 KiB %.3f s, 1 MiB %.3f s", ts, tl))
    }

    func testReadBufferStaysBounded() throws {
        let u = try simulated(seconds: 30)
        let r = try SessionReader(path: u.path)
        var records = 0
        r.forEach { _ in records += 1 }
        XCTAssertGreaterThan(records, 50)
        XCTAssertEqual(r.bufferBytes, 1 << 20, "the reader keeps one fixed 1 MiB buffer for ordinary records")
        // A storm announcing 16 MiB records does not make it grow either.
        let s = try storm(bytes: 2 << 20, name: "storm.gpsession")
        let rs = try SessionReader(path: s.path)
        rs.forEach { _ in }
        XCTAssertEqual(rs.bufferBytes, 1 << 20)
    }

    func testTruncatedRecordingSaysSo() throws {
        let u = try simulated(seconds: 6)
        let d = try Data(contentsOf: u)
        let cut = dir.appendingPathComponent("cut.gpsession")
        try d.prefix(d.count * 6 / 10).write(to: cut)
        let w = try contents(cut).warnings
        XCTAssertTrue(w.contains { $0.contains("interrupted") }, "\(w)")
    }

    // MARK: WAV

    func wav(channels: UInt16, declaredDataBytes: UInt32, actualFrames: Int) -> Data {
        var d = Data("RIFF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        u32(36 &+ declaredDataBytes)
        d.append(contentsOf: Array("WAVEfmt ".utf8))
        u32(16); u16(1); u16(channels); u32(16000); u32(16000 &* 2 &* UInt32(channels)); u16(2 &* channels); u16(16)
        d.append(contentsOf: Array("data".utf8))
        u32(declaredDataBytes)
        d.append(Data(count: actualFrames * 2 * Int(channels)))
        return d
    }

    func testWAVSizeFieldsAreCheckedAgainstTheFile() throws {
        let u = dir.appendingPathComponent("liar.wav")
        try wav(channels: 1, declaredDataBytes: 0x7FFF_0000, actualFrames: 16000).write(to: u)
        let r = try WAVReader(path: u.path)
        XCTAssertTrue(r.warnings.contains { $0.contains("declares") }, "\(r.warnings)")
        XCTAssertEqual(r.frameCount, 16000)
    }

    func testAbsurdChannelCountIsAnError() throws {
        let u = dir.appendingPathComponent("wide.wav")
        try wav(channels: 65535, declaredDataBytes: 65535 * 2 * 7, actualFrames: 7).write(to: u)
        XCTAssertThrowsError(try WAVReader(path: u.path)) { e in XCTAssertTrue("\(e)".contains("channels"), "\(e)") }
    }
}
