import Foundation

/// Removes mains hum from one band (the detection band or the heel-thump band) by subtracting it: each harmonic is
/// a sinusoid whose amplitude and phase are learned by LMS against a cosine/sine reference (B. Widrow et al.,
/// "Adaptive noise cancelling: principles and applications", Proc. IEEE 63(12), 1975, §VI: the adaptive notch), and
/// learned **only from samples that look like background**.
///
/// Why not notch filters: a notch is a resonator. A 4 Hz-wide notch answers any sound with energy near its centre by
/// ringing for ~1/(π × 4 Hz) ≈ 80 ms, and after a heel thump whose overtone lies near a weak harmonic that ring is a
/// 25–30 ms tone that the onset detector calls a snap (docs/POPS-VALIDATION.md, "mains notches ring after heel
/// thumps"). An LMS canceller is the same notch while every sample updates it. Here a sample whose residual is
/// more than `gate` times the residual's running mean magnitude does not update the weights: a thump, a pop or
/// rustle leaves the hum estimate where it was, the hum is still subtracted underneath it, and nothing rings.
///
/// Mains frequency drifts (±0.05 Hz typical, ±0.2 Hz allowed on European grids). A frequency error δ turns harmonic
/// k's weights at 2πkδ rad/s; a frequency-locked loop measures that turn on the strongest harmonic every ~20 ms and
/// moves the reference frequency to stop it.
///
/// Harmonics side by side in SIMD lanes (`Lanes`: 2, 4 or 8 wide, as few as the harmonics need, since every lane
/// costs a rotation per sample; unused lanes have a zero reference and stay at zero). No allocation after
/// construction. `HumCancellerLanes` picks the width.
final class MainsHumCanceller<Lanes: SIMD> where Lanes.Scalar == Double {
    static var maxHarmonics: Int { Lanes.scalarCount }

    let sampleRateHz: Double
    let baseHz: Double
    /// Harmonic numbers (mains multiples) per lane; 0 = unused.
    let order: Lanes
    private(set) var offsetHz = 0.0
    private var c: Lanes, s: Lanes
    private var cd: Lanes, sd: Lanes
    private var a = Lanes(), b = Lanes()
    /// Residual magnitude, running mean (time constant 0.5 s), clipped at the gate so that an outlier
    /// moves it by a bounded step.
    private var scale = 0.0
    private var samples = 0
    private let warmupSamples: Int
    private let muFast: Double, muSlow: Double
    private let scaleAlpha: Double
    private let gate: Double
    private var lastAngle = Double.nan
    private var sinceLock = 0
    private let lockSamples: Int

    /// - Parameters:
    ///   - harmonicsHz: the harmonics to remove (multiples of `mainsHz`), at most `Lanes.scalarCount`.
    ///   - settleSeconds: weight time constant while the canceller first settles (every sample updates).
    ///   - holdSeconds: weight time constant afterwards (a 0.3 s constant is a ~1 Hz-wide notch).
    init(mainsHz: Double, harmonicsHz: [Double], sampleRateHz fs: Double, settleSeconds: Double = 0.08,
         holdSeconds: Double = 0.3, gate: Double = 3.0) {
        sampleRateHz = fs
        baseHz = mainsHz
        var o = Lanes()
        for (i, hz) in harmonicsHz.prefix(Self.maxHarmonics).enumerated() { o[i] = (hz / mainsHz).rounded() }
        order = o
        var u = Lanes()
        for i in o.indices where o[i] > 0 { u[i] = 1 }
        c = u
        s = Lanes()
        cd = Lanes(repeating: 1)
        sd = Lanes()
        // LMS on a unit-amplitude reference: E[cos²] = 1/2, so the weight error decays as (1 − μ/2) per sample.
        muFast = 2 / (settleSeconds * fs)
        muSlow = 2 / (holdSeconds * fs)
        warmupSamples = Int(3 * settleSeconds * fs)
        scaleAlpha = 1 / (0.5 * fs)
        self.gate = gate
        lockSamples = max(1, Int(0.02 * fs))
        setRotation()
    }

    private func setRotation() {
        let w = 2 * Double.pi * (baseHz + offsetHz) / sampleRateHz
        for i in 0..<Self.maxHarmonics where order[i] > 0 {
            cd[i] = cos(order[i] * w)
            sd[i] = sin(order[i] * w)
        }
    }

