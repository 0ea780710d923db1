import Foundation

/// The waveform of one randomised joint sound, drawn once when the schedule is made (see `AcousticModel`).
public struct EventShape: Sendable, Equatable {
    public struct Mode: Sendable, Equatable {
        public var hz: Double
        public var decaySeconds: Double
        public var amplitude: Double
        public var phase: Double
    }
    /// Damped modes rung by the sound (a grind's impacts each ring `modes[impact % modes.count]`).
    public var modes: [Mode]
    /// Onset rise (s): 0 is an impulsive start.
    public var riseSeconds: Double
    /// Height of a broadband impulse at the onset (relative to the modes), lasting `impulseSeconds`.
    public var impulse: Double
    public var impulseSeconds: Double
    /// A second slap of the same modes this long after the first, at `slapGain` (snaps only).
    public var slapDelaySeconds: Double?
    public var slapGain: Double
    /// Grind: impact times (s after onset) and gains.
    public var impacts: [Double]
    public var impactGains: [Double]
    /// Scales the waveform to a peak of 1.
    public var gain: Double
}

extension WalkSchedule {
    /// Redraws the waveform, level and (for snaps) the stride phase of every scheduled event from the walk's acoustic
    /// model, with a random stream of its own (the placement of the walk's steps and events is unchanged).
    /// `audioRateHz` is the rate the walk is rendered at: the model's own draw unless `--audio-rate` (or a scenario
    /// file) overrides it, and modes are kept below that rate's Nyquist frequency, or a 6 kHz cavitation rendered at
    /// 8 kHz would alias to 2 kHz.
    mutating func applyAcoustics(_ m: AcousticModel, floorDbfs: Double, audioRateHz: Int) {
        var r = SplitMix64(seed: AcousticFamily.streamSeed(family: m.family, seed: m.seed) ^ 0xE7E1_7000)
        func u(_ a: Double, _ b: Double) -> Double { a + (b - a) * r.uniform() }
        func logu(_ a: Double, _ b: Double) -> Double { exp(u(log(a), log(max(b, a * 1.0001)))) }
        // This wearer's pops sit around one level (quiet and loud wearers), spread a few dB event to event.
        let snrLo = m.background.popSnrDb[0], snrHi = m.background.popSnrDb[1]
        let centre = u(snrLo + 2, snrHi - 2)
        // Snaps: one structure of one leg, at one point of that leg's stride.
        let snapLeg: Side = r.uniform() < 0.5 ? .left : .right
        let snapPercent = u(0, 100)
        let nyquistCap = 0.42 * Double(audioRateHz)
        for k in events.indices {
            var e = events[k]
            let snr = min(max(centre + 2.5 * r.gaussian(), snrLo), snrHi)
            e.snrDb = snr
            e.levelDbfs = floorDbfs + snr
            var shape: EventShape
            switch e.kind {
            case .cavitation:
                let c = m.cavitation
                let n = 1 + Int(r.next() % UInt64(max(c.maxModes, 1)))
                let modes = (0..<n).map { i in
                    EventShape.Mode(hz: min(logu(c.lowHz, c.highHz), nyquistCap),
                                    decaySeconds: logu(c.minDecaySeconds, c.maxDecaySeconds),
                                    amplitude: i == 0 ? 1 : u(0.3, 0.9), phase: u(0, 2 * .pi))
                }
                shape = EventShape(modes: modes, riseSeconds: 0, impulse: u(0.3, 0.8), impulseSeconds: 0.00015,
                                   slapDelaySeconds: nil, slapGain: 0, impacts: [0], impactGains: [1], gain: 1)
                e.durationSeconds = max(0.002, 3 * (modes.map(\.decaySeconds).max() ?? 0.001))
                e.frequencyHz = modes[0].hz
            case .snap:
                let s = m.snap
                let f0 = logu(s.lowHz, s.highHz)
                let decay = logu(s.minDecaySeconds, s.maxDecaySeconds)
                var modes = [EventShape.Mode(hz: f0, decaySeconds: decay, amplitude: 1, phase: u(0, 2 * .pi))]
                if r.uniform() < s.highComponentProbability {
                    modes.append(EventShape.Mode(hz: min(u(1000, 3000), nyquistCap), decaySeconds: u(0.001, 0.004),
                                                 amplitude: pow(10, u(s.highComponentDb[0], s.highComponentDb[1]) / 20),
                                                 phase: u(0, 2 * .pi)))
                }
                let slap = r.uniform() < s.secondSlapProbability
                    ? u(s.secondSlapDelaySeconds[0], s.secondSlapDelaySeconds[1]) : nil
                shape = EventShape(modes: modes, riseSeconds: logu(s.minRiseSeconds, s.maxRiseSeconds),
                                   impulse: 0, impulseSeconds: 0, slapDelaySeconds: slap,
                                   slapGain: pow(10, u(s.secondSlapDb[0], s.secondSlapDb[1]) / 20),
                                   impacts: [0], impactGains: [1], gain: 1)
                e.durationSeconds = (slap ?? 0) + 2.3 * decay
                e.frequencyHz = f0
                // Move the snap to this wearer's snapping point: the same percent of the chosen leg's stride.
                if let st = stride(of: snapLeg, containing: e.onsetSeconds) {
                    e.onsetSeconds = st.start + (snapPercent + 1.5 * r.gaussian()) / 100 * st.duration
                }
            case .grind:
                let g = m.grind
                let d = min(max(e.durationSeconds * (g.maxSeconds / 0.22), g.minSeconds), g.maxSeconds)
                e.durationSeconds = d
                var times: [Double] = [0], gains: [Double] = [1]
                var t = 0.0
                let meanGap = u(g.minGapSeconds, g.maxGapSeconds)
                while true {
                    t += max(g.minGapSeconds, meanGap * (0.4 + 1.2 * r.uniform()))
                    if t >= d { break }
                    times.append(t)
                    gains.append(u(0.35, 1))
                }
                let modes = (0..<4).map { _ in
                    EventShape.Mode(hz: min(logu(g.lowHz, g.highHz), nyquistCap), decaySeconds: u(0.0003, 0.0012),
                                    amplitude: 1, phase: u(0, 2 * .pi))
                }
                shape = EventShape(modes: modes, riseSeconds: 0, impulse: 0.3, impulseSeconds: 0.0001,
                                   slapDelaySeconds: nil, slapGain: 0, impacts: times, impactGains: gains, gain: 1)
                e.frequencyHz = modes[0].hz
                e.impulses = times
                e.impulseGains = gains
            }
            // Normalise to a peak of 1 (measured on a fine grid without the noise part).
            var peak = 0.0
            let dt = 1 / 48000.0
            var tau = 0.0
            while tau < e.durationSeconds + 0.01 {
                peak = max(peak, abs(Self.shapeValue(shape, tau: tau, noise: 0)))
                tau += dt
            }
            shape.gain = peak > 0 ? 1 / max(peak, shape.impulse) : 1
            e.shape = shape
            events[k] = e
        }
        events.sort { $0.onsetSeconds < $1.onsetSeconds }
    }

