import XCTest
@testable import PopEvents
@testable import Simulation

/// Heel strikes of real bodies (soft onsets, fundamentals down to 25 Hz, broadband contact transients, sounds that
/// reach the lower back up to 40 ms late) against joint sounds near them: the contact signature learned per wearer
/// (docs/POPS.md). Walks are rendered by the randomised microphone with hand-set physics.
final class ContactSignatureTests: XCTestCase {
    /// One wearer: the given heel thump, moderate background.
    static func model(hz: Double, riseSeconds: Double, transientDb: Double?, delaySeconds: Double,
                      clipped: Bool = false) -> AcousticModel {
        var m = AcousticFamily.tuning.draw(seed: 1)
        m.audioRateHz = 16000
        m.thump = .init(fundamentalHz: hz, decaySeconds: 0.03, riseSeconds: riseSeconds, overtoneRatio: 2.5,
                        overtoneDb: -12, transientDb: transientDb, transientSeconds: 0.0015,
                        delaySeconds: delaySeconds, levelDb: 30, clipped: clipped, jitterFraction: 0.03, jitterDb: 1,
                        jitterDelaySeconds: 0.002)
        m.background = .init(noiseDbfs: -60, white: 0.5, pink: 0.3, brown: 0.2, rustleSeconds: [0.06, 0.4],
                             rustleDb: 3, rustleSwingProbability: 0.2, rustlePerMinute: 1, humHz: 50, humDb: 0,
                             humHarmonics: [0.3, 0.1, 0.05, 0, 0, 0], motionHz: 5, motionDb: 10, popSnrDb: [16, 20])
        return m
    }

    /// The heel-thump shapes of the documented range.
    static let shapes: [(String, AcousticModel)] = [
        ("25 Hz, 8 ms soft onset, transient -6 dB, 40 ms late", model(hz: 25, riseSeconds: 0.008, transientDb: -6, delaySeconds: 0.04)),
        ("160 Hz, sharp, no transient, on time", model(hz: 160, riseSeconds: 0.0005, transientDb: nil, delaySeconds: 0)),
        ("60 Hz, 3 ms onset, transient -15 dB, 20 ms late, clipped",
         model(hz: 60, riseSeconds: 0.003, transientDb: -15, delaySeconds: 0.02, clipped: true)),
        ("40 Hz, 2 ms onset, transient -25 dB, 10 ms late", model(hz: 40, riseSeconds: 0.002, transientDb: -25, delaySeconds: 0.01)),
    ]

    static func scenario(_ m: AcousticModel, seconds: Double = 40) -> Scenario {
        var sc = Scenario.short("healthy", seconds: seconds)
        sc.events = .init()
        return sc.applying(m)
    }

    /// A joint-sound event built by hand, its waveform normalised to peak 1 (`impactGains`: each impact's gain
    /// before that, all 1 when nil).
    static func event(_ kind: WalkSchedule.EventKind, at t: Double, levelDbfs: Double, modes: [EventShape.Mode],
                      riseSeconds: Double = 0, impulse: Double = 0, impacts: [Double] = [0],
                      impactGains: [Double]? = nil, duration: Double) -> WalkSchedule.AcousticEvent {
        let gains = impactGains ?? impacts.map { _ in 1 }
        var shape = EventShape(modes: modes, riseSeconds: riseSeconds, impulse: impulse, impulseSeconds: 0.00015,
                               slapDelaySeconds: nil, slapGain: 0, impacts: impacts, impactGains: gains, gain: 1)
        var peak = 0.0
        var tau = 0.0
        while tau < duration + 0.01 {
            peak = max(peak, abs(WalkSchedule.shapeValue(shape, tau: tau, noise: 0)))
            tau += 1 / 48000
        }
        shape.gain = 1 / max(peak, 1e-9)
        return WalkSchedule.AcousticEvent(onsetSeconds: t, kind: kind, durationSeconds: duration, levelDbfs: levelDbfs,
                                          snrDb: levelDbfs + 60, frequencyHz: modes[0].hz, impulses: impacts,
                                          impulseGains: gains, shape: shape)
    }

    static func snap(at t: Double, hz: Double = 350, decaySeconds: Double = 0.008, riseSeconds: Double = 0.001)
        -> WalkSchedule.AcousticEvent {
        event(.snap, at: t, levelDbfs: -42, modes: [.init(hz: hz, decaySeconds: decaySeconds, amplitude: 1, phase: 0.9)],
              riseSeconds: riseSeconds, duration: 2.3 * decaySeconds + riseSeconds)
    }

