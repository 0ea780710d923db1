import Foundation
import XCTest
import TestSupport
@testable import Pipeline
@testable import Recording
@testable import SensorProtocol
@testable import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// Real files: complete, cut at every kind of point, damaged in the middle, on a full disk, and killed.
final class RecordingFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-rec") }

    func simulated(_ name: String, seconds: Double = 20) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let fw = VirtualFirmware(source: StillSource(seed: 11), clockDriftPPM: 30)
        try SimulatedRecording.write(firmware: fw, to: path, durationSeconds: seconds, markerEverySeconds: 5)
        return path
    }

    func testCompleteRecordingReadsBackExactly() throws {
        let path = try simulated("full.gpsession")
        let s = try SessionSummary.read(path: path)
        XCTAssertTrue(s.finalized)
        XCTAssertTrue(s.warnings.isEmpty, "\(s.warnings)")
        XCTAssertEqual(s.streams.imuSamples, 2000, "20 s at 100 Hz, in whole 10-sample blocks")
        XCTAssertEqual(s.streams.audioSamples, 320_000)
        XCTAssertEqual(s.streams.painMarkers, 3, "at 5, 10 and 15 s; the 20 s press falls after the last sample")
        XCTAssertEqual(s.streams.imuSamplesMissing + s.streams.audioSamplesMissing, 0)
        XCTAssertEqual(s.decoder.resyncs, 0)
        XCTAssertEqual(s.clockDriftPPM ?? 0, 30, accuracy: 0.01)
        XCTAssertEqual(s.durationSeconds, 20, accuracy: 0.001)
        XCTAssertEqual(s.header.device?.serialNumber, "GP-SIM-0001")
        XCTAssertTrue(s.text.contains("IMU 2000"))
    }

    func testTruncatedAnywhereReadsUpToTheCut() throws {
        let path = try simulated("cut.gpsession")
        let full = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let complete = try SessionSummary.read(path: path).streams.imuSamples
        var previous = -1
        // A cut inside the header record leaves no header: a clear error, not a guess.
        let tiny = dir.appendingPathComponent("cut-header.gpsession").path
        _ = FileManager.default.createFile(atPath: tiny, contents: Data(full[0..<100]))
        XCTAssertThrowsError(try SessionSummary.read(path: tiny)) { e in
            XCTAssertEqual(e as? RecordingError, .noHeader(path: tiny))
        }
        // Cut points across the rest of the file, many of them inside records.
        for cut in stride(from: 1500, to: full.count, by: full.count / 37) {
            let p = dir.appendingPathComponent("cut-\(cut).gpsession").path
            _ = FileManager.default.createFile(atPath: p, contents: Data(full[0..<cut]))
            let s = try SessionSummary.read(path: p)
            XCTAssertFalse(s.finalized)
            XCTAssertFalse(s.warnings.isEmpty)
            XCTAssertGreaterThanOrEqual(s.streams.imuSamples, previous, "more file, never fewer samples")
            XCTAssertLessThanOrEqual(s.streams.imuSamples, complete)
            // Loses at most the record the cut fell into; bytes are not spread evenly over time (status, index, markers), so allow 0.5 s.
            let expectedAtLeast = Int(Double(cut) / Double(full.count) * Double(complete)) - 50
            XCTAssertGreaterThanOrEqual(s.streams.imuSamples, expectedAtLeast, "cut at \(cut)")
            previous = s.streams.imuSamples
        }
    }

    func testDamageInTheMiddleIsSkippedWithAWarning() throws {
        let path = try simulated("damaged.gpsession")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let complete = try SessionSummary.read(path: path).streams.imuSamples
        let at = bytes.count / 2
        for i in at..<at + 3000 { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        let p = dir.appendingPathComponent("damaged2.gpsession").path
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        let s = try SessionSummary.read(path: p)
        XCTAssertTrue(s.finalized, "the records after the damage, trailer included, are still read")
        XCTAssertTrue(s.warnings.contains { $0.contains("damaged data at bytes") }, "\(s.warnings)")
        XCTAssertLessThan(s.streams.imuSamples, complete)
        // 3000 bytes hit about three 50 ms records; frames straddling their edges go too: ≤ 6 IMU blocks.
        XCTAssertGreaterThanOrEqual(s.streams.imuSamples, complete - 60, "only the records the damage touched are lost")
    }

    func testNotASessionAndBrokenHeaderGiveClearErrors() throws {
        let junk = dir.appendingPathComponent("junk.gpsession").path
        _ = FileManager.default.createFile(atPath: junk, contents: Data("time_s,acc_x_g\n".utf8))
        XCTAssertThrowsError(try SessionReader(path: junk)) { e in
            XCTAssertEqual("\(e)", "\(junk) is not a gaitpop session file (wrong magic bytes)")
        }
        let empty = dir.appendingPathComponent("empty.gpsession").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data(SessionFormat.magic))
        XCTAssertThrowsError(try SessionReader(path: empty)) { e in
            XCTAssertEqual(e as? RecordingError, .noHeader(path: empty))
        }
        XCTAssertThrowsError(try SessionReader(path: dir.appendingPathComponent("nope").path)) { e in
            XCTAssertTrue("\(e)".contains("No such file"), "\(e)")
        }
    }

    func testDiskFullMidRecordingKeepsEverythingWritten() throws {
        let path = dir.appendingPathComponent("full-disk.gpsession").path
        var budget = 200_000 // bytes the "disk" accepts
        let writer = try SessionWriter(path: path, header: SessionHeader(software: "t", device: nil, source: "t"),
                                       flushIntervalSeconds: 0.05, syncIntervalSeconds: 5,
                                       write: { fd, p, n in
                                           if budget <= 0 { errno = ENOSPC; return -1 }
                                           let k = min(n, budget)
                                           budget -= k
                                           return Glibc.write(fd, p, k)
                                       })
        let fw = VirtualFirmware(source: StillSource(seed: 1))
        fw.startStreaming(hostMicros: 0)
        var thrown: Error?
        var h = 0.0
        while thrown == nil && h < 60e6 {
            h += 50_000
            do { try writer.appendWire(fw.produce(untilHostMicros: h), hostNanos: Int64(h * 1000)) } catch { thrown = error }
        }
        let e = try XCTUnwrap(thrown as? RecordingError)
        guard case .diskFull(_, let kept) = e else { return XCTFail("\(e)") }
        XCTAssertTrue("\(e)".hasPrefix("disk full writing \(path); recording stopped"))
        writer.close()
        // The file was cut back to whole records: it reads cleanly up to the failure.
        let s = try SessionSummary.read(path: path)
        XCTAssertFalse(s.warnings.contains { $0.contains("unreadable") }, "\(s.warnings)")
        XCTAssertGreaterThan(s.streams.audioSamples, 0)
        XCTAssertEqual(s.durationSeconds, kept, accuracy: 0.06)
        // Further writes keep failing with the same error instead of writing half records.
        XCTAssertThrowsError(try writer.appendWire([1, 2, 3], hostNanos: Int64(h * 1000)))
    }

    func testCreatingOnAFullDeviceFailsInOneLine() {
        XCTAssertThrowsError(try SessionWriter(path: "/dev/full", header: SessionHeader(software: "t", device: nil,
                                                                                         source: "t"))) { e in
            XCTAssertEqual("\(e)", "disk full writing /dev/full; recording stopped, the first 0.0 s are kept and readable")
        }
    }
}