    /// The stride of `side`'s leg (its initial contact to its next one, within a bout) around `t`.
    func stride(of side: Side, containing t: Double) -> (start: Double, duration: Double)? {
        var best: (Double, Double)?
        for (i, s) in steps.enumerated() where s.side == side && s.icSeconds <= t + 0.3 {
            guard let j = steps[(i + 1)...].firstIndex(where: { $0.side == side }), steps[j].bout == s.bout
            else { continue }
            if steps[j].icSeconds > t - 0.3 { best = (s.icSeconds, steps[j].icSeconds - s.icSeconds); break }
        }
        return best
    }

    /// A randomised event's waveform at `tau` s after its onset (peak ≈ 1 after `gain`).
    static func shapeValue(_ s: EventShape, tau: Double, noise: Double) -> Double {
        var v = 0.0
        func ring(_ x: Double, _ mode: EventShape.Mode) -> Double {
            guard x >= 0, x < 8 * mode.decaySeconds else { return 0 }
            return mode.amplitude * exp(-x / mode.decaySeconds) * sin(2 * .pi * mode.hz * x + mode.phase)
        }
        func rise(_ x: Double) -> Double {
            guard s.riseSeconds > 0, x < s.riseSeconds else { return 1 }
            let q = sin(.pi / 2 * x / s.riseSeconds)
            return q * q
        }
        if s.impacts.count > 1 {
            for (i, t0) in s.impacts.enumerated() where tau >= t0 && tau - t0 < 0.01 {
                let x = tau - t0
                let m = s.modes[i % s.modes.count]
                v += s.impactGains[i] * (ring(x, m) + (x < s.impulseSeconds ? s.impulse * noise : 0))
            }
        } else {
            for m in s.modes { v += rise(tau) * ring(tau, m) }
            if tau < s.impulseSeconds { v += s.impulse * (noise == 0 ? 1 : noise) }
            if let d = s.slapDelaySeconds, tau >= d {
                for m in s.modes { v += s.slapGain * rise(tau - d) * ring(tau - d, m) }
            }
        }
        return v * s.gain
    }
}

extension WalkSchedule {
    /// The leg whose initial contact came last before `t` (the loading leg) and the percent of that leg's stride
    /// since it; nil outside a complete stride. Written here, not imported from the engine: the truth must not
    /// share code with what it judges.
    public func legPhase(at t: Double) -> (side: Side, cyclePercent: Double)? {
        var lo = 0, hi = steps.count - 1, found = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if steps[mid].icSeconds <= t { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        guard found >= 0 else { return nil }
        let s = steps[found]
        guard let j = steps[(found + 1)...].firstIndex(where: { $0.side == s.side }), steps[j].bout == s.bout,
              steps[found + 1].bout == s.bout, t < steps[found + 1].icSeconds else { return nil }
        return (s.side, (t - s.icSeconds) / (steps[j].icSeconds - s.icSeconds) * 100)
    }
}
