import Foundation
import XCTest
import TestSupport
@testable import Pipeline
@testable import Recording
@testable import SensorDevice
@testable import SensorProtocol
@testable import Simulation

/// The device session and recorder against the virtual firmware over a real pseudo-terminal: real bytes through
/// the kernel's tty layer, split at random points, with injected corruption, loss and an unplug.
final class PseudoTerminalSessionTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop") }

    /// Rewrites the firmware's outgoing frames: frame #40 gets a payload bit flipped (CRC error), frame #70 is
    /// dropped (sequence gap), and garbage ending in a delimiter goes before frame #100 (one malformed collection).
    final class Corruptor: @unchecked Sendable {
        var framesSeen = 0
        var corrupted: Frame?
        var dropped: Frame?

        func filter(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            for piece in bytes.split(separator: 0, omittingEmptySubsequences: true) {
                framesSeen += 1
                var encoded = Array(piece)
                switch framesSeen {
                case 40:
                    var raw = COBS.decode(encoded)!
                    corrupted = Frame(type: raw[1], seq: UInt16(raw[2]) | UInt16(raw[3]) << 8, payload: [])
                    raw[raw.count - 6] ^= 0x10 // last payload byte: the CRC no longer matches
                    encoded = []
                    raw.withUnsafeBytes { COBS.encode($0, into: &encoded) }
                case 70:
                    let raw = COBS.decode(encoded)!
                    dropped = Frame(type: raw[1], seq: UInt16(raw[2]) | UInt16(raw[3]) << 8, payload: [])
                    continue
                case 100:
                    out += [0x41, 0x42, 0x43, 0x07, 0x99, 0x13, 0x37, 0x00]
                default: break
                }
                out += encoded
                out.append(0)
            }
            return out
        }
    }

    func testSessionAndRecorderSurviveSplitsGarbageCRCErrorsAndGaps() throws {
        let firmware = VirtualFirmware(source: StillSource(seed: 3), clockDriftPPM: 0)
        let sensor = try PseudoTerminalSensor(firmware: firmware)
        let corruptor = Corruptor()
        sensor.splitWrites = true
        sensor.wireFilter = corruptor.filter
        sensor.start()
        defer { sensor.stop() }

        let session = DeviceSession(path: sensor.devicePath)
        let info = try session.connect()
        XCTAssertEqual(info.serialNumber, "GP-SIM-0001")
        let file = dir.appendingPathComponent("walk.gpsession").path
        let writer = try SessionWriter(path: file, header: SessionHeader(software: "test", device: info,
                                                                          source: sensor.devicePath))
        let recorder = RecordingSink(writer: writer)
        try session.run(sink: recorder) { session.hostNanos > 3_000_000_000 }
        try recorder.finish(stats: session.stats, hostNanos: session.hostNanos)
        let stats = session.stats

        XCTAssertGreaterThan(corruptor.framesSeen, 150)
        XCTAssertEqual(stats.decoder.crcErrors, 1)
        XCTAssertEqual(stats.decoder.malformed, 1)
        XCTAssertEqual(stats.decoder.seqGaps, 2, "the dropped and the corrupted frame each leave a gap")
        XCTAssertEqual(stats.decoder.lostFrames, 2)
        XCTAssertEqual(stats.disconnects, 0)
        // ~3 s at 100 Hz IMU and 16 kHz audio, minus at most the two blocks that were hit.
        XCTAssertEqual(Double(stats.streams.imuSamples), 290, accuracy: 25)
        XCTAssertEqual(Double(stats.streams.audioSamples), 47_000, accuracy: 2500)
        let missing = stats.streams.imuSamplesMissing + stats.streams.audioSamplesMissing
        let hitData = [corruptor.corrupted, corruptor.dropped].compactMap { $0 }
            .filter { $0.type == FrameType.imuBlock.rawValue || $0.type == FrameType.audioBlock.rawValue }
        XCTAssertEqual(missing > 0, !hitData.isEmpty, "index gaps appear exactly when a data block was hit")

        // The recording holds the same bytes: decoding it gives the same frames and counters as live.
        let summary = try SessionSummary.read(path: file)
        XCTAssertTrue(summary.finalized)
        XCTAssertEqual(summary.decoder.frames, stats.decoder.frames)
        XCTAssertEqual(summary.decoder.crcErrors, 1)
        XCTAssertEqual(summary.decoder.malformed, 1)
        XCTAssertEqual(summary.decoder.lostFrames, 2)
        XCTAssertEqual(summary.streams.imuSamples, stats.streams.imuSamples)
        XCTAssertEqual(summary.streams.audioSamples, stats.streams.audioSamples)
        XCTAssertEqual(summary.wireBytes, stats.decoder.bytes, "every byte read was recorded")
        XCTAssertGreaterThanOrEqual(summary.indexEntries, 2)
    }

    func testUnplugAndReplugEndInOneReadableRecording() throws {
        let link = dir.appendingPathComponent("gaitpop-sensor").path // a stable name, like /dev/serial/by-id
        let sensor = try PseudoTerminalSensor(firmware: VirtualFirmware(source: StillSource(seed: 4)), linkPath: link)
        sensor.start()
        defer { sensor.stop() }
        let firstPTY = try FileManager.default.destinationOfSymbolicLink(atPath: link)

        var options = DeviceSession.Options()
        options.reconnectTimeoutSeconds = 5
        let session = DeviceSession(path: link, options: options)
        let info = try session.connect()
        let file = dir.appendingPathComponent("replug.gpsession").path
        let recorder = RecordingSink(writer: try SessionWriter(
            path: file, header: SessionHeader(software: "test", device: info, source: link)))
        var unplugged = false, replugged = false
        var squatter: PseudoTerminal?
        try session.run(sink: recorder) {
            let t = Double(session.hostNanos) / 1e9
            if t > 1.2 && !unplugged {
                sensor.unplug()
                unplugged = true
            }
            if t > 1.7 && squatter == nil {
                // The host has let go of the old name by now; another device takes it, as another USB device
                // can take ttyACM0, so the sensor must come back under a new one.
                squatter = try? PseudoTerminal()
            }
            if t > 2.0 && !replugged { try? sensor.replug(); replugged = true }
            return t > 4.0
        }
        try recorder.finish(stats: session.stats, hostNanos: session.hostNanos)
        let secondPTY = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        XCTAssertNotEqual(firstPTY, secondPTY, "the sensor came back as a different pseudo-terminal")
        XCTAssertNotNil(squatter)

        XCTAssertEqual(session.stats.disconnects, 1)
        XCTAssertEqual(session.stats.reconnects, 1)
        XCTAssertTrue(session.stats.connected)
        let s = try SessionSummary.read(path: file)
        XCTAssertTrue(s.finalized)
        XCTAssertEqual(s.linkEvents.map(\.event), ["connected", "disconnected", "reconnected"])
        XCTAssertEqual(s.decoder.crcErrors, 0)
        XCTAssertEqual(s.decoder.seqRestarts, 0, "the decoder resets at the link event, so a rebooted device is no restart")
        // Data from both sides of the gap: ~1.2 s before, ~2 s after.
        XCTAssertGreaterThan(s.streams.imuSamples, 250)
        XCTAssertLessThan(s.streams.imuSamples, 420)
        XCTAssertGreaterThan(s.linkEvents[2].tSeconds - s.linkEvents[1].tSeconds, 0.5)
    }

    func testClockSyncEstimatesDeviceDrift() throws {
        let firmware = VirtualFirmware(source: StillSource(seed: 5), clockDriftPPM: 150)
        let sensor = try PseudoTerminalSensor(firmware: firmware)
        sensor.start()
        defer { sensor.stop() }
        var options = DeviceSession.Options()
        options.pingIntervalSeconds = 0.05
        let session = DeviceSession(path: sensor.devicePath, options: options)
        final class Null: SessionSink {}
        try session.run(sink: Null()) { session.hostNanos > 4_000_000_000 }
        let e = try XCTUnwrap(session.stats.clock)
        XCTAssertGreaterThan(e.exchangesUsed, 10)
        XCTAssertEqual(e.driftPPM, 150, accuracy: 50)
    }

    func testNoAnswerGivesClearError() throws {
        // A pseudo-terminal with nobody behind it: the handshake must fail with a message, not hang.
        let pty = try PseudoTerminal()
        var o = DeviceSession.Options()
        o.handshakeAttempts = 2
        o.handshakeTimeoutSeconds = 0.2
        let session = DeviceSession(path: pty.devicePath, options: o)
        XCTAssertThrowsError(try session.connect()) { e in
            XCTAssertTrue("\(e)".contains("no DEVICE_INFO"), "\(e)")
        }
    }
}