    /// One sample in, the sample without hum out.
    @inline(__always) func step(_ x: Double) -> Double {
        let e = x - (a * c + b * s).sum()
        let m = abs(e)
        if samples < warmupSamples {
            // Settling: every sample updates, fast; the scale follows the residual as it is.
            a += (muFast * e) * c
            b += (muFast * e) * s
            scale += 0.02 * (m - scale)
            samples += 1
        } else {
            let limit = gate * scale
            if m < limit {
                a += (muSlow * e) * c
                b += (muSlow * e) * s
            }
            scale += scaleAlpha * (min(m, limit) - scale)
        }
        let nc = c * cd - s * sd
        s = s * cd + c * sd
        c = nc
        sinceLock += 1
        if sinceLock >= lockSamples { lock() }
        return e
    }

    /// `step` over lane `lane` of `buf[0..<n]` in place. After settling, the loop keeps the state in locals (in
    /// registers) and checks the frequency lock once per run instead of once per sample: the same arithmetic as
    /// `step`, about a third cheaper.
    @inline(__always) func run(_ buf: UnsafeMutablePointer<SIMD2<Double>>, lane: Int, count n: Int) {
        var k = 0
        while k < n && samples < warmupSamples {
            buf[k][lane] = step(buf[k][lane])
            k += 1
        }
        guard k < n else { return }
        var a = self.a, b = self.b, c = self.c, s = self.s
        let cd = self.cd, sd = self.sd
        var scale = self.scale
        let mu = muSlow, gate = self.gate, alpha = scaleAlpha
        for j in k..<n {
            let e = buf[j][lane] - (a * c + b * s).sum()
            let m = abs(e)
            let limit = gate * scale
            if m < limit {
                a += (mu * e) * c
                b += (mu * e) * s
            }
            scale += alpha * (min(m, limit) - scale)
            let nc = c * cd - s * sd
            s = s * cd + c * sd
            c = nc
            buf[j][lane] = e
        }
        self.a = a; self.b = b; self.c = c; self.s = s
        self.scale = scale
        sinceLock += n - k
        if sinceLock >= lockSamples { lock() }
    }

    /// Every `lockSamples`: renormalise the references (rounding would let them drift off the unit circle) and
    /// move the frequency by the strongest harmonic's weight turn.
    private func lock() {
        let elapsed = sinceLock
        sinceLock = 0
        let r = (c * c + s * s)
        for i in 0..<Self.maxHarmonics where order[i] > 0 {
            let k = 1 / r[i].squareRoot()
            c[i] *= k
            s[i] *= k
        }
        let p = a * a + b * b
        var best = -1
        var bestP = 0.0
        for i in 0..<Self.maxHarmonics where order[i] > 0 && p[i] > bestP { best = i; bestP = p[i] }
        guard best >= 0, bestP > 0 else { return }
        // The hum A cos(2πk·f·t − φ₀) is a·cos φ + b·sin φ = A cos(φ − θ) with θ = atan2(b, a); a reference at
        // f + δ makes θ grow at 2π·k·δ. The loop (5 % of the measured error per 20 ms, an integrator of gain
        // 2.5/s) against the weights' own 0.3 s lag is damped at ζ ≈ 0.6: locked within ~2 s.
        let angle = atan2(b[best], a[best])
        if lastAngle.isFinite {
            var d = angle - lastAngle
            if d > .pi { d -= 2 * .pi } else if d < -.pi { d += 2 * .pi }
            let dt = Double(elapsed) / sampleRateHz
            let rateHz = d / (2 * .pi * order[best] * dt)
            offsetHz = min(0.5, max(-0.5, offsetHz - 0.05 * rateHz))
            setRotation()
        }
        lastAngle = angle
    }
}

/// A canceller (a class: the detector's per-hop calls copy nothing) as narrow as its harmonics allow (the per-sample cost grows with the lane width).
enum HumCancellerLanes {
    case two(MainsHumCanceller<SIMD2<Double>>)
    case four(MainsHumCanceller<SIMD4<Double>>)
    case eight(MainsHumCanceller<SIMD8<Double>>)

    init(mainsHz: Double, harmonicsHz: [Double], sampleRateHz fs: Double) {
        switch harmonicsHz.count {
        case ...2: self = .two(.init(mainsHz: mainsHz, harmonicsHz: harmonicsHz, sampleRateHz: fs))
        case ...4: self = .four(.init(mainsHz: mainsHz, harmonicsHz: harmonicsHz, sampleRateHz: fs))
        default: self = .eight(.init(mainsHz: mainsHz, harmonicsHz: harmonicsHz, sampleRateHz: fs))
        }
    }

    /// Removes the hum from lane `lane` of `buf[0..<n]` in place.
    func run(_ buf: UnsafeMutablePointer<SIMD2<Double>>, lane: Int, count n: Int) {
        switch self {
        case .two(let c): c.run(buf, lane: lane, count: n)
        case .four(let c): c.run(buf, lane: lane, count: n)
        case .eight(let c): c.run(buf, lane: lane, count: n)
        }
    }
}
