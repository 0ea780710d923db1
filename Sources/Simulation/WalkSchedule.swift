import Foundation

public enum Side: String, Codable, Sendable { case left, right }

/// The walker's timeline, decided once from the scenario and seed: bouts, every initial and final contact, turns,
/// tilt-range movements, acoustic events and button presses. The signal models read it; the ground truth is it.
public struct WalkSchedule: Sendable {
    public struct Step: Sendable, Equatable {
        public var icSeconds: Double
        public var side: Side
        /// Final contact of this foot (end of its stance).
        public var fcSeconds: Double
        /// This step's duration (to the next initial contact of either foot) and the bout it belongs to.
        public var durationSeconds: Double
        public var bout: Int
        /// 0…1 ramp: gait initiation and termination are gentler.
        public var intensity: Double
    }

    public struct Bout: Sendable, Equatable, Codable {
        public var startSeconds: Double
        public var endSeconds: Double
        public var cadence: Double
    }

    public struct TurnSpan: Sendable, Equatable {
        public var startSeconds: Double
        public var seconds: Double
        public var degrees: Double
    }

    public struct TiltMove: Sendable, Equatable {
        public var startSeconds: Double
        public var seconds: Double
        public var anteriorDeg: Double
        public var posteriorDeg: Double
    }

    public enum EventKind: String, Codable, Sendable { case cavitation, snap, grind }

    public struct AcousticEvent: Sendable, Equatable {
        public var onsetSeconds: Double
        public var kind: EventKind
        public var durationSeconds: Double
        /// Peak level (dBFS) and level above the noise floor (dB).
        public var levelDbfs: Double
        public var snrDb: Double
        /// Waveform parameters drawn once (frequency, decay, impulse times for grinding).
        public var frequencyHz: Double
        public var impulses: [Double]
        public var impulseGains: [Double]
        /// The waveform drawn from the scenario's acoustic model (nil: the original fixed shapes).
        public var shape: EventShape? = nil
    }

    public struct MarkerPress: Sendable, Equatable {
        public var seconds: Double
        public var kind: String
    }

    public var steps: [Step] = []
    public var bouts: [Bout] = []
    public var turns: [TurnSpan] = []
    public var tiltMoves: [TiltMove] = []
    public var events: [AcousticEvent] = []
    public var markers: [MarkerPress] = []
    public let durationSeconds: Double

    public init(scenario sc: Scenario, seed: UInt64) {
        durationSeconds = sc.durationSeconds
        var rng = SplitMix64(seed: seed ^ 0x5EED_0001)
        var t = 0.0
        var nextSide: Side = .left
        for seg in sc.segments {
            guard t < sc.durationSeconds else { break }
            let end = min(t + seg.seconds, sc.durationSeconds)
            switch seg.kind {
            case .stand:
                break
            case .tiltRange:
                tiltMoves.append(TiltMove(startSeconds: t, seconds: end - t, anteriorDeg: seg.anteriorDeg ?? 12,
                                          posteriorDeg: seg.posteriorDeg ?? -8))
            case .walk:
                let cadence = min(max(seg.cadence ?? 108, 40), 160)
                let meanStep = 60 / cadence
                let bout = bouts.count
                var ic = t + 0.3 // gait initiation after the segment starts
                var boutSteps: [Step] = []
                while true {
                    // A left step ends with a left contact (Robinson et al. 1987): it starts at a right one.
                    let base = meanStep * (nextSide == .right ? 1 + sc.gait.asymmetry / 2 : 1 - sc.gait.asymmetry / 2)
                    let jitter = min(max(rng.gaussian(), -3), 3) * sc.gait.stepTimeCV
                    let d = base * (1 + jitter)
                    if ic + d > end - 0.2 { break }
                    boutSteps.append(Step(icSeconds: ic, side: nextSide, fcSeconds: 0, durationSeconds: d, bout: bout,
                                          intensity: 1))
                    ic += d
                    nextSide = nextSide == .left ? .right : .left
                }
                // The last contact closes the bout (the trailing foot comes alongside).
                if boutSteps.count >= 2 {
                    boutSteps.append(Step(icSeconds: ic, side: nextSide, fcSeconds: 0, durationSeconds: meanStep,
                                          bout: bout, intensity: 0.5))
                    nextSide = nextSide == .left ? .right : .left
                    let n = boutSteps.count
                    boutSteps[0].intensity = 0.6
                    boutSteps[n - 2].intensity = 0.8
                    for i in 0..<n {
                        // Stance ends a stance-fraction of this foot's stride after its contact.
                        let stride = i + 2 < n ? boutSteps[i + 2].icSeconds - boutSteps[i].icSeconds
                                               : 2 * boutSteps[i].durationSeconds
                        boutSteps[i].fcSeconds = boutSteps[i].icSeconds + sc.gait.stanceFraction * stride
                    }
                    bouts.append(Bout(startSeconds: boutSteps[0].icSeconds,
                                      endSeconds: boutSteps[n - 1].fcSeconds, cadence: cadence))
                    steps += boutSteps
                }
                for turn in seg.turns ?? [] where t + turn.atSeconds < end {
                    turns.append(TurnSpan(startSeconds: t + turn.atSeconds, seconds: turn.seconds,
                                          degrees: turn.degrees))
                }
            }
            t = end
        }
        placeEvents(sc, &rng)
        if let a = sc.acoustics { applyAcoustics(a, floorDbfs: a.background.noiseDbfs, audioRateHz: sc.audioRateHz) }
        for m in sc.markers where m.atSeconds < sc.durationSeconds {
            markers.append(MarkerPress(seconds: m.atSeconds, kind: m.kind))
        }
    }

