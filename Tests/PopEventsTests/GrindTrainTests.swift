import XCTest
@testable import PopEvents
@testable import Simulation

/// Grind trains against the detector's event boundaries: one train, one event of kind grind, timed at its first
/// impact (docs/POPS.md, "One grind, one event").
final class GrindTrainTests: XCTestCase {
    /// A grind train's impacts, `gap` apart on average, irregular (±40 %), fixed by a seeded generator.
    static func grindTimes(_ seconds: Double, gap: Double, seed: UInt64) -> [Double] {
        var r = SplitMix64(seed: seed)
        var t = 0.0, out = [0.0]
        while true {
            t += gap * (0.6 + 0.8 * r.uniform())
            if t >= seconds { return out }
            out.append(t)
        }
    }

    static func grind(at t: Double, hz: Double = 1000, gap: Double = 0.008, seconds: Double = 0.15,
                      seed: UInt64) -> WalkSchedule.AcousticEvent {
        ContactSignatureTests.event(.grind, at: t, levelDbfs: -42,
                                    modes: [.init(hz: hz, decaySeconds: 0.001, amplitude: 1, phase: 1),
                                            .init(hz: hz * 1.3, decaySeconds: 0.0006, amplitude: 1, phase: 2)],
                                    impulse: 0.3, impacts: grindTimes(seconds, gap: gap, seed: seed),
                                    duration: seconds)
    }

    /// Grinds starting 75 ms into the heel strike's sound (at every 8th contact from the 16th): the heel strike's
    /// contact transient opens an event that, with the thump still ringing, used to run on into the grind — the
    /// train was then rejected with the heel strike or reported at the heel strike's onset, 75 ms early. With the
    /// contact split (`PopConfig.contactSplitSeconds`) the train is an event of its own. Measured (7 grinds per walk,
    /// found within ±10 ms and called grind): 25 Hz thump with a −6 dB transient 40 ms late 7 of 7 (0 of 7 without
    /// the split), 40 Hz thump with a −25 dB transient 7 of 7 (7 of 7 without: its weak transient opens no long
    /// event). Guards ≥ 80 % per shape, every one found a grind, and more with the split than without.
    func testGrindStartingInsideAHeelStrikesSoundIsItsOwnGrindEvent() {
        var withSplit = 0, withoutSplit = 0, total = 0
        for (name, m) in [ContactSignatureTests.shapes[0], ContactSignatureTests.shapes[3]] {
            let sc = ContactSignatureTests.scenario(m)
            var schedule = WalkSchedule(scenario: sc, seed: 27)
            let delay = m.thump.delaySeconds
            schedule.events = stride(from: 16, to: schedule.steps.count, by: 8).enumerated().map { i, k in
                Self.grind(at: schedule.steps[k].icSeconds + delay + 0.075, seed: UInt64(100 + i))
            }
            let w = SimulatedWalk(schedule: schedule, scenario: sc, seed: 27)
            XCTAssertGreaterThanOrEqual(w.schedule.events.count, 6, name)
            func found(_ events: [PopEvent]) -> [PopEvent] {
                w.schedule.events.compactMap { e in events.first { abs($0.tSeconds - e.onsetSeconds) <= 0.010 } }
            }
            let split = found(w.detect())
            var off = PopConfig()
            off.contactSplitSeconds = 0
            let unsplit = found(w.detect(config: off))
            XCTAssertGreaterThanOrEqual(split.count * 10, w.schedule.events.count * 8,
                                        "\(name): \(split.count) of \(w.schedule.events.count)")
            XCTAssertTrue(split.allSatisfy { $0.kind == .grind }, "\(name): \(split.map(\.kind))")
            withSplit += split.filter { $0.kind == .grind }.count
            withoutSplit += unsplit.filter { $0.kind == .grind }.count
            total += w.schedule.events.count
        }
        XCTAssertGreaterThan(withSplit, withoutSplit, "with the split \(withSplit), without \(withoutSplit) of \(total)")
    }
}
