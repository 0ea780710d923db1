import Foundation

/// The contact microphone rendered from a walk's `AcousticModel` (domain randomisation; docs/POPS-VALIDATION.md):
/// coloured body noise, mains hum with harmonics, rustle bursts in swing and at random, motion artefacts below 20 Hz,
/// a heel thump per contact with its own fundamental, soft onset, broadband contact transient, delay and level, and
/// the schedule's events with their drawn waveforms. Sample by sample, in order (it keeps filter state).
struct RandomisedMicrophone {
    let schedule: WalkSchedule
    let model: AcousticModel
    let rateHz: Double
    private var rng: SplitMix64
    private var pink = (0.0, 0.0, 0.0)
    private var brown = 0.0
    private var rustlePrev = 0.0
    /// Above 16 kHz the rustle's first difference keeps rising to fs / 2; a 2nd-order low-pass at 8 kHz keeps it
    /// where a 16 kHz walk has it (see `init`). nil at 16 kHz and below.
    private var rustleTop: RustleLowPass?
    private var stepCursor = 0
    private var eventCursor = 0
    private var burstCursor = 0
    private var active: [Int] = []
    private let floorAmp: Double
    private let whiteGain, pinkGain, brownGain: Double
    /// Brown noise's leak per sample and input gain, and the rustle's gain, at this rate (see `init`).
    private let brownLeak, brownInput, rustleRateGain: Double
    private let humAmp: Double
    private let motionAmp: Double
    /// Per step: thump amplitude, fundamental, delay.
    private let thumpAmp: [Double]
    private let thumpHz: [Double]
    private let thumpDelay: [Double]
    private let transientAmp: Double
    /// Rustle bursts (start, length, amplitude), sorted.
    private let bursts: [(start: Double, seconds: Double, amp: Double)]

    init(schedule: WalkSchedule, model m: AcousticModel, rateHz: Double, seed: UInt64) {
        self.schedule = schedule
        self.model = m
        self.rateHz = rateHz
        var r = SplitMix64(seed: AcousticFamily.streamSeed(family: m.family, seed: m.seed) ^ seed ^ 0x3C0_FFEE)
        rng = SplitMix64(seed: r.next())
        let bg = m.background
        floorAmp = pow(10, bg.noiseDbfs / 20)
        // Unit-variance gains for each colour, then the walk's mix (powers add).
        //
        // Body noise has a spectral density in Hz, whatever rate the microphone is sampled at; the levels are those
        // at 16 kHz, and the other rates keep 16 kHz's density below 8 kHz. Per-sample filters do not: white noise
        // of a fixed variance spreads over fs / 2, so at 8 kHz it lay 3 dB higher in every band and at 48 kHz
        // 4.8 dB lower; a 0.995 leak per sample put brown noise's corner at 12.7 Hz × fs / 16 kHz and its density
        // ∝ fs (+4.7 dB at 48 kHz); a first difference made rustle's density ∝ 1 / fs³ below a few kHz. The same
        // wearer then had up to ±5 dB more or less noise in the detection band at another rate (measured with the
        // filters above on 80–3500 Hz), so the families' rate draw also drew an SNR. k = fs / 16 kHz: white × √k,
        // brown's leak 0.995^(1/k) and input × 1/√k, rustle × k^1.5. At 16 kHz every factor is exactly 1 (walks
        // byte-identical). Kellet's pink filter measured within ±0.5 dB across 8–48 kHz and is left as it is.
        let k = rateHz / 16000
        whiteGain = floorAmp * bg.white.squareRoot() * k.squareRoot()
        pinkGain = floorAmp * bg.pink.squareRoot() / 3.0 // Kellet's economy pink filter: RMS ≈ 3 for unit white input
        brownGain = floorAmp * bg.brown.squareRoot() // leaky integrator 0.995, input 0.0998: RMS ≈ 1 (at 16 kHz)
        brownLeak = k == 1 ? 0.995 : pow(0.995, 1 / k)
        brownInput = k == 1 ? 0.0998 : 0.0998 / k.squareRoot()
        rustleRateGain = k == 1 ? 1 : pow(k, 1.5)
        rustleTop = k > 1 ? RustleLowPass(cutoffHz: 8000, sampleRateHz: rateHz) : nil
        humAmp = floorAmp * pow(10, bg.humDb / 20) * 2.0.squareRoot()
        motionAmp = floorAmp * pow(10, bg.motionDb / 20)
        let th = m.thump
        // Clipped walks: the thump peak lands 0–6 dB above full scale; otherwise its level over the floor.
        let basePeak = th.clipped ? pow(10, (r.uniform() * 6) / 20) : floorAmp * pow(10, th.levelDb / 20)
        let norm = 1 / (1 + pow(10, th.overtoneDb / 20))
        var amps: [Double] = [], hzs: [Double] = [], delays: [Double] = []
        for s in schedule.steps {
            amps.append(basePeak * norm * s.intensity * pow(10, th.jitterDb * r.gaussian() / 20))
            hzs.append(th.fundamentalHz * (1 + th.jitterFraction * min(max(r.gaussian(), -2.5), 2.5)))
            delays.append(max(0, th.delaySeconds + th.jitterDelaySeconds * r.gaussian()))
        }
        thumpAmp = amps
        thumpHz = hzs
        thumpDelay = delays
        transientAmp = th.transientDb.map { basePeak * pow(10, $0 / 20) } ?? 0
        var b: [(Double, Double, Double)] = []
        let rustleAmp = floorAmp * pow(10, bg.rustleDb / 20) * rustleRateGain
        for s in schedule.steps where r.uniform() < bg.rustleSwingProbability {
            let len = bg.rustleSeconds[0] + (bg.rustleSeconds[1] - bg.rustleSeconds[0]) * r.uniform()
            b.append((s.icSeconds + s.durationSeconds * (0.3 + 0.4 * r.uniform()), len, rustleAmp * (0.4 + 0.6 * r.uniform())))
        }
        if bg.rustlePerMinute > 0 {
            var t = 0.0
            while true {
                t += -log(max(r.uniform(), 1e-9)) * 60 / bg.rustlePerMinute
                if t >= schedule.durationSeconds { break }
                let len = bg.rustleSeconds[0] + (bg.rustleSeconds[1] - bg.rustleSeconds[0]) * r.uniform()
                b.append((t, len, rustleAmp * (0.4 + 0.6 * r.uniform())))
            }
        }
        bursts = b.sorted { $0.0 < $1.0 }.map { (start: $0.0, seconds: $0.1, amp: $0.2) }
        active.reserveCapacity(8)
    }

