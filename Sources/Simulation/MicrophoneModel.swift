import Foundation

/// Contact-microphone audio of the scheduled walker, generated sample by sample in order (it keeps filter state).
///
/// Background: body noise (white plus a low-passed "brown" part) at the scenario's floor, mains hum with its third
/// harmonic, clothing rustle during swing, a slow skin/cable motion artefact, and a heel-strike thump at every
/// initial contact (low, long and usually louder than any pop). Events, each scaled to its scheduled peak level:
/// - cavitation: one short broadband click — an impulse plus a 2.6–5 kHz ring decaying in under a millisecond;
/// - snap: a lower-pitched, longer ring (420–800 Hz, ~4 ms decay) with a sharp onset;
/// - grind: an irregular train of micro-impacts (~140/s, 1.8–3.3 kHz rings of 0.4 ms) over 60–220 ms.
/// Full scale is ±1; samples beyond it clip, as a real ADC does.
public struct MicrophoneModel {
    public let schedule: WalkSchedule
    public let scenario: Scenario
    public let rateHz: Double
    private var rng: SplitMix64
    private var brown = 0.0
    private var rustleState = 0.0
    private var stepCursor = 0
    private var eventCursor = 0
    private var active: [Int] = []
    private let whiteGain: Double
    private let brownGain: Double
    private let humAmp: Double
    private let rustleAmp: Double
    private let thumpAmp: Double
    /// Set when the scenario carries an acoustic model: that renderer is used instead.
    private var randomised: RandomisedMicrophone?

    public init(schedule: WalkSchedule, scenario: Scenario, rateHz: Double, seed: UInt64) {
        self.schedule = schedule
        self.scenario = scenario
        self.rateHz = rateHz
        rng = SplitMix64(seed: seed ^ 0xA0D1_0000)
        let floor = pow(10, scenario.audio.noiseDbfs / 20)
        // Split the floor's power between white and brown noise; the brown filter's output has unit variance.
        whiteGain = floor * 0.8
        brownGain = floor * 0.6
        humAmp = pow(10, scenario.audio.humDbfs / 20) * sqrt(2)
        rustleAmp = pow(10, scenario.audio.rustleDbfs / 20)
        thumpAmp = pow(10, scenario.audio.thumpDbfs / 20)
        active.reserveCapacity(8)
        if let a = scenario.acoustics {
            randomised = RandomisedMicrophone(schedule: schedule, model: a, rateHz: rateHz, seed: seed)
        }
    }

    /// The waveform of one event at `tau` seconds after its onset, peak ≈ 1 (scaled by the caller).
    static func eventShape(_ e: WalkSchedule.AcousticEvent, tau: Double, noise: Double) -> Double {
        switch e.kind {
        case .cavitation:
            let ring = exp(-tau / 0.0007) * sin(2 * .pi * e.frequencyHz * tau + 1.2)
            let impulse = tau < 0.00015 ? 1.0 : 0
            return 0.7 * ring + 0.5 * impulse + 0.25 * noise * exp(-tau / 0.0005)
        case .snap:
            let ring = exp(-tau / 0.004) * sin(2 * .pi * e.frequencyHz * tau + 0.9)
            return 0.95 * ring + 0.15 * noise * exp(-tau / 0.0008)
        case .grind:
            var v = 0.0
            for (i, u) in e.impulses.enumerated() where tau >= u && tau - u < 0.003 {
                let x = tau - u
                v += e.impulseGains[i] * (0.8 * exp(-x / 0.0004) * sin(2 * .pi * e.frequencyHz * x + 1.0)
                                          + 0.3 * noise * exp(-x / 0.0003))
            }
            return v
        }
    }

    /// Fills `count` samples starting at sample `first` (full scale ±1).
    public mutating func render(first: Int, count: Int, into out: inout [Float]) {
        if randomised != nil {
            randomised!.render(first: first, count: count, into: &out)
            return
        }
        out.removeAll(keepingCapacity: true)
        if first == 0 { stepCursor = 0; eventCursor = 0; active.removeAll(keepingCapacity: true) } // restarted
        let steps = schedule.steps
        let events = schedule.events
        for i in first..<(first + count) {
            let t = Double(i) / rateHz
            // Body noise: white + brown (leaky integrator, normalised).
            let w = rng.gaussian()
            brown = 0.995 * brown + 0.0998 * rng.gaussian()
            var v = whiteGain * w + brownGain * brown
            // Mains hum and third harmonic.
            let hz = scenario.audio.humHz
            v += humAmp * (sin(2 * .pi * hz * t) + 0.3 * sin(2 * .pi * 3 * hz * t + 0.5))
            // Slow motion artefact (skin and cable), well below the bands of interest.
            v += 4 * whiteGain * sin(2 * .pi * 1.3 * t) * sin(2 * .pi * 0.21 * t)
            // Steps: thump at each contact, rustle during swing.
            while stepCursor + 1 < steps.count && steps[stepCursor + 1].icSeconds <= t { stepCursor += 1 }
            if !steps.isEmpty {
                let s = steps[stepCursor]
                let since = t - s.icSeconds
                if since >= 0 && since < 0.2 {
                    let f0 = 70 + 15 * Double(stepCursor % 3)
                    v += thumpAmp * s.intensity * exp(-since / 0.025) * sin(2 * .pi * f0 * since)
                        * min(1, since / 0.002)
                }
                if since >= 0 && since < s.durationSeconds * 1.2 {
                    let u = since / s.durationSeconds
                    if u > 0.25 && u < 0.9 {
                        // High-passed noise (first difference) with a smooth swing envelope.
                        let x = rng.gaussian()
                        let hp = x - rustleState
                        rustleState = x
                        v += rustleAmp * 0.7 * hp * sin(.pi * (u - 0.25) / 0.65)
                    }
                }
            }
            // Scheduled events.
            while eventCursor < events.count && events[eventCursor].onsetSeconds <= t {
                active.append(eventCursor)
                eventCursor += 1
            }
            if !active.isEmpty {
                var k = 0
                while k < active.count {
                    let e = events[active[k]]
                    let tau = t - e.onsetSeconds
                    if tau > e.durationSeconds + 0.03 {
                        active.remove(at: k)
                        continue
                    }
                    v += pow(10, e.levelDbfs / 20) * Self.eventShape(e, tau: tau, noise: rng.gaussian())
                    k += 1
                }
            }
            out.append(Float(max(-1, min(1, v))))
        }
    }
}
