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

    /// Forgets the past by `decay` (0–1) and adds one more stretch (weight 1): the streaming analyzer's running axis.
    mutating func add(_ o: ForwardAxisStatistics, decay: Double) {
        lagCovariance = lagCovariance * decay + o.lagCovariance
        signVector = signVector * decay + o.signVector
        weight = weight * decay + o.weight
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

/// The raw sums behind `ForwardAxisStatistics` over one stretch of walking, measured the same way by the batch
/// analyzer (a bout's filtered arrays) and the streaming one (its rings, one confirmed step at a time): one
/// implementation, so both learn the same axis from the same samples.
struct ForwardAxisSums {
    /// Σ h(t)·h(t+L)ᵀ over t with t + L still held (L = one step).
    var lagProduct = Matrix3.zero
    /// Σ |h(t)|² over the same t.
    var lagEnergy = 0.0
    /// Σ h(t)·v(t+q) (q = a quarter step): the forward sign.
    var signProduct = SIMD3<Double>(repeating: 0)
    var signEnergyHorizontal = 0.0
    var signEnergyVertical = 0.0
    /// Σ h(t)·h(t)ᵀ over the sign's t (only when asked: the batch per-bout diagnostic needs it).
    var secondMoment = Matrix3.zero

    /// Sums over t in [from, to) whose partner sample (t + lag, t + quarter) is at most `newest`. `horizontal(t)` is
    /// the horizontal part of the filtered acceleration, `vertical(t)` its vertical part.
    @inline(__always)
    static func measure(from a: Int, to b: Int, newest: Int, lag: Int, quarter q: Int, secondMoment: Bool,
                        horizontal: (Int) -> SIMD3<Double>, vertical: (Int) -> Double) -> ForwardAxisSums {
        var out = ForwardAxisSums()
        var t = a
        while t < b && t + lag <= newest {
            let h0 = horizontal(t)
            out.lagProduct.addOuter(h0, horizontal(t + lag))
            out.lagEnergy += h0.dot(h0)
            t += 1
        }
        t = a
        while t < b && t + q <= newest {
            let h0 = horizontal(t)
            let v = vertical(t + q)
            out.signProduct += h0 * v
            if secondMoment { out.secondMoment.addOuter(h0, h0) }
            out.signEnergyHorizontal += h0.dot(h0)
            out.signEnergyVertical += v * v
            t += 1
        }
        return out
    }

    /// The normalised statistics of this stretch (weight 1), as pooled over bouts or forgotten over time.
    var statistics: ForwardAxisStatistics {
        var stats = ForwardAxisStatistics()
        stats.lagCovariance = lagProduct.symmetrized * (1 / (lagEnergy + 1e-12))
        stats.signVector = signProduct / ((signEnergyHorizontal * signEnergyVertical).squareRoot() + 1e-12)
        stats.weight = 1
        return stats
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
    static func estimate(acc: (Int) -> SIMD3<Double>, range: Range<Int>, up u: SIMD3<Double>,
                         stepSeconds: Double, rateHz: Double, kernel: GaussianKernel) -> BoutAxisEstimate? {
        let n = range.count
        let lag = Swift.max(1, samples(stepSeconds, rateHz))
        guard n > lag + 2 else { return nil }
        // a = gauss(acc − mean, σ_axis) per axis, edges padded within the segment
        var sx = ContiguousArray<Double>(repeating: 0, count: n), sy = sx, sz = sx
        var mx = 0.0, my = 0.0, mz = 0.0
        for i in 0..<n {
            let a = acc(range.lowerBound + i)
            sx[i] = a.x; sy[i] = a.y; sz[i] = a.z
            mx += a.x; my += a.y; mz += a.z
        }
        mx /= Double(n); my /= Double(n); mz /= Double(n)
        func filtered(_ seg: inout ContiguousArray<Double>, _ m: Double) -> ContiguousArray<Double> {
            for i in 0..<n { seg[i] -= m }
            return BatchFilters.correlate(seg, kernel)
        }
        let fx = filtered(&sx, mx), fy = filtered(&sy, my), fz = filtered(&sz, mz)
        return fx.withUnsafeBufferPointer { px in
            fy.withUnsafeBufferPointer { py in
                fz.withUnsafeBufferPointer { pz in
                    @inline(__always) func a(_ t: Int) -> SIMD3<Double> { SIMD3(px[t], py[t], pz[t]) }
                    let q = Swift.max(1, samples(stepSeconds / 4, rateHz))
                    let sums = ForwardAxisSums.measure(from: 0, to: n, newest: n - 1, lag: lag, quarter: q,
                                                       secondMoment: true,
                                                       horizontal: { let v = a($0); return v - v.dot(u) * u },
                                                       vertical: { a($0).dot(u) })
                    let cv = sums.signProduct, second = sums.secondMoment, ev = sums.signEnergyVertical
                    let stats = sums.statistics
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
