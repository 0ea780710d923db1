import Foundation
import XCTest
import TestSupport
@testable import Pipeline
@testable import Recording
@testable import SensorDevice
@testable import SensorProtocol
@testable import Simulation

/// The virtual walker: deterministic, physically plausible, and its ground truth matches what it emitted.
final class VirtualWalkerTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-sim") }

    /// Decoded samples of a recording, in session time.
    struct Decoded {
        var info: DeviceInfo?
        var imuT: [Double] = []
        var acc: [SIMD3<Double>] = []
        var gyro: [SIMD3<Double>] = []
        var audio: [Float] = []
        var audioStart: Double?
        var markers: [MarkerEvent] = []
    }

    func decode(_ path: String) throws -> Decoded {
        let replay = try RecordingReplay(path: path)
        let asm = SampleAssembler(info: replay.header.device)
        var d = Decoded()
        asm.onIMU = { b in
            for i in 0..<b.count {
                d.imuT.append(b.tSeconds + Double(i) / b.rateHz)
                d.acc.append(SIMD3(Double(b.accG[3 * i]), Double(b.accG[3 * i + 1]), Double(b.accG[3 * i + 2])))
                if let g = b.gyroDps { d.gyro.append(SIMD3(Double(g[3 * i]), Double(g[3 * i + 1]), Double(g[3 * i + 2]))) }
            }
        }
        asm.onAudio = { a in
            if d.audioStart == nil { d.audioStart = a.tSeconds }
            d.audio.append(contentsOf: a.samples)
        }
        asm.onMarker = { d.markers.append($0) }
        replay.onFrame = { f, _ in asm.consume(f) }
        replay.run()
        d.info = asm.info
        return d
    }

    func testSameSeedSameBytesOtherSeedOtherBytes() throws {
        func wire(_ seed: UInt64, _ name: String) throws -> [UInt8] {
            let p = dir.appendingPathComponent(name).path
            var sc = Scenario.preset("cavitation")!
            sc.durationSeconds = 12
            try SimulatedRecording.write(scenario: sc, seed: seed, to: p)
            let r = try SessionReader(path: p)
            var out: [UInt8] = []
            r.forEach { if $0.type == .wire { out += $0.payload } }
            return out
        }
        let a = try wire(7, "a.gpsession"), b = try wire(7, "b.gpsession"), c = try wire(8, "c.gpsession")
        XCTAssertGreaterThan(a.count, 300_000)
        XCTAssertEqual(a, b, "a fixed seed gives identical wire bytes")
        XCTAssertNotEqual(a, c)
    }

    func testTruthMatchesTheEmittedSignals() throws {
        let p = dir.appendingPathComponent("snap.gpsession").path, tp = dir.appendingPathComponent("snap.json").path
        var sc = Scenario.preset("grinding")!
        sc.events.snap = .init(cyclePercent: 40, snrDb: 20)
        sc.events.cavitation = .init(count: 3, snrDb: 24)
        sc.mount = .init(rollDeg: 0, pitchDeg: 0, yawDeg: 0) // sensor axes = pelvis axes: z is up
        try SimulatedRecording.write(scenario: sc, seed: 3, to: p, truthPath: tp)
        let truth = try GroundTruth.read(from: tp)
        let d = try decode(p)

        // Sample counts and time base.
        XCTAssertEqual(d.imuT.count, 6000)
        XCTAssertEqual(d.audio.count, 960_000)
        XCTAssertEqual(d.audioStart ?? -1, 0, accuracy: 1e-6)
        // Standing at the start: gravity on +z, 1 g, quiet.
        let standing = d.acc[0..<300]
        let meanZ = standing.map(\.z).reduce(0, +) / 300
        XCTAssertEqual(meanZ, 1, accuracy: 0.01)

        // Every initial contact is followed within 120 ms by the upward loading peak of vertical acceleration.
        var hits = 0
        for ic in truth.initialContacts {
            let i0 = Int(ic.t * 100)
            guard i0 > 20, i0 + 20 < d.acc.count else { continue }
            let before = d.acc[(i0 - 20)..<i0].map(\.z).max()!
            let after = d.acc[i0..<(i0 + 12)].map(\.z).max()!
            if after > before { hits += 1 }
        }
        XCTAssertGreaterThan(Double(hits) / Double(truth.initialContacts.count), 0.9)
        // Cadence: ICs per minute within each bout matches the scenario.
        for (k, bout) in truth.bouts.enumerated() {
            let ics = truth.initialContacts.filter { $0.bout == k }.map(\.t)
            let cadence = 60 * Double(ics.count - 1) / (ics.last! - ics.first!)
            XCTAssertEqual(cadence, bout.cadence, accuracy: bout.cadence * 0.05)
        }

        // Every acoustic event is in the audio where the truth says: energy rises at the onset.
        XCTAssertGreaterThan(truth.acousticEvents.count, 10)
        let kinds = Set(truth.acousticEvents.map(\.kind))
        XCTAssertEqual(kinds, [.snap, .grind, .cavitation])
        var checked = 0
        for e in truth.acousticEvents {
            // A heel thump rings for ~100 ms after each contact and can be louder than the event: skip those.
            if truth.initialContacts.contains(where: { e.onsetS - $0.t > -0.005 && e.onsetS - $0.t < 0.15 }) { continue }
            checked += 1
            let i = Int((e.onsetS * 16000).rounded())
            // The first 3 ms, or the whole train for grinding (its first micro-impact need not be its loudest).
            let span = e.kind == .grind ? max(48, Int(e.durationS * 16000)) : 48
            let win = d.audio[i..<min(d.audio.count, i + span)].map { abs(Double($0)) }.max()!
            let peakDbfs = 20 * log10(win)
            // At least as loud as scheduled (other sounds can only add), and a sharp rise at the onset.
            XCTAssertGreaterThan(peakDbfs, e.levelDbfs - 6, "\(e.kind) at \(e.onsetS)")
            let before = d.audio[(i - 400)..<(i - 80)].map { abs(Double($0)) }.max()!
            if e.kind != .grind { XCTAssertGreaterThan(win, 1.5 * before, "\(e.kind) at \(e.onsetS) rises at its onset") }
            XCTAssertNotNil(e.cyclePercent)
        }
        XCTAssertGreaterThan(checked, truth.acousticEvents.count / 3)
        // Snaps sit at the scheduled point of the stride.
        let snapPercents = truth.acousticEvents.filter { $0.kind == .snap }.compactMap(\.cyclePercent)
        XCTAssertEqual(snapPercents.reduce(0, +) / Double(snapPercents.count), 40, accuracy: 1)
        // Markers arrive as MARKER frames at their scheduled time.
        XCTAssertEqual(d.markers.count, truth.markers.count)
        for (m, t) in zip(d.markers, truth.markers) { XCTAssertEqual(m.tSeconds, t.t, accuracy: 0.001) }
    }

    func testMountingRotatesGravityAndTiltShowsInIt() throws {
        var sc = Scenario.preset("anterior-tilt")!
        sc.durationSeconds = 20
        sc.mount = .init(rollDeg: 180, pitchDeg: 0, yawDeg: 0) // upside down
        let p = dir.appendingPathComponent("ud.gpsession").path
        try SimulatedRecording.write(scenario: sc, seed: 1, to: p)
        let d = try decode(p)
        let still = d.acc[0..<300]
        XCTAssertEqual(still.map(\.z).reduce(0, +) / 300, -1, accuracy: 0.01, "upside down: gravity reads −1 g on z")
        // While walking with 12° anterior tilt, the mean gravity direction leans by ~12° in the sagittal plane.
        let walking = d.acc[800..<1800]
        let mx = walking.map(\.x).reduce(0, +) / 1000, mz = walking.map(\.z).reduce(0, +) / 1000
        let leanDeg = atan2(-mx, -mz) * 180 / .pi // roll 180° flips y and z, keeps x
        XCTAssertEqual(abs(leanDeg), 12, accuracy: 1.5)
    }

    func testVirtualSensorOverPseudoTerminalDeliversEveryFrameAndItsDrift() throws {
        var sc = Scenario.preset("healthy")!
        sc.clockDriftPPM = -120
        let firmware = VirtualFirmware(scenario: sc, seed: 9)
        let sensor = try PseudoTerminalSensor(firmware: firmware)
        final class Counter: @unchecked Sendable { var frames = 0 }
        let sent = Counter()
        sensor.wireFilter = { bytes in
            sent.frames += bytes.split(separator: 0, omittingEmptySubsequences: true).count
            return bytes
        }
        sensor.start()
        defer { sensor.stop() }
        var o = DeviceSession.Options()
        o.pingIntervalSeconds = 0.05
        let session = DeviceSession(path: sensor.devicePath, options: o)
        let file = dir.appendingPathComponent("pty.gpsession").path
        let info = try session.connect()
        XCTAssertEqual(info.imuRateHz, 100)
        let rec = RecordingSink(writer: try SessionWriter(path: file, header: SessionHeader(software: "t", device: info,
                                                                                            source: "pty")))
        final class LastSeq: SessionSink { var seq = -1; func session(frame: FrameView, hostNanos: Int64) { seq = Int(frame.seq) } }
        let last = LastSeq()
        try session.run(sink: FanoutSink([rec, last])) { session.hostNanos > 5_000_000_000 }
        try rec.finish(stats: session.stats, hostNanos: session.hostNanos)
        usleep(100_000)
        // The firmware numbers its frames from 0: having frames 0…last with no gap means every frame it sent until
        // the host stopped reading arrived; only the few it sent after that (the ACK to STOP) are unread.
        XCTAssertEqual(session.stats.decoder.frames, last.seq + 1 + 0, "every frame up to the last one arrived")
        XCTAssertEqual(session.stats.decoder.lostFrames, 0)
        XCTAssertLessThanOrEqual(sent.frames - session.stats.decoder.frames, 3)
        XCTAssertGreaterThan(session.stats.decoder.frames, 600)
        XCTAssertEqual(session.stats.decoder.resyncs, 0)
        let drift = try XCTUnwrap(session.stats.clock).driftPPM
        XCTAssertEqual(drift, -120, accuracy: 50)
        let s = try SessionSummary.read(path: file)
        XCTAssertEqual(s.decoder.frames, session.stats.decoder.frames, "the recording holds every frame")
    }

    func testPresetsAndScenarioFilesRoundTrip() throws {
        for name in Scenario.presetNames {
            let sc = try XCTUnwrap(Scenario.preset(name), name)
            let data = try JSONEncoder().encode(sc)
            XCTAssertEqual(try JSONDecoder().decode(Scenario.self, from: data), sc)
            let schedule = WalkSchedule(scenario: sc, seed: 1)
            XCTAssertFalse(schedule.steps.isEmpty, name)
            // Sides alternate within a bout.
            for (a, b) in zip(schedule.steps, schedule.steps.dropFirst()) where a.bout == b.bout {
                XCTAssertNotEqual(a.side, b.side)
                XCTAssertGreaterThan(b.icSeconds, a.icSeconds)
                XCTAssertGreaterThan(a.fcSeconds, a.icSeconds)
            }
        }
        XCTAssertNil(Scenario.preset("marathon"))
    }
}
