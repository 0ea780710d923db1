import Foundation
import Pipeline
import Recording
import SensorProtocol
import Simulation
import TestSupport
import XCTest
@testable import Analysis

/// The report's second pop half starts decoding at a resume point noted by the IMU pass instead of at the start of
/// the file. These tests hold it to "same output": on a recording cut the way a serial link cuts it (frames split
/// across records), with a link reset and a damaged record, the resumed replay hands out exactly the tail of a full
/// replay, and the report JSON is byte-identical with and without resuming.
final class ResumedPopPassTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-resume") }

    /// A 150 s snapping-tendon walk (walking throughout) re-written in records of odd sizes (most frames straddle two records, as after
    /// serial reads), with a link reset and a host note at 60 %, and one byte flipped in a record at 75 %.
    func awkwardRecording() throws -> String {
        var sc = try XCTUnwrap(Scenario.preset("snapping-tendon"))
        sc.durationSeconds = 150
        sc.segments = [.init(.stand, seconds: 5), .init(.walk, seconds: 145, cadence: 108)] // pops all along
        let plain = dir.appendingPathComponent("plain.gpsession").path
        try SimulatedRecording.write(scenario: sc, seed: 7, to: plain)
        let reader = try SessionReader(path: plain)
        var wire: [(bytes: [UInt8], hostNanos: Int64)] = []
        while let r = reader.next() {
            if r.type == .wire { wire.append((Array(r.payload), r.hostNanos)) }
        }
        let all = wire.flatMap(\.bytes)
        let path = dir.appendingPathComponent("awkward.gpsession").path
        let writer = try SessionWriter(path: path, header: reader.header)
        let sizes = [4093, 17, 1500, 9001, 1, 333]
        var at = 0, k = 0, resetDone = false
        let lastHost = wire.last!.hostNanos
        while at < all.count {
            let n = min(sizes[k % sizes.count], all.count - at)
            let host = Int64(Double(lastHost) * Double(at) / Double(all.count))
            try writer.appendWire(Array(all[at..<(at + n)]), hostNanos: host)
            try writer.flush()
            if !resetDone && Double(at) > 0.6 * Double(all.count) {
                try writer.appendLinkEvent(LinkEventRecord(event: .reconnected, link: "test"), hostNanos: host)
                try writer.appendNote(NoteRecord(kind: .pain, text: "here"), hostNanos: host)
                resetDone = true
            }
            at += n
            k += 1
        }
        try writer.finish(SessionTrailer(endedUTC: "2000-01-01T00:02:30.000Z", durationSeconds: 150, wireBytes: all.count,
                                         decoder: DecoderCounters(), reconnects: 1), hostNanos: lastHost)
        // One flipped byte in the middle of a large record at 75 % of the file: its checksum fails, its frames are
        // checked one by one.
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let r2 = try SessionReader(path: path)
        var target: Int?
        while let r = r2.next() {
            if r.type == .wire, r.payload.count > 4000, r.fileOffset > size * 3 / 4 { target = r.fileOffset + 20 + 2000; break }
        }
        let h = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try h.seek(toOffset: UInt64(try XCTUnwrap(target)))
        let b = try XCTUnwrap(h.readData(ofLength: 1).first)
        try h.seek(toOffset: UInt64(target!))
        h.write(Data([b ^ 0x10]))
        try h.close()
        return path
    }

    /// Every timed block (kind, session time, first index, count, a checksum of the samples) a replay hands out
    /// from `position` on (or from the start), with the resume points it notes on the way.
    func blocks(_ path: String, from point: LoadedRecording.ResumePoint? = nil)
        throws -> (blocks: [String], points: [(LoadedRecording.ResumePoint, Int)]) {
        let replay = try RecordingReplay(path: path)
        var asm = SampleAssembler(info: replay.header.device)
        if let p = point {
            XCTAssertTrue(replay.resume(at: p.position))
            asm = SampleAssembler(resuming: p.clock)
        }
        var out: [String] = []
        var points: [(LoadedRecording.ResumePoint, Int)] = []
        asm.onAudio = { a in
            let sum = a.samples.reduce(0.0) { $0 + Double($1) }
            out.append("A \(a.tSeconds) \(a.firstIndex) \(a.samples.count) \(sum)")
        }
        asm.onIMU = { b in out.append("I \(b.tSeconds) \(b.firstIndex) \(b.count) \(b.accG.reduce(0, +))") }
        asm.onMarker = { out.append("M \($0.tSeconds) \($0.markerID)") }
        replay.onFrame = { f, _ in asm.consume(f) }
        replay.onLinkEvent = { _, host in asm.linkReset(atSessionSeconds: host); out.append("L \(host)") }
        replay.onResumePoint = { p in points.append((LoadedRecording.ResumePoint(position: p, clock: asm.resumeState), out.count)) }
        replay.resumeSpacingBytes = 200_000
        replay.run()
        return (out, points)
    }

    func testAResumedReplayHandsOutExactlyTheTailOfAFullOne() throws {
        let path = try awkwardRecording()
        let full = try blocks(path)
        XCTAssertGreaterThan(full.points.count, 10, "resume points through the file")
        XCTAssertTrue(full.blocks.contains { $0.hasPrefix("L ") }, "the link reset is replayed")
        // Resume points whose record starts mid-frame (payloadBytes > 1) are the ones a serial link gives.
        XCTAssertTrue(full.points.contains { $0.0.position.payloadBytes > 1 })
        for (point, handedOut) in full.points {
            let tail = try blocks(path, from: point).blocks
            XCTAssertEqual(tail.count, full.blocks.count - handedOut, "at byte \(point.position.recordOffset)")
            XCTAssertTrue(tail == Array(full.blocks[handedOut...]), "blocks differ resuming at \(point.position)")
        }
    }

    func testReportIsByteIdenticalWithAndWithoutResumingMidFile() throws {
        let path = try awkwardRecording()
        let loaded = try LoadedRecording.load(path: path)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        // The second half (from half the duration, 8 s warm-up) starts decoding past 40 % of the file, not at 0.
        let point = try XCTUnwrap(LoadedRecording.ResumePoint.last(in: loaded.resumePoints,
                                                                   beforeAudioReaches: loaded.durationSeconds / 2 - 8))
        XCTAssertGreaterThan(point.position.recordOffset, size * 2 / 5)
        XCTAssertLessThan(point.position.recordOffset, size / 2)
        let resumed = try WalkAnalysis.analyze(path: path, software: "test")
        let fromStart = try WalkAnalysis.analyze(path: path, software: "test", resumeMidFile: false)
        XCTAssertGreaterThan(resumed.pops.filter { $0.tSeconds > loaded.durationSeconds / 2 }.count, 5,
                             "pops in the resumed half to compare")
        XCTAssertFalse(resumed.session.warnings.isEmpty, "the damage is reported")
        XCTAssertEqual(resumed.pops.count, fromStart.pops.count)
        XCTAssertTrue(resumed.pops == fromStart.pops, "the same pops, bit for bit")
        XCTAssertEqual(try ReportJSON.encode(resumed), try ReportJSON.encode(fromStart))
    }
}
