import XCTest
@testable import PopEvents
import Simulation

/// What a body-worn microphone hears besides pops: heel thumps, rustle, hum, clipping, quiet and loud wearers.
final class InterferenceTests: XCTestCase {
    func falsePerMinute(_ w: SimulatedWalk, _ events: [PopEvent]) -> Double {
        Double(w.score(events).falsePositives) / (w.scenario.durationSeconds / 60)
    }

    func testHealthyWalkingGivesAlmostNoEvents() {
        for seed: UInt64 in [1, 2] {
            let w = SimulatedWalk(Scenario.preset("healthy")!, seed: seed)
            XCTAssertLessThanOrEqual(falsePerMinute(w, w.detect()), 0.5)
        }
    }

    func testHeelThumpsLouderThanPopsAreNotPops() {
        var sc = Scenario.preset("snapping-tendon")!
        sc.audio.thumpDbfs = -10 // about 30 dB above the snaps
        let w = SimulatedWalk(sc, seed: 5)
        let events = w.detect()
        let s = w.score(events)
        XCTAssertGreaterThanOrEqual(s.f1, 0.9)
        for e in events {
            let sinceContact = w.contacts.map { e.tSeconds - $0 }.filter { $0 >= -0.005 }.min() ?? 1
            let isTruth = w.schedule.events.contains { abs($0.onsetSeconds - e.tSeconds) < 0.01 }
            XCTAssertTrue(isTruth || sinceContact > 0.03, "event \(e.tSeconds) right at a heel strike")
        }
    }

    func testThumpsAreRejectedEvenWithoutContactTimes() {
        var sc = Scenario.preset("healthy")!
        sc.audio.thumpDbfs = -10
        let w = SimulatedWalk(sc, seed: 3)
        XCTAssertLessThanOrEqual(falsePerMinute(w, w.detect(contacts: false)), 1)
    }

    func testClippedThumpsAreNotPops() {
        var sc = Scenario.preset("cavitation")!
        sc.audio.thumpDbfs = 4 // every heel strike clips
        let w = SimulatedWalk(sc, seed: 2)
        XCTAssertGreaterThan(w.audio.filter { abs($0) >= 0.999 }.count, 1000, "the signal really clips")
        let s = w.score(w.detect())
        XCTAssertLessThanOrEqual(s.falsePositives, 1)
        XCTAssertGreaterThanOrEqual(s.truePositives, 5)
    }

    func testLoudRustleAloneGivesAlmostNoEvents() {
        var sc = Scenario.preset("healthy")!
        sc.audio.rustleDbfs = -38
        sc.audio.noiseDbfs = -50
        let w = SimulatedWalk(sc, seed: 4)
        XCTAssertLessThanOrEqual(falsePerMinute(w, w.detect()), 1)
    }

    func testMainsFrequencyIsFoundAutomatically() {
        // With notches (the default) and with the hum canceller (`PopConfig.humCanceller`).
        for hz in [50.0, 60.0] {
            for canceller in [false, true] {
                var sc = Scenario.short("snapping-tendon", seconds: 20)
                sc.audio.humHz = hz
                sc.audio.humDbfs = -30 // far louder than the snaps
                let w = SimulatedWalk(sc, seed: 1)
                var config = PopConfig()
                config.humCanceller = canceller
                let d = PopDetector(sampleRateHz: w.rateHz, config: config)
                let s = w.score(w.detect(detector: d))
                XCTAssertEqual(d.mainsHz, hz, "mains found")
                XCTAssertTrue(d.notchedHz.contains(3 * hz), "third harmonic removed: \(d.notchedHz)")
                XCTAssertGreaterThanOrEqual(s.f1, 0.9, "canceller \(canceller)")
            }
        }
    }

    func testNoHumNoNotch() {
        var sc = Scenario.short("healthy", seconds: 6)
        sc.audio.humDbfs = -120
        let w = SimulatedWalk(sc, seed: 1)
        let d = PopDetector(sampleRateHz: w.rateHz)
        _ = w.detect(detector: d)
        XCTAssertTrue(d.mainsDecided)
        XCTAssertNil(d.mainsHz)
        XCTAssertTrue(d.notchedHz.isEmpty)
    }

    func testQuietAndLoudWearers() {
        for shift in [-25.0, 18.0] {
            var sc = Scenario.preset("snapping-tendon")!
            sc.audio.noiseDbfs += shift; sc.audio.humDbfs += shift; sc.audio.rustleDbfs += shift
            sc.audio.thumpDbfs += shift
            let w = SimulatedWalk(sc, seed: 6)
            let s = w.score(w.detect())
            XCTAssertGreaterThanOrEqual(s.f1, 0.9, "F1 with levels shifted \(shift) dB")
            XCTAssertGreaterThanOrEqual(s.kindAccuracy, 0.9)
        }
    }

    func testNoisyPreset() {
        let w = SimulatedWalk(Scenario.preset("noisy")!, seed: 2)
        let s = w.score(w.detect())
        XCTAssertGreaterThanOrEqual(s.f1, 0.9)
        XCTAssertGreaterThanOrEqual(s.kindAccuracy, 0.9)
    }

    func testSlowMotionArtefactAndDigitalSilence() {
        // Digital silence, then a large slow baseline wander (skin and cable motion, fading in over a second):
        // nothing is detected, and the silent stretch does not upset the filters.
        let fs = 16000.0
        var x = [Float](repeating: 0, count: Int(fs * 20))
        for i in Int(fs * 10)..<x.count {
            let t = Double(i) / fs
            let fade = min(1, (t - 10) / 1.0)
            let ramp = 0.5 - 0.5 * cos(.pi * fade)
            x[i] = Float(ramp * (0.4 * sin(2 * .pi * 1.1 * t) + 0.2 * sin(2 * .pi * 0.3 * t)))
        }
        let d = PopDetector(sampleRateHz: fs)
        var events: [PopEvent] = []
        x.withUnsafeBufferPointer { events = d.process($0, startSeconds: 0) }
        events += d.finish()
        XCTAssertEqual(events.count, 0, "\(events.map(\.tSeconds))")
    }
}
