import XCTest
@testable import PopEvents
import Simulation

/// Each kind is found, timed and named; a grind comes out as one event; onsets are sample-accurate.
final class DetectionTests: XCTestCase {
    func testCavitationClicksAreFoundAndNamed() {
        var sc = Scenario.preset("cavitation")!
        sc.events.cavitation = .init(count: 8, snrDb: 16)
        var total = SimulatedWalk.Score()
        for seed: UInt64 in [1, 2] {
            let w = SimulatedWalk(sc, seed: seed)
            let s = w.score(w.detect())
            total.truePositives += s.truePositives; total.falseNegatives += s.falseNegatives
            total.falsePositives += s.falsePositives; total.kindCorrect += s.kindCorrect
        }
        XCTAssertGreaterThanOrEqual(total.f1, 0.9, "cavitation F1")
        XCTAssertGreaterThanOrEqual(total.kindAccuracy, 0.9, "cavitation named as such")
    }

    func testTendonSnapsAreFoundNamedAndPhaseLocked() {
        let w = SimulatedWalk(Scenario.preset("snapping-tendon")!, seed: 4)
        let events = w.detect()
        let s = w.score(events)
        XCTAssertGreaterThanOrEqual(s.f1, 0.93)
        XCTAssertGreaterThanOrEqual(s.kindAccuracy, 0.9)
        let snaps = events.filter { $0.kind == .snap }.compactMap { $0.phase?.cyclePercent }
        let c = CircularStatistics.summary(cyclePercents: snaps)!
        XCTAssertEqual(c.meanCyclePercent, 12, accuracy: 2, "the preset snaps at 12 % of the stride")
        XCTAssertLessThan(c.rayleighP, 1e-6)
    }

    func testGrindIsOneEventWithManyImpulses() {
        let w = SimulatedWalk(Scenario.preset("grinding")!, seed: 2)
        let events = w.detect()
        let s = w.score(events)
        XCTAssertGreaterThanOrEqual(s.f1, 0.9)
        XCTAssertGreaterThanOrEqual(s.kindAccuracy, 0.85)
        // One event per grind: no detection starts inside a grind that another detection already covers.
        for g in w.schedule.events where g.kind == .grind {
            let inside = events.filter { $0.tSeconds >= g.onsetSeconds - 0.01 && $0.tSeconds < g.onsetSeconds + g.durationSeconds }
            XCTAssertLessThanOrEqual(inside.count, 1, "grind at \(g.onsetSeconds) split into \(inside.count) events")
            if let e = inside.first, e.kind == .grind {
                XCTAssertGreaterThanOrEqual(e.features.microImpulses, 4)
                XCTAssertGreaterThanOrEqual(e.durationSeconds, 0.03)
            }
        }
    }

    func testOnsetsWithinTwoMilliseconds() {
        var errors: [Double] = []
        for name in ["cavitation", "snapping-tendon", "grinding"] {
            let w = SimulatedWalk(Scenario.preset(name)!, seed: 7)
            errors += w.score(w.detect()).onsetErrors
        }
        XCTAssertGreaterThan(errors.count, 40)
        let within = Double(errors.filter { abs($0) <= 0.002 }.count) / Double(errors.count)
        XCTAssertGreaterThanOrEqual(within, 0.95, "share of onsets within ±2 ms")
    }

    func testNoDoubleOnsets() {
        for name in ["cavitation", "snapping-tendon", "grinding", "noisy"] {
            let w = SimulatedWalk(Scenario.preset(name)!, seed: 3)
            let events = w.detect()
            // Without detections there is nothing to double: most scheduled events must be found first.
            let found = w.score(events).truePositives
            XCTAssertGreaterThanOrEqual(Double(found), 0.8 * Double(w.schedule.events.count), "\(name): events found")
            XCTAssertGreaterThan(found, 2, "\(name): events found")
            for (a, b) in zip(events, events.dropFirst()) {
                XCTAssertGreaterThan(b.tSeconds - a.tSeconds, 0.03, "\(name): onsets at \(a.tSeconds) and \(b.tSeconds)")
            }
        }
    }

    func testOtherSampleRates() {
        for rate in [44100.0, 48000.0] {
            var sc = Scenario.short("snapping-tendon", seconds: 30)
            sc.events.cavitation = .init(count: 4, snrDb: 18)
            let w = SimulatedWalk(sc, seed: 2, rateHz: rate)
            let s = w.score(w.detect())
            XCTAssertGreaterThanOrEqual(s.f1, 0.9, "F1 at \(rate) Hz")
            XCTAssertGreaterThanOrEqual(s.kindAccuracy, 0.9, "kinds at \(rate) Hz")
        }
    }

    func testLevelsAreReported() {
        var sc = Scenario.short("cavitation", seconds: 30)
        sc.events.cavitation = .init(count: 5, snrDb: 20)
        let w = SimulatedWalk(sc, seed: 9)
        let events = w.detect()
        for tr in w.schedule.events {
            guard let e = events.first(where: { abs($0.tSeconds - tr.onsetSeconds) < 0.01 }) else { continue }
            // The band-limited peak of a click is its scheduled peak within a few dB.
            XCTAssertEqual(e.levelDbfs, tr.levelDbfs, accuracy: 6)
            XCTAssertGreaterThan(e.snrDb, 10)
            XCTAssertLessThan(e.durationSeconds, 0.015)
            XCTAssertGreaterThan(e.features.spectralCentroidHz, 1500)
        }
    }
}