    /// The goal is no event at all; measured now 1–11 events at 65 heel strikes (the 25 Hz soft thump with a
    /// −6 dB transient 40 ms late is the worst; docs/POPS-VALIDATION.md lists this as short of the goal). This guards
    /// at most one event per five heel strikes per shape, and at most one per ten over all shapes.
    func testHeelStrikesOfEveryThumpShapeAreMostlyRejected() {
        var allEvents = 0, allSteps = 0
        defer { XCTAssertLessThanOrEqual(allEvents * 10, allSteps, "\(allEvents) events at \(allSteps) heel strikes") }
        for (name, m) in Self.shapes {
            let sc = Self.scenario(m)
            let w = SimulatedWalk(sc, seed: 21)
            let steps = w.schedule.steps.count
            XCTAssertGreaterThan(steps, 50)
            let events = w.detect()
            XCTAssertLessThanOrEqual(events.count * 5, steps, "\(name): \(events.count) events at \(steps) heel strikes")
            allEvents += events.count
            allSteps += steps
        }
    }

    /// A tendon of the right leg snapping at 30 % of every right stride.
    static func rightLegSnaps(_ m: AcousticModel, seed: UInt64) -> SimulatedWalk {
        let sc = Self.scenario(m)
        var schedule = WalkSchedule(scenario: sc, seed: seed)
        let rights = schedule.steps.enumerated().filter { $0.element.side == .right }
        var events: [WalkSchedule.AcousticEvent] = []
        for (a, b) in zip(rights, rights.dropFirst()) where b.element.bout == a.element.bout {
            let t = a.element.icSeconds + 0.3 * (b.element.icSeconds - a.element.icSeconds)
            events.append(Self.snap(at: t))
        }
        schedule.events = events
        return SimulatedWalk(schedule: schedule, scenario: sc, seed: seed)
    }

    /// The goal is every stride; measured now 24–30 of 31 strides per shape, 113 of 124 over all (the right leg's
    /// snap is no longer taken for the heel strike when the left leg's contacts are silent). Guards ≥ 75 % per shape
    /// and ≥ 90 % over all, the kind, and the phase read on the right leg.
    func testSnapAtOnePhaseOfTheRightStrideIsFoundInMostStrides() {
        var allFound = 0, allSnaps = 0
        defer { XCTAssertGreaterThanOrEqual(Double(allFound), 0.9 * Double(allSnaps), "\(allFound) of \(allSnaps)") }
        for (name, m) in Self.shapes {
            let w = Self.rightLegSnaps(m, seed: 23)
            XCTAssertGreaterThan(w.schedule.events.count, 20)
            let events = w.detect()
            var found: [PopEvent] = []
            for e in w.schedule.events {
                if let p = events.first(where: { abs($0.tSeconds - e.onsetSeconds) <= 0.010 }) { found.append(p) }
            }
            XCTAssertGreaterThanOrEqual(Double(found.count), 0.75 * Double(w.schedule.events.count), name)
            allFound += found.count
            allSnaps += w.schedule.events.count
            XCTAssertTrue(found.allSatisfy { $0.kind == .snap }, name)
            // Read on its own leg, the snap sits at 30 % of the right stride.
            let cps = found.compactMap { $0.phase?.stanceLeg == .right ? $0.phase?.cyclePercent : nil }
            XCTAssertEqual(cps.count, found.count, name)
            XCTAssertEqual(CircularStatistics.summary(cyclePercents: cps)!.meanCyclePercent, 30, accuracy: 1.5, name)
        }
    }

