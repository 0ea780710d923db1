import Foundation

/// One second-order IIR section in transposed direct form II, with `Double` state so that low cut-offs at 48 kHz
/// (poles within 1 % of the unit circle) stay accurate.
///
/// Coefficients follow R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter coefficients" (bilinear
/// transform with the cut-off pre-warped), which makes a cascade of sections with the Butterworth pole Qs an exact
/// Butterworth response at the cut-off.
struct Biquad {
    var b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0
    var z1 = 0.0, z2 = 0.0

    @inline(__always) mutating func step(_ x: Double) -> Double {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }

    /// Zeroes state that has decayed to nothing: with digital silence at the input a decaying state would
    /// otherwise become subnormal, and subnormal arithmetic is up to 100× slower on x86.
    @inline(__always) mutating func flushTiny() {
        if abs(z1) < 1e-25 { z1 = 0 }
        if abs(z2) < 1e-25 { z2 = 0 }
    }

    mutating func reset() { z1 = 0; z2 = 0 }

    private static func omega(_ hz: Double, _ fs: Double) -> (cos: Double, sin: Double) {
        let w = 2 * Double.pi * hz / fs
        return (cos(w), sin(w))
    }

    static func lowPass(cutoffHz: Double, sampleRateHz fs: Double, q: Double = 0.5.squareRoot()) -> Biquad {
        let (c, s) = omega(cutoffHz, fs)
        let alpha = s / (2 * q), a0 = 1 + alpha
        return Biquad(b0: (1 - c) / 2 / a0, b1: (1 - c) / a0, b2: (1 - c) / 2 / a0,
                      a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    static func highPass(cutoffHz: Double, sampleRateHz fs: Double, q: Double = 0.5.squareRoot()) -> Biquad {
        let (c, s) = omega(cutoffHz, fs)
        let alpha = s / (2 * q), a0 = 1 + alpha
        return Biquad(b0: (1 + c) / 2 / a0, b1: -(1 + c) / a0, b2: (1 + c) / 2 / a0,
                      a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    /// A band-pass of 0 dB peak gain at `centreHz` and quality `q` (centre / −3 dB width): one resonance, the shape
    /// of a damped ring's spectrum.
    static func bandPass(centreHz: Double, q: Double, sampleRateHz fs: Double) -> Biquad {
        let (c, s) = omega(centreHz, fs)
        let alpha = s / (2 * q), a0 = 1 + alpha
        return Biquad(b0: alpha / a0, b1: 0, b2: -alpha / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    /// A notch of -3 dB width `bandwidthHz` centred on `centreHz` (unity gain elsewhere).
    static func notch(centreHz: Double, bandwidthHz: Double, sampleRateHz fs: Double) -> Biquad {
        let (c, s) = omega(centreHz, fs)
        let q = centreHz / bandwidthHz
        let alpha = s / (2 * q), a0 = 1 + alpha
        return Biquad(b0: 1 / a0, b1: -2 * c / a0, b2: 1 / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    /// Pole-pair Qs of an even-order Butterworth filter: 1 / (2 sin((2k+1)π / 2n)).
    static func butterworthQs(order: Int) -> [Double] {
        precondition(order >= 2 && order % 2 == 0, "even Butterworth orders only")
        return (0..<(order / 2)).map { k in 1 / (2 * sin(Double(2 * k + 1) * .pi / Double(2 * order))) }
    }
}

/// Two cascaded sections (4th-order Butterworth low- or high-pass, or a 2nd-order band from one of each).
struct BiquadPair {
    var a: Biquad
    var b: Biquad

    @inline(__always) mutating func step(_ x: Double) -> Double { b.step(a.step(x)) }
    @inline(__always) mutating func flushTiny() { a.flushTiny(); b.flushTiny() }

    static func butterworthLowPass(cutoffHz: Double, sampleRateHz fs: Double) -> BiquadPair {
        let q = Biquad.butterworthQs(order: 4)
        return BiquadPair(a: .lowPass(cutoffHz: cutoffHz, sampleRateHz: fs, q: q[0]),
                          b: .lowPass(cutoffHz: cutoffHz, sampleRateHz: fs, q: q[1]))
    }

    static func butterworthHighPass(cutoffHz: Double, sampleRateHz fs: Double) -> BiquadPair {
        let q = Biquad.butterworthQs(order: 4)
        return BiquadPair(a: .highPass(cutoffHz: cutoffHz, sampleRateHz: fs, q: q[0]),
                          b: .highPass(cutoffHz: cutoffHz, sampleRateHz: fs, q: q[1]))
    }

    /// 2nd-order high-pass at `lowHz` then 2nd-order low-pass at `highHz`.
    static func band(lowHz: Double, highHz: Double, sampleRateHz fs: Double) -> BiquadPair {
        BiquadPair(a: .highPass(cutoffHz: lowHz, sampleRateHz: fs), b: .lowPass(cutoffHz: highHz, sampleRateHz: fs))
    }
}

/// Four cascaded sections: the 8th-order Butterworth high-pass that defines the detection band. Its -48 dB per
/// octave skirt is what takes a heel-strike thump (60–150 Hz, often 20 dB louder than a pop) below the body noise
/// while leaving a 400 Hz tendon snap almost untouched.
struct BiquadQuad {
    var a: Biquad, b: Biquad, c: Biquad, d: Biquad

    @inline(__always) mutating func step(_ x: Double) -> Double { d.step(c.step(b.step(a.step(x)))) }
    @inline(__always) mutating func flushTiny() { a.flushTiny(); b.flushTiny(); c.flushTiny(); d.flushTiny() }

    static func butterworthHighPass(cutoffHz: Double, sampleRateHz fs: Double) -> BiquadQuad {
        let q = Biquad.butterworthQs(order: 8)
        return BiquadQuad(a: .highPass(cutoffHz: cutoffHz, sampleRateHz: fs, q: q[0]),
                          b: .highPass(cutoffHz: cutoffHz, sampleRateHz: fs, q: q[1]),
                          c: .highPass(cutoffHz: cutoffHz, sampleRateHz: fs, q: q[2]),
                          d: .highPass(cutoffHz: cutoffHz, sampleRateHz: fs, q: q[3]))
    }
}

/// Sections of independent filters side by side, one per SIMD lane: per lane exactly `Biquad`'s operations in
/// `Biquad`'s order (so bit-for-bit its output), one vector instruction for all lanes. The detector's per-sample
/// filters are throughput-bound (each section's own recursion overlaps the others'), so running two or four
/// sections for the price of one is most of its speed. A lane holding `Biquad()` passes its input through.
struct LaneBiquad<V: SIMD> where V.Scalar == Double {
    var b0: V, b1: V, b2: V, a1: V, a2: V
    var z1 = V(), z2 = V()

    /// One section per lane (`sections.count` == lanes).
    init(_ sections: [Biquad]) {
        precondition(sections.count == V.scalarCount)
        b0 = V(sections.map(\.b0)); b1 = V(sections.map(\.b1)); b2 = V(sections.map(\.b2))
        a1 = V(sections.map(\.a1)); a2 = V(sections.map(\.a2))
        z1 = V(sections.map(\.z1)); z2 = V(sections.map(\.z2))
    }

    @inline(__always) mutating func step(_ x: V) -> V {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }

    /// Puts section `s` (coefficients and state) in lane `lane`, leaving the other lanes as they are.
    mutating func setLane(_ lane: Int, to s: Biquad) {
        b0[lane] = s.b0; b1[lane] = s.b1; b2[lane] = s.b2; a1[lane] = s.a1; a2[lane] = s.a2
        z1[lane] = s.z1; z2[lane] = s.z2
    }

    /// `Biquad.flushTiny` per lane.
    @inline(__always) mutating func flushTiny() {
        z1.replace(with: 0, where: (z1 .< 1e-25) .& (z1 .> -1e-25))
        z2.replace(with: 0, where: (z2 .< 1e-25) .& (z2 .> -1e-25))
    }
}
