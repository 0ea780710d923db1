import XCTest
@testable import PopEvents
@testable import Simulation

/// A snap that starts while a low heel thump still rings. The thump mask scales the thump band's rise over its own
/// background, not its level (docs/POPS.md, "Thump masking"): a ringing thump's steady leak is already in each
/// sub-band's background, so only its start can pass for a new sound. Scaling the level masked every sound in the
/// 300–1000 Hz band for the whole ring of a loud, low thump, although a 36 Hz thump puts nothing there.
final class ThumpRingTests: XCTestCase {
    /// A loud (35 dB over the floor), low (36 Hz), slowly decaying (30 ms) thump reaching the back 30 ms after the
    /// contact, unclipped; a 500 Hz snap at −42 dBFS 30 ms into its ring, every eighth step (seed 26: 7 snaps).
    ///
    /// Measured: 6 of 7 snaps reported as snaps, 4 timed within 10 ms; 2 join the heel strike's own event (opened at
    /// the thump's arrival, 30 ms before) and are timed there. The seventh (30.62 s) is split off the heel strike's
    /// event as a ringing onset (`splitRingingOnsets`, RingingOnsetSplitTests) and judged on its own, and it then
    /// matches both legs' heel-strike signatures (distances 0.43 and 1.90, against 2.0 near a contact): the left ring
    /// holds the four snaps before it, learned at left contacts. Before that rule all 7 were reported, 3 of them as
    /// the heel strike's event; the rule gains on the tuning family (F1 0.786 → 0.793; docs/POPS-VALIDATION.md), so
    /// this guard allows one loss. With the level-scaled mask 3 of 7 were reported at all. (Splitting a contact's
    /// event at a later, louder impact was tried for those 3: on the tuning family it found no more pops and added
    /// false ones; docs/POPS-VALIDATION.md.)
    func testSnapInALowThumpsRingIsReported() {
        var m = ContactSignatureTests.model(hz: 36, riseSeconds: 0.0015, transientDb: -14, delaySeconds: 0.03)
        m.thump.decaySeconds = 0.03
        m.thump.levelDb = 35
        let sc = ContactSignatureTests.scenario(m)
        var schedule = WalkSchedule(scenario: sc, seed: 26)
        schedule.events = stride(from: 16, to: schedule.steps.count, by: 8).map {
            ContactSignatureTests.snap(at: schedule.steps[$0].icSeconds + 0.06, hz: 500)
        }
        let w = SimulatedWalk(schedule: schedule, scenario: sc, seed: 26)
        XCTAssertGreaterThanOrEqual(w.schedule.events.count, 6)
        let events = w.detect()
        // Reported: an event called a snap between the thump's arrival and the snap's onset (+ 10 ms).
        let reported = w.schedule.events.compactMap { e in
            events.first { $0.tSeconds >= e.onsetSeconds - 0.035 && $0.tSeconds <= e.onsetSeconds + 0.010 }
        }
        let timed = w.schedule.events.filter { e in events.contains { abs($0.tSeconds - e.onsetSeconds) <= 0.010 } }
        XCTAssertGreaterThanOrEqual(reported.count + 1, w.schedule.events.count,
                                    "\(reported.count) of \(w.schedule.events.count) snaps reported")
        XCTAssertTrue(reported.allSatisfy { $0.kind == .snap }, "\(reported.map(\.kind))")
        XCTAssertGreaterThanOrEqual(timed.count * 2, w.schedule.events.count,
                                    "\(timed.count) of \(w.schedule.events.count) snaps timed within 10 ms")
        XCTAssertLessThanOrEqual((events.count - reported.count) * 5, w.schedule.steps.count,
                                 "\(events.count - reported.count) other events at \(w.schedule.steps.count) steps")
    }
}