    /// Snaps 20 ms after contacts of a walk whose every step makes a heel strike (one after every 8th contact from
    /// the 16th, so the signature is learned and the heel strikes still sound like themselves): the snap lies inside
    /// the heel strike's sound, which is rejected as a whole; the snap is the distinct onset inside it
    /// (`PopDetector.innerSound`). The goal is every snap, named snap. Measured now (7 snaps per walk): 40 Hz thump
    /// 10 ms late 7 of 7; on-time 160 Hz thump 3 of 7 (the snap's rise on the thump's 400 Hz overtone is often
    /// < 6 dB); without the inner onsets (`innerOnsetMinSeconds = 0`, as on main) 1 of 7 each. Not yet: the clipped
    /// 60 Hz thump arriving with the snap (0 of 7: 40 dB louder), and the 25 Hz thump whose loud transient comes
    /// 20 ms after the snap (6 of 7 found, all named `unknown`: the two merge into one event). Guards the two shapes:
    /// ≥ 3 per shape and ≥ 10 of 14, every one found called a snap and marked near a contact, and no more than one
    /// other event per five heel strikes.
    static func snapsAfterContacts(_ m: AcousticModel, seed: UInt64) -> SimulatedWalk {
        let sc = Self.scenario(m)
        var schedule = WalkSchedule(scenario: sc, seed: seed)
        schedule.events = stride(from: 16, to: schedule.steps.count, by: 8).map {
            Self.snap(at: schedule.steps[$0].icSeconds + 0.020)
        }
        return SimulatedWalk(schedule: schedule, scenario: sc, seed: seed)
    }

    func testSnapTwentyMillisecondsAfterAContactIsFoundAndCalledASnap() {
        var allFound = 0, allSnaps = 0
        defer { XCTAssertGreaterThanOrEqual(allFound, 10, "\(allFound) of \(allSnaps)") }
        for (name, m) in [Self.shapes[1], Self.shapes[3]] {
            let w = Self.snapsAfterContacts(m, seed: 26)
            XCTAssertGreaterThanOrEqual(w.schedule.events.count, 6, name)
            let events = w.detect()
            var found: [PopEvent] = []
            for e in w.schedule.events {
                if let p = events.first(where: { abs($0.tSeconds - e.onsetSeconds) <= 0.010 }) { found.append(p) }
            }
            XCTAssertGreaterThanOrEqual(found.count, 3, "\(name): \(found.count) of \(w.schedule.events.count)")
            XCTAssertTrue(found.allSatisfy { $0.kind == .snap }, "\(name): \(found.map(\.kind))")
            XCTAssertTrue(found.allSatisfy { $0.features.nearContact }, name)
            XCTAssertLessThanOrEqual((events.count - found.count) * 5, w.schedule.steps.count,
                                     "\(name): \(events.count - found.count) other events")
            allFound += found.count
            allSnaps += w.schedule.events.count
        }
    }

    func testContactsFiftyMillisecondsEarlyOrLateGiveTheSameEvents() {
        let m = Self.shapes[0].1
        let w = Self.rightLegSnaps(m, seed: 24)
        let reference = w.detect()
        XCTAssertGreaterThan(reference.count, 20)
        for shift in [-0.05, 0.05] {
            let shifted = w.detect(contactShiftSeconds: shift)
            XCTAssertEqual(shifted.map(\.tSeconds), reference.map(\.tSeconds), "contacts shifted \(shift) s")
            XCTAssertEqual(shifted.map(\.kind), reference.map(\.kind), "contacts shifted \(shift) s")
        }
    }

