import Foundation
import GaitVocabulary
@testable import PopEvents
import Simulation

/// A simulated walk: the microphone signal, its ground truth, and what the detector found in it.
struct SimulatedWalk {
    let scenario: Scenario
    let schedule: WalkSchedule
    let rateHz: Double
    let audio: [Float]

    init(_ scenario: Scenario, seed: UInt64, rateHz: Double = 16000, gainDb: Double = 0) {
        self.init(schedule: WalkSchedule(scenario: scenario, seed: seed), scenario: scenario, seed: seed, rateHz: rateHz,
                  gainDb: gainDb)
    }

    /// A walk with a schedule edited by the test (events placed by hand).
    init(schedule: WalkSchedule, scenario: Scenario, seed: UInt64, rateHz: Double = 16000, gainDb: Double = 0) {
        self.scenario = scenario
        self.rateHz = rateHz
        self.schedule = schedule
        var mic = MicrophoneModel(schedule: schedule, scenario: scenario, rateHz: rateHz, seed: seed)
        let n = Int(scenario.durationSeconds * rateHz)
        var all = [Float]()
        all.reserveCapacity(n)
        var block = [Float]()
        var i = 0
        while i < n {
            let c = min(16000, n - i)
            mic.render(first: i, count: c, into: &block)
            all += block
            i += c
        }
        if gainDb != 0 {
            let g = Float(pow(10, gainDb / 20))
            for k in all.indices { all[k] = max(-1, min(1, all[k] * g)) }
        }
        audio = all
    }

    var contacts: [Double] { schedule.steps.map(\.icSeconds) }

    func phases() -> ContactStridePhases {
        let p = ContactStridePhases()
        for s in schedule.steps { p.noteContact(tSeconds: s.icSeconds, left: s.side == .left) }
        return p
    }

    /// Runs a fresh detector over the whole signal in blocks of `block` samples.
    func detect(block: Int = 4096, contacts useContacts: Bool = true, config: PopConfig = .init(),
                detector: PopDetector? = nil, contactShiftSeconds: Double = 0) -> [PopEvent] {
        let d = detector ?? PopDetector(sampleRateHz: rateHz, config: config)
        if useContacts {
            d.noteContacts(contacts.map { $0 + contactShiftSeconds },
                           legs: schedule.steps.map { $0.side == .left ? Leg.left : Leg.right })
            d.phaseProvider = phases()
        }
        var out: [PopEvent] = []
        audio.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                let c = min(block, p.count - i)
                out += d.process(UnsafeBufferPointer(rebasing: p[i..<(i + c)]), startSeconds: Double(i) / rateHz)
                i += c
            }
        }
        out += d.finish()
        return out.sorted { $0.tSeconds < $1.tSeconds }
    }

    /// Runs a fresh detector as live use does: each contact told `contactDelay` seconds after it happened (negative:
    /// before), the audio in blocks of `block` samples. Each event comes with the stream time (s) it came out at.
    func detectLive(contactDelay: Double, config: PopConfig = .init(), block: Int = 800)
        -> [(event: PopEvent, outSeconds: Double)] {
        let d = PopDetector(sampleRateHz: rateHz, config: config)
        var out: [(event: PopEvent, outSeconds: Double)] = []
        var next = 0
        let contacts = self.contacts
        audio.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                let c = min(block, p.count - i)
                let t = Double(i) / rateHz
                while next < contacts.count && contacts[next] + contactDelay <= t {
                    d.noteContact(contacts[next])
                    next += 1
                }
                out += d.process(UnsafeBufferPointer(rebasing: p[i..<(i + c)]), startSeconds: t)
                    .map { ($0, Double(i + c) / rateHz) }
                i += c
            }
        }
        return out + d.finish().map { ($0, Double(audio.count) / rateHz) }
    }

    struct Score {
        var truePositives = 0, falseNegatives = 0, falsePositives = 0, kindCorrect = 0
        var onsetErrors: [Double] = []
        var f1: Double {
            let p = Double(truePositives) / Double(max(truePositives + falsePositives, 1))
            let r = Double(truePositives) / Double(max(truePositives + falseNegatives, 1))
            return p + r > 0 ? 2 * p * r / (p + r) : 0
        }
        var kindAccuracy: Double { Double(kindCorrect) / Double(max(truePositives, 1)) }
    }

    /// Matches detections to the scheduled events within `tolerance` seconds (nearest first).
    func score(_ events: [PopEvent], toleranceSeconds tol: Double = 0.010) -> Score {
        var used = [Bool](repeating: false, count: events.count)
        var s = Score()
        for tr in schedule.events {
            var best = -1
            var bestD = tol
            for (j, e) in events.enumerated() where !used[j] && abs(e.tSeconds - tr.onsetSeconds) <= bestD {
                best = j
                bestD = abs(e.tSeconds - tr.onsetSeconds)
            }
            if best >= 0 {
                used[best] = true
                s.truePositives += 1
                s.onsetErrors.append(events[best].tSeconds - tr.onsetSeconds)
                if events[best].kind.rawValue == tr.kind.rawValue { s.kindCorrect += 1 }
            } else {
                s.falseNegatives += 1
            }
        }
        s.falsePositives = used.filter { !$0 }.count
        return s
    }
}

extension Scenario {
    /// A preset cut to `seconds` (one stand, one walk), for quicker tests.
    static func short(_ name: String, seconds: Double = 30) -> Scenario {
        var s = Scenario.preset(name)!
        s.durationSeconds = seconds
        s.segments = [Segment(.stand, seconds: 3), Segment(.walk, seconds: seconds - 3, cadence: 106)]
        return s
    }
}

/// Events built by hand (for patterns, refiner and alert rules).
func syntheticEvent(t: Double, kind: PopKind, cyclePercent: Double? = nil, step: Int = 0,
                    confidence: Double = 0.9) -> PopEvent {
    let f = PopFeatures(spectralCentroidHz: 3000, spectralBandwidthHz: 1000, peakFrequencyHz: 3000, crestFactor: 8,
                        kurtosis: 10, microImpulses: kind == .grind ? 8 : 1, riseTimeSeconds: 0.0002,
                        decaySeconds: 0.002, thumpRatioDb: -10, nearContact: false, clipped: false)
    let phase = cyclePercent.map {
        StridePhase(cyclePercent: $0, phase: .nominal(cyclePercent: $0),
                    leftLeg: GaitPhaseName.nominal(cyclePercent: $0).legState, stepIndex: step, bout: 0)
    }
    return PopEvent(tSeconds: t, durationSeconds: kind == .grind ? 0.1 : 0.004, kind: kind, confidence: confidence,
                    levelDbfs: -30, snrDb: 20, features: f, phase: phase)
}
