import XCTest
@testable import PopEvents
@testable import Simulation

/// The first steps of a session, live: contacts are told ~300 ms after they happen and no heel-strike signature
/// exists yet. A quiet wearer's first heel strike often makes no sound, so the first one heard has nothing to repeat;
/// held until the contact near it is noted (`PopConfig.signatureBootstrapSeconds`), it is judged at that contact.
final class FirstStepsHoldTests: XCTestCase {
    /// A walk of quiet heel strikes (13 dB over the floor).
    static func quietWalk(hz: Double, seed: UInt64, lowSnapsAt offsets: [(step: Int, seconds: Double)] = [])
        -> SimulatedWalk {
        var m = ContactSignatureTests.model(hz: hz, riseSeconds: 0.0025, transientDb: -18, delaySeconds: 0.02)
        m.thump.levelDb = 13
        let sc = ContactSignatureTests.scenario(m, seconds: 20)
        var schedule = WalkSchedule(scenario: sc, seed: seed)
        schedule.events = offsets.map {
            ContactSignatureTests.snap(at: schedule.steps[$0.step].icSeconds + $0.seconds, hz: 150, decaySeconds: 0.015)
        }
        return SimulatedWalk(schedule: schedule, scenario: sc, seed: seed)
    }

    /// Runs the detector live: contacts told 0.3 s late, audio in 10 ms blocks.
    static func live(_ w: SimulatedWalk, holdSeconds: Double) -> [(event: PopEvent, outSeconds: Double)] {
        var config = PopConfig()
        config.signatureBootstrapSeconds = holdSeconds
        return w.detectLive(contactDelay: 0.3, config: config, block: 160)
    }

    /// Events in the first 8 steps of a quiet walk without pops.
    static func earlyEvents(hz: Double, seed: UInt64, holdSeconds: Double) -> Int {
        let w = quietWalk(hz: hz, seed: seed)
        let end = w.contacts.count > 8 ? w.contacts[8] : .infinity
        return live(w, holdSeconds: holdSeconds).filter { $0.event.tSeconds < end }.count
    }

    func testQuietFirstHeelStrikesAreNotPops() {
        var held = 0, unheld = 0
        for hz in [51.0, 90, 131] {
            for seed: UInt64 in [4, 18, 19] {
                held += Self.earlyEvents(hz: hz, seed: seed, holdSeconds: PopConfig().signatureBootstrapSeconds)
                unheld += Self.earlyEvents(hz: hz, seed: seed, holdSeconds: 0)
            }
        }
        XCTAssertEqual(held, 0, "events in the first steps with the hold")
        XCTAssertGreaterThan(unheld, held, "control: without the hold")
    }

    /// A low snap (150 Hz) in mid-swing of the second and fourth steps, before any signature exists: held, it is
    /// still reported as a snap, at most the hold (0.5 s) plus a decision's own delay after its onset.
    func testALowSnapInTheFirstStepsIsHeldThenReported() {
        let w = Self.quietWalk(hz: 90, seed: 4, lowSnapsAt: [(1, 0.25), (3, 0.25)])
        let out = Self.live(w, holdSeconds: PopConfig().signatureBootstrapSeconds)
        for e in w.schedule.events {
            let hit = out.first { abs($0.event.tSeconds - e.onsetSeconds) <= 0.010 }
            XCTAssertEqual(hit?.event.kind, .snap, "low snap at \(e.onsetSeconds)")
            if let h = hit { XCTAssertLessThanOrEqual(h.outSeconds - e.onsetSeconds, 0.65) }
        }
    }
}
