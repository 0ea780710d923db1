import Foundation

/// Finds the mains frequency (50 or 60 Hz) and which of its harmonics are really present, from the first seconds
/// of audio, with Goertzel filters (G. Goertzel, "An algorithm for the evaluation of finite trigonometric series",
/// Amer. Math. Monthly 65, 1958): one two-multiply recursion per frequency, no FFT buffer.
///
/// Hum is a pure tone, so each harmonic is judged by its *tonality*: power on the harmonic against the mean power
/// 3 Hz either side (the probe window resolves 0.5 Hz at 2 s). A heel thump or rustle is broadband and raises the
/// neighbours as much as the harmonic. The family (50 or 60) is chosen on harmonics 1–3 and 5 (300 Hz, common to
/// both families, says nothing); harmonics that stand out become notch filters.
struct MainsHumProbe {
    struct Tone {
        var hz: Double
        var coeff: Double
        var s1 = 0.0, s2 = 0.0
        init(hz: Double, sampleRateHz: Double) {
            self.hz = hz
            coeff = 2 * cos(2 * Double.pi * hz / sampleRateHz)
        }
        @inline(__always) mutating func feed(_ x: Double) {
            let s = x + coeff * s1 - s2
            s2 = s1
            s1 = s
        }
        var power: Double { s1 * s1 + s2 * s2 - coeff * s1 * s2 }
    }

    static let families = [50.0, 60.0]
    let harmonics: Int
    let neighbourHz = 3.0
    /// Per family: harmonics × (on, below, above).
    private var tones: [Tone]
    private(set) var samples = 0

    init(sampleRateHz: Double, harmonics: Int) {
        self.harmonics = harmonics
        var t: [Tone] = []
        for f0 in Self.families {
            for k in 1...harmonics {
                let f = f0 * Double(k)
                t.append(Tone(hz: f, sampleRateHz: sampleRateHz))
                t.append(Tone(hz: f - neighbourHz, sampleRateHz: sampleRateHz))
                t.append(Tone(hz: f + neighbourHz, sampleRateHz: sampleRateHz))
            }
        }
        tones = t
    }

    mutating func feed(_ block: UnsafeBufferPointer<Float>, from a: Int, to b: Int) {
        samples += b - a
        tones.withUnsafeMutableBufferPointer { p in
            for k in a..<b {
                let x = Double(block[k])
                for i in p.indices { p[i].feed(x) }
            }
        }
    }

    /// Tonality (dB, harmonic over its neighbours) of harmonic `k` (1-based) of family `f`.
    func tonalityDb(family f: Int, harmonic k: Int) -> Double {
        let i = (f * harmonics + (k - 1)) * 3
        let on = tones[i].power, off = (tones[i + 1].power + tones[i + 2].power) / 2
        return 10 * log10(max(on, 1e-30) / max(off, 1e-30))
    }

    struct Decision {
        var mainsHz: Double?
        /// Harmonic frequencies to notch.
        var notchHz: [Double]
    }

    /// The decision. `minToneDb`: how far a harmonic must stand above its neighbours to count as hum.
    func decide(minToneDb: Double, notchFromHz: Double, maxHz: Double, maxNotches: Int) -> Decision {
        var best = -1
        var bestScore = 0.0
        for f in 0..<Self.families.count {
            var score = 0.0
            var present = false
            for k in [1, 2, 3, 5] where k <= harmonics && Self.families[f] * Double(k) < maxHz {
                // 60 × 5 = 300 = 50 × 6: skip the one harmonic both families share.
                if Self.families[f] * Double(k) == 300 { continue }
                let db = tonalityDb(family: f, harmonic: k)
                if db >= minToneDb { present = true }
                score += max(0, db)
            }
            if present && score > bestScore { bestScore = score; best = f }
        }
        guard best >= 0 else { return Decision(mainsHz: nil, notchHz: []) }
        var notch: [Double] = []
        for k in 1...harmonics {
            let hz = Self.families[best] * Double(k)
            guard hz >= notchFromHz, hz < maxHz, notch.count < maxNotches else { continue }
            if tonalityDb(family: best, harmonic: k) >= minToneDb { notch.append(hz) }
        }
        return Decision(mainsHz: Self.families[best], notchHz: notch)
    }
}