    /// Most recent left initial contact at or before `t` and the stride it starts (for cycle percent).
    public func leftStride(containing t: Double) -> (start: Double, duration: Double)? {
        var lo = 0, hi = steps.count - 1, found = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if steps[mid].icSeconds <= t { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        var i = found
        while i >= 0 && steps[i].side != .left { i -= 1 }
        guard i >= 0 else { return nil }
        // The next left contact in the same bout ends the stride.
        var j = i + 1
        while j < steps.count && steps[j].side != .left { j += 1 }
        guard j < steps.count, steps[j].bout == steps[i].bout, t < steps[j].icSeconds else { return nil }
        return (steps[i].icSeconds, steps[j].icSeconds - steps[i].icSeconds)
    }

    public func cyclePercent(at t: Double) -> Double? {
        guard let s = leftStride(containing: t) else { return nil }
        return (t - s.start) / s.duration * 100
    }

    /// Named gait phase (Perry) for a cycle percent of the left leg. Written here on purpose rather than imported
    /// from the engine: the ground truth must not share code with what it judges.
    public static func phaseName(cyclePercent p: Double) -> String {
        switch p {
        case ..<12: "loading_response"
        case ..<31: "mid_stance"
        case ..<50: "terminal_stance"
        case ..<62: "pre_swing"
        case ..<75: "initial_swing"
        case ..<87: "mid_swing"
        default: "terminal_swing"
        }
    }

    private mutating func placeEvents(_ sc: Scenario, _ rng: inout SplitMix64) {
        let noise = sc.audio.floorDbfs
        func make(_ kind: EventKind, at t: Double, snr: Double, duration: Double, freq: Double,
                  impulses: [Double] = [], gains: [Double] = []) -> AcousticEvent {
            AcousticEvent(onsetSeconds: t, kind: kind, durationSeconds: duration, levelDbfs: noise + snr, snrDb: snr,
                          frequencyHz: freq, impulses: impulses, impulseGains: gains)
        }
        // Strides of the left leg, within bouts.
        var strides: [(start: Double, duration: Double)] = []
        for (i, s) in steps.enumerated() where s.side == .left {
            if let j = steps[(i + 1)...].firstIndex(where: { $0.side == .left }), steps[j].bout == s.bout {
                strides.append((s.icSeconds, steps[j].icSeconds - s.icSeconds))
            }
        }
        if let c = sc.events.cavitation, !strides.isEmpty {
            var placed: [Double] = []
            var tries = 0
            while placed.count < c.count && tries < 1000 {
                tries += 1
                let st = strides[Int(rng.next() % UInt64(strides.count))]
                let t = st.start + rng.uniform() * st.duration
                // A joint needs time before it can cavitate again; keep clear of heel-strike thumps too.
                guard placed.allSatisfy({ abs($0 - t) > 3 }),
                      steps.allSatisfy({ abs($0.icSeconds - t) > 0.05 }) else { continue }
                placed.append(t)
                events.append(make(.cavitation, at: t, snr: c.snrDb, duration: 0.004,
                                   freq: 2600 + 2400 * rng.uniform()))
            }
        }
        if let s = sc.events.snap {
            for st in strides where rng.uniform() < s.probability {
                let cp = s.cyclePercent + rng.gaussian() * s.jitterPercent
                let t = st.start + cp / 100 * st.duration
                events.append(make(.snap, at: t, snr: s.snrDb + rng.gaussian(), duration: 0.012,
                                   freq: 420 + 380 * rng.uniform()))
            }
        }
        if let g = sc.events.grind {
            for (i, st) in steps.enumerated() where rng.uniform() < g.probability && st.intensity == 1 {
                // In early stance of this foot, under load.
                let t = st.icSeconds + st.durationSeconds * (0.1 + 0.3 * rng.uniform())
                let d = (g.minMs + (g.maxMs - g.minMs) * rng.uniform()) / 1000
                guard i + 1 < steps.count, t + d < steps[i].fcSeconds else { continue }
                var imp: [Double] = [0]
                var gains: [Double] = [1]
                var u = 0.0
                while true {
                    u += -log(max(rng.uniform(), 1e-9)) / 140 // ~140 impacts per second, irregular
                    if u >= d { break }
                    imp.append(u)
                    gains.append(0.35 + 0.65 * rng.uniform())
                }
                events.append(make(.grind, at: t, snr: g.snrDb, duration: d, freq: 1800 + 1500 * rng.uniform(),
                                   impulses: imp, gains: gains))
            }
        }
        events.sort { $0.onsetSeconds < $1.onsetSeconds }
    }
}