    /// Each kind at each end of the documented (held-out) ranges — cavitation modes 0.4–7 kHz decaying 0.3–4 ms;
    /// snaps 80–900 Hz ringing 4–30 ms with 0.5–4 ms rises; grinds of 0.3–3 kHz impacts 3–20 ms apart over
    /// 50–500 ms — comes out as one event of the right kind (a grind train as one event, not pieces).
    func testEachKindAtEachEndOfItsRangeIsNamedRight() {
        let m = Self.shapes[3].1
        let sc = Self.scenario(m, seconds: 75)
        let base = WalkSchedule(scenario: sc, seed: 25)
        // Far from every contact: halfway between two, in the second bout's steady walking.
        let steps = base.steps
        func between(_ k: Int) -> Double { (steps[k].icSeconds + steps[k + 1].icSeconds) / 2 - 0.05 }
        // A grind's impacts: `gap` apart on average, irregular (±40 %), fixed by a seeded generator.
        func grindTimes(_ d: Double, gap: Double) -> [Double] {
            var r = SplitMix64(seed: UInt64(d * 1e4 + gap * 1e6))
            var t = 0.0, out = [0.0]
            while true {
                t += gap * (0.6 + 0.8 * r.uniform())
                if t >= d { return out }
                out.append(t)
            }
        }
        func grind(_ k: Int, hz: Double, gap: Double, seconds: Double) -> WalkSchedule.AcousticEvent {
            Self.event(.grind, at: between(k), levelDbfs: -42,
                       modes: [.init(hz: hz, decaySeconds: 0.001, amplitude: 1, phase: 1),
                               .init(hz: hz * 1.3, decaySeconds: 0.0006, amplitude: 1, phase: 2)],
                       impulse: 0.3, impacts: grindTimes(seconds, gap: gap), duration: seconds)
        }
        // Clicks are rendered at 44.1 kHz only, where the body noise (one density in Hz at every rate) holds
        // 10·log10(44.1 / 16) = 4.4 dB more power than at 16 kHz: −35.6 dBFS keeps the ~20 dB SNR at which these
        // range ends were first checked. At 15 dB (−40 dBFS) the 0.4 kHz, 0.3 ms click is called a snap: its ring is
        // the 300 Hz high-pass's own, and measured against that much noise it reads as a snap's (docs/POPS.md).
        func cavitation(_ k: Int, hz: Double, decay: Double) -> WalkSchedule.AcousticEvent {
            Self.event(.cavitation, at: between(k), levelDbfs: -35.6,
                       modes: [.init(hz: hz, decaySeconds: decay, amplitude: 1, phase: 1.2)], impulse: 0.6,
                       duration: max(0.002, 3 * decay))
        }
        // Clicks at 44.1 kHz. Not yet: the low end of snaps (80 Hz, 30 ms decay, 4 ms rise) is missed, long-ringing
        // snaps (20–30 ms decay) at 250–300 Hz and a 900 Hz snap rising over 4 ms are missed or split, and at 16 kHz
        // the shortest clicks (0.3 ms rings; at 7 kHz at any rate) are missed or not (detection, docs/POPS-VALIDATION.md);
        // a 0.4 kHz bubble ringing
        // 2 ms is called a snap (at 400 Hz the two differ only by the bubble's impulsive start; docs/POPS.md).
        let clicks: [(String, WalkSchedule.AcousticEvent, PopKind)] = [
            ("cavitation 0.4 kHz, 0.3 ms", cavitation(20, hz: 400, decay: 0.0003), .cavitation),
            ("cavitation 7 kHz, 4 ms", cavitation(28, hz: 7000, decay: 0.004), .cavitation),
            ("snap 900 Hz, 4 ms decay, 0.5 ms rise", Self.snap(at: between(36), hz: 900, decaySeconds: 0.004, riseSeconds: 0.0005), .snap),
            ("snap 400 Hz, 4 ms decay, 0.5 ms rise", Self.snap(at: between(44), hz: 400, decaySeconds: 0.004, riseSeconds: 0.0005), .snap),
        ]
        // Grinds at 44.1 and 16 kHz.
        let grinds: [(String, WalkSchedule.AcousticEvent, PopKind)] = [
            ("grind 0.3 kHz impacts 8 ms apart over 60 ms", grind(48, hz: 300, gap: 0.008, seconds: 0.06), .grind),
            ("grind 0.3 kHz impacts 20 ms apart over 500 ms", grind(52, hz: 300, gap: 0.02, seconds: 0.5), .grind),
            ("grind 3 kHz impacts 3 ms apart over 500 ms", grind(56, hz: 3000, gap: 0.003, seconds: 0.5), .grind),
            ("grind 3 kHz impacts 20 ms apart over 50 ms", grind(60, hz: 3000, gap: 0.02, seconds: 0.05), .grind),
            ("grind 1 kHz impacts 8 ms apart over 300 ms", grind(64, hz: 1000, gap: 0.008, seconds: 0.3), .grind),
        ]
        for (rate, cases) in [(44100.0, clicks + grinds), (16000, grinds)] {
            var schedule = base
            schedule.events = cases.map(\.1)
            let w = SimulatedWalk(schedule: schedule, scenario: sc, seed: 25, rateHz: rate)
            let events = w.detect()
            for (name, e, kind) in cases {
                let found = events.filter { abs($0.tSeconds - e.onsetSeconds) <= 0.010 }
                XCTAssertEqual(found.count, 1, "\(name) found at \(rate) Hz")
                XCTAssertEqual(found.first?.kind, kind, "\(name) at \(rate) Hz")
                // One sound, one event: nothing else starts while it sounds.
                let inside = events.filter { $0.tSeconds > e.onsetSeconds + 0.010
                    && $0.tSeconds < e.onsetSeconds + e.durationSeconds + 0.05 }
                XCTAssertEqual(inside.count, 0, "\(name) at \(rate) Hz is one event, not pieces: \(inside.map(\.kind))")
            }
        }
    }
}