    mutating func render(first: Int, count: Int, into out: inout [Float]) {
        out.removeAll(keepingCapacity: true)
        if first == 0 { stepCursor = 0; eventCursor = 0; burstCursor = 0; active.removeAll(keepingCapacity: true) }
        let steps = schedule.steps
        let events = schedule.events
        let bg = model.background
        let th = model.thump
        let otDb = pow(10, th.overtoneDb / 20)
        for i in first..<(first + count) {
            let t = Double(i) / rateHz
            // Body noise: white, pink (P. Kellet's economy filter) and brown (leaky integrator).
            let w = rng.gaussian()
            pink.0 = 0.99765 * pink.0 + w * 0.0990460
            pink.1 = 0.96300 * pink.1 + w * 0.2965164
            pink.2 = 0.57000 * pink.2 + w * 1.0526913
            brown = brownLeak * brown + brownInput * rng.gaussian()
            var v = whiteGain * w + pinkGain * (pink.0 + pink.1 + pink.2 + w * 0.1848) + brownGain * brown
            // Mains hum with harmonics 2…7.
            let ph = 2 * .pi * bg.humHz * t
            var hum = sin(ph)
            for (k, a) in bg.humHarmonics.enumerated() { hum += a * sin(Double(k + 2) * ph + 0.3 * Double(k)) }
            v += humAmp * hum
            // Skin and cable motion below 20 Hz, modulated slowly.
            v += motionAmp * sin(2 * .pi * bg.motionHz * t) * (0.6 + 0.4 * sin(2 * .pi * 0.31 * t))
            // Heel thumps of the current and the previous contact (a thump outlasts a step at most once).
            while stepCursor + 1 < steps.count && steps[stepCursor + 1].icSeconds <= t { stepCursor += 1 }
            if !steps.isEmpty {
                for k in max(0, stepCursor - 1)...stepCursor {
                    let since = t - steps[k].icSeconds - thumpDelay[k]
                    guard since >= 0, since < 8 * th.decaySeconds else { continue }
                    var env = exp(-since / th.decaySeconds)
                    if since < th.riseSeconds {
                        let q = sin(.pi / 2 * since / th.riseSeconds)
                        env *= q * q
                    }
                    let f = thumpHz[k]
                    v += thumpAmp[k] * env * (sin(2 * .pi * f * since)
                                              + otDb * sin(2 * .pi * th.overtoneRatio * f * since + 0.7))
                    if since < th.transientSeconds && transientAmp > 0 {
                        v += transientAmp * steps[k].intensity * rng.gaussian() * (1 - since / th.transientSeconds)
                    }
                }
            }
            // Rustle bursts: high-passed noise under a smooth envelope.
            while burstCursor < bursts.count && bursts[burstCursor].start + bursts[burstCursor].seconds < t {
                burstCursor += 1
            }
            var j = burstCursor
            var rustle = 0.0
            while j < bursts.count && bursts[j].start <= t {
                let u = (t - bursts[j].start) / bursts[j].seconds
                if u < 1 {
                    let x = rng.gaussian()
                    let r = bursts[j].amp * 0.7 * (x - rustlePrev) * sin(.pi * u)
                    if rustleTop == nil { v += r } else { rustle += r } // 16 kHz: the sums as before, bit for bit
                    rustlePrev = x
                }
                j += 1
            }
            if rustleTop != nil { v += rustleTop!.step(rustle) }
            // Scheduled events.
            while eventCursor < events.count && events[eventCursor].onsetSeconds <= t {
                active.append(eventCursor)
                eventCursor += 1
            }
            var k = 0
            while k < active.count {
                let e = events[active[k]]
                let tau = t - e.onsetSeconds
                if tau > e.durationSeconds + 0.05 {
                    active.remove(at: k)
                    continue
                }
                if let s = e.shape {
                    v += pow(10, e.levelDbfs / 20) * WalkSchedule.shapeValue(s, tau: tau, noise: rng.gaussian())
                }
                k += 1
            }
            out.append(Float(max(-1, min(1, v))))
        }
    }
}

/// A 2nd-order Butterworth low-pass (RBJ cookbook, direct form II transposed) for the rustle at rates above 16 kHz.
struct RustleLowPass {
    private let b0, b1, b2, a1, a2: Double
    private var z1 = 0.0, z2 = 0.0

    init(cutoffHz: Double, sampleRateHz fs: Double) {
        let w = 2 * Double.pi * min(cutoffHz, 0.45 * fs) / fs, c = cos(w), alpha = sin(w) / 2.0.squareRoot()
        let a0 = 1 + alpha
        b0 = (1 - c) / 2 / a0; b1 = (1 - c) / a0; b2 = b0
        a1 = -2 * c / a0; a2 = (1 - alpha) / a0
    }

    mutating func step(_ x: Double) -> Double {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }
}
