import Foundation

/// Two unit vectors orthogonal to `up`, chosen deterministically (Gram–Schmidt on the sensor axis least aligned with
/// it, first axis on ties), as in the prototype's `horizontal_basis`.
struct HorizontalBasis {
    let e1: SIMD3<Double>
    let e2: SIMD3<Double>

    init(up u: SIMD3<Double>) {
        var idx = 0
        var best = abs(u.x)
        if abs(u.y) < best { idx = 1; best = abs(u.y) }
        if abs(u.z) < best { idx = 2 }
        var e = SIMD3<Double>(repeating: 0)
        e[idx] = 1
        e1 = (e - e.dot(u) * u).normalized
        e2 = u.cross(e1)
    }
}

/// Statistics from which the forward (AP) axis is solved (docs/research/gait/ALGORITHM.md §2.3), kept in 3-D sensor coordinates so that
/// they can be pooled over bouts with slightly different vertical directions (the §2 port recommendation).
///
/// *Why a lag covariance:* AP acceleration repeats every step while ML acceleration flips sign every step (its
/// period is the stride), so at a lag of one step the horizontal covariance is large and positive along AP and
/// negative along ML. *Why the sign vector:* in the inverted-pendulum model (Zijlstra & Hof 2003) forward speed is
/// highest when the trunk is lowest, so a_AP leads a_V by a quarter step and corr(a_AP(t), a_V(t + T/4)) > 0 for the
/// forward direction. The correlation is linear in the axis, so its 3-vector Σ a_h(t)·a_V(t + q) can be pooled too.
struct ForwardAxisStatistics {
    /// sym(Σ a_h(t)·a_h(t+L)ᵀ) / Σ |a_h(t)|², a_h = horizontal part of the filtered acceleration.
    var lagCovariance = Matrix3.zero
    /// Σ a_h(t)·a_V(t+q) / √(Σ|a_h(t)|² · Σ a_V(t+q)²).
    var signVector = SIMD3<Double>(repeating: 0)
    /// Steps (ICs) behind the statistics.
    var weight = 0.0

    mutating func add(_ o: ForwardAxisStatistics, weight w: Double) {
        lagCovariance = lagCovariance + o.lagCovariance * w
        signVector += o.signVector * w
        weight += w
    }

    /// Forward axis in the plane ⟂ `up`: direction of the largest eigenvalue of the projected 2×2 covariance,
    /// θ = ½·atan2(2M01, M00 − M11), signed by the sign vector. Returns the axis and the sign statistic (≥ 0,
    /// weight-normalised; close to 0 means the sign is uncertain).
    func forward(up u: SIMD3<Double>) -> (ap: SIMD3<Double>, sign: Double) {
        let b = HorizontalBasis(up: u)
        let p = lagCovariance.form(b.e1, b.e1)
        let q = lagCovariance.form(b.e1, b.e2)
        let r = lagCovariance.form(b.e2, b.e2)
        let th = 0.5 * atan2(2 * q, p - r)
        var ap = cos(th) * b.e1 + sin(th) * b.e2
        var s = ap.dot(signVector) / Swift.max(weight, 1e-12)
        if s < 0 { ap = -ap; s = -s }
        return (ap, s)
    }
}

/// One bout's forward-axis estimate: its statistics (for pooling) and the prototype's own per-bout axis and sign
/// statistic (kept as a diagnostic).
struct BoutAxisEstimate {
    var statistics: ForwardAxisStatistics
    var perBoutForward: SIMD3<Double>
    var perBoutSign: Double
}

enum ForwardAxisEstimator {
    /// The prototype's `estimate_ap` on samples `range` of the session (acc in g, per axis), plus the normalised
    /// statistics for pooling. `nil` when the segment is not longer than one step lag + 2 samples.
    static func estimate(ax: UnsafeBufferPointer<Double>, ay: UnsafeBufferPointer<Double>,
                         az: UnsafeBufferPointer<Double>, range: Range<Int>, up u: SIMD3<Double>,
                         stepSeconds: Double, rateHz: Double, kernel: GaussianKernel) -> BoutAxisEstimate? {
        let n = range.count
        let lag = Swift.max(1, samples(stepSeconds, rateHz))
        guard n > lag + 2 else { return nil }
        // a = gauss(acc − mean, σ_axis) per axis, edges padded within the segment
        func filtered(_ x: UnsafeBufferPointer<Double>) -> ContiguousArray<Double> {
            var m = 0.0
            for i in range { m += x[i] }
            m /= Double(n)
            var seg = ContiguousArray<Double>(repeating: 0, count: n)
            for i in 0..<n { seg[i] = x[range.lowerBound + i] - m }
            return BatchFilters.correlate(seg, kernel)
        }
        let fx = filtered(ax), fy = filtered(ay), fz = filtered(az)
        return fx.withUnsafeBufferPointer { px in
            fy.withUnsafeBufferPointer { py in
                fz.withUnsafeBufferPointer { pz in
                    @inline(__always) func a(_ t: Int) -> SIMD3<Double> { SIMD3(px[t], py[t], pz[t]) }
                    var c = Matrix3.zero
                    var e = 0.0
                    for t in 0..<(n - lag) {
                        let v0 = a(t), v1 = a(t + lag)
                        let h0 = v0 - v0.dot(u) * u
                        let h1 = v1 - v1.dot(u) * u
                        c.addOuter(h0, h1)
                        e += h0.dot(h0)
                    }
                    let q = Swift.max(1, samples(stepSeconds / 4, rateHz))
                    var cv = SIMD3<Double>(repeating: 0)
                    var second = Matrix3.zero
                    var eh = 0.0, ev = 0.0
                    if n > q {
                        for t in 0..<(n - q) {
                            let v0 = a(t)
                            let h0 = v0 - v0.dot(u) * u
                            let av = a(t + q).dot(u)
                            cv += h0 * av
                            second.addOuter(h0, h0)
                            eh += h0.dot(h0)
                            ev += av * av
                        }
                    }
                    var stats = ForwardAxisStatistics()
                    stats.lagCovariance = c.symmetrized * (1 / (e + 1e-12))
                    stats.signVector = cv / ((eh * ev).squareRoot() + 1e-12)
                    stats.weight = 1
                    // per-bout axis exactly as the prototype: θ from the covariance, sign from corr(a·AP, a_V(+q))
                    var ap = stats.forward(up: u).ap
                    let xNorm = second.form(ap, ap).squareRoot()
                    var s = ap.dot(cv) / (xNorm * ev.squareRoot() + 1e-12)
                    if s < 0 { ap = -ap; s = -s }
                    return BoutAxisEstimate(statistics: stats, perBoutForward: ap, perBoutSign: s)
                }
            }
        }
    }
}
