import XCTest
@testable import PopEvents
@testable import Simulation

/// A snap 30–60 ms after a loud heel strike's click (docs/POPS.md, "Extent"). The click opens an event, and the
/// snap starts inside its merge gap. A snap rings for 10–30 ms, so its energy has not halved 3 ms after it starts,
/// and it was not counted as an impact; only impacts could split a new event off at the close. So the snap was
/// swallowed with the heel strike, and once that event closed its energy was already in the local background.
/// Now a sub-band jump that would have opened an event on its own is a split point too (`splitRingingOnsets`), when
/// it starts more than `splitGapSeconds` after the core of what came before it.
final class RingingOnsetSplitTests: XCTestCase {
    /// Like the tuning wearer where this was found (noisy, acoustic seed 19): a 36 Hz thump 30 dB over the floor with
    /// a −14 dB contact transient, 30 ms after the contact. That wearer's thump clips; here it does not, because a
    /// clipped thump's harmonics mask the low band for the whole ring (the thump mask), which is another matter.
    static func wearer() -> AcousticModel {
        var m = ContactSignatureTests.model(hz: 36, riseSeconds: 0.0013, transientDb: -14, delaySeconds: 0.03,
                                            clipped: false)
        m.thump.decaySeconds = 0.026
        return m
    }

    /// A 500 Hz snap ringing 12 ms, 75 ms after every 8th contact from the 16th: 45 ms after the heel strike's click.
    /// Few enough that the heel strikes stay what the signature learns.
    static func walk(seed: UInt64) -> SimulatedWalk {
        let sc = ContactSignatureTests.scenario(wearer())
        var schedule = WalkSchedule(scenario: sc, seed: seed)
        schedule.events = stride(from: 16, to: schedule.steps.count, by: 8).map {
            ContactSignatureTests.snap(at: schedule.steps[$0].icSeconds + 0.075, hz: 500, decaySeconds: 0.012)
        }
        return SimulatedWalk(schedule: schedule, scenario: sc, seed: seed)
    }

    static func found(_ w: SimulatedWalk, _ events: [PopEvent]) -> [PopEvent] {
        w.schedule.events.compactMap { e in events.first { abs($0.tSeconds - e.onsetSeconds) <= 0.010 } }
    }

    /// Measured: 14 of 14 snaps over two walks found with the split, 2 without; every one found called a snap.
    /// Guards ≥ 10 of 14, the kind, at least 6 more than without the split (the rule is what finds them), and no
    /// more than one other event per five heel strikes.
    func testSnapInsideAHeelStrikesMergeGapIsFoundAndCalledASnap() {
        var withSplit = 0, withoutSplit = 0, snaps = 0
        var off = PopConfig()
        off.splitRingingOnsets = false
        for seed: UInt64 in [31, 32] {
            let w = Self.walk(seed: seed)
            XCTAssertGreaterThanOrEqual(w.schedule.events.count, 6)
            let events = w.detect()
            let hits = Self.found(w, events)
            XCTAssertTrue(hits.allSatisfy { $0.kind == .snap }, "seed \(seed): \(hits.map(\.kind))")
            XCTAssertLessThanOrEqual((events.count - hits.count) * 5, w.schedule.steps.count,
                                     "seed \(seed): \(events.count - hits.count) other events")
            withSplit += hits.count
            withoutSplit += Self.found(w, w.detect(config: off)).count
            snaps += w.schedule.events.count
        }
        XCTAssertGreaterThanOrEqual(withSplit, 10, "\(withSplit) of \(snaps) found")
        XCTAssertGreaterThanOrEqual(withSplit - withoutSplit, 6, "with the split \(withSplit), without \(withoutSplit)")
    }
}
