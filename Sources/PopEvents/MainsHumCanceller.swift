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
    /// What every sample updates: the references (c, s), the weights (a, b) and the residual's magnitude, running
    /// mean (time constant 0.5 s), clipped at the gate so that an outlier moves it by a bounded step.
    private struct State {
        var c: Lanes, s: Lanes
        var a = Lanes(), b = Lanes()
        var scale = 0.0
    }
    private var state: State
    private var cd: Lanes, sd: Lanes
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
        state = State(c: u, s: Lanes())
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
    func step(_ x: Double) -> Double {
        var one = SIMD2(x, 0)
        run(&one, lane: 0, count: 1)
        return one[0]
    }

    /// Removes the hum from lane `lane` of `buf[0..<n]` in place. The state lives in a local (in registers) through
    /// the run. While settling every sample updates, fast, and the frequency lock is checked per sample; after it,
    /// once per run.
    @inline(__always) func run(_ buf: UnsafeMutablePointer<SIMD2<Double>>, lane: Int, count n: Int) {
        var st = state
        var k = 0
        while k < n && samples < warmupSamples {
            buf[k][lane] = Self.cancel(buf[k][lane], &st, cd: cd, sd: sd, mu: muFast, gate: nil, alpha: 0.02)
            samples += 1
            k += 1
            sinceLock += 1
            if sinceLock >= lockSamples {
                state = st
                lock()
                st = state
            }
        }
        guard k < n else { state = st; return }
        let cd = self.cd, sd = self.sd
        let mu = muSlow, gate = self.gate, alpha = scaleAlpha
        for j in k..<n { buf[j][lane] = Self.cancel(buf[j][lane], &st, cd: cd, sd: sd, mu: mu, gate: gate, alpha: alpha) }
        state = st
        sinceLock += n - k
        if sinceLock >= lockSamples { lock() }
    }

    /// One sample: the residual out; weights, references and scale updated. A residual beyond `gate` × the scale
    /// does not update the weights; `gate` nil (settling): every sample does, and the scale follows the residual
    /// unclipped.
    @inline(__always)
    private static func cancel(_ x: Double, _ st: inout State, cd: Lanes, sd: Lanes, mu: Double, gate: Double?,
                               alpha: Double) -> Double {
        let e = x - (st.a * st.c + st.b * st.s).sum()
        let m = abs(e)
        if let gate {
            let limit = gate * st.scale
            if m < limit {
                st.a += (mu * e) * st.c
                st.b += (mu * e) * st.s
            }
            st.scale += alpha * (min(m, limit) - st.scale)
        } else {
            st.a += (mu * e) * st.c
            st.b += (mu * e) * st.s
            st.scale += alpha * (m - st.scale)
        }
        let nc = st.c * cd - st.s * sd
        st.s = st.s * cd + st.c * sd
        st.c = nc
        return e
    }

    /// Every `lockSamples`: renormalise the references (rounding would let them drift off the unit circle) and
    /// move the frequency by the strongest harmonic's weight turn.
    private func lock() {
        let elapsed = sinceLock
        sinceLock = 0
        let r = state.c * state.c + state.s * state.s
        for i in 0..<Self.maxHarmonics where order[i] > 0 {
            let k = 1 / r[i].squareRoot()
            state.c[i] *= k
            state.s[i] *= k
        }
        let p = state.a * state.a + state.b * state.b
        var best = -1
        var bestP = 0.0
        for i in 0..<Self.maxHarmonics where order[i] > 0 && p[i] > bestP { best = i; bestP = p[i] }
        guard best >= 0, bestP > 0 else { return }
        // The hum A cos(2πk·f·t − φ₀) is a·cos φ + b·sin φ = A cos(φ − θ) with θ = atan2(b, a); a reference at
        // f + δ makes θ grow at 2π·k·δ. The loop (5 % of the measured error per 20 ms, an integrator of gain
        // 2.5/s) against the weights' own 0.3 s lag is damped at ζ ≈ 0.6: locked within ~2 s.
        let angle = atan2(state.b[best], state.a[best])
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

/// A canceller as narrow as its harmonics allow (the per-sample cost grows with the lane width); a class, so the
/// detector's per-hop calls copy nothing.
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
