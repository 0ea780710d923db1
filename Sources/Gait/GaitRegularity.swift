/// Step and stride regularity (Moe-Nilssen & Helbostad 2004): the autocorrelation of vertical trunk acceleration
/// at a lag of one step (the first dominant peak, Ad1) and one stride (the second, Ad2).
///
/// Computed on the mean-removed a_v_hp over a bout (first to last IC) as the normalised correlation
/// Σ x[i]·x[i+l] / (‖x[0:N−l]‖·‖x[l:N]‖) — the same estimator as the per-step periodicity (§3.4), which is unbiased
/// in the sense of Moe-Nilssen (each lag normalised by its own overlap). The peak is searched over
/// [0.75, 1.33] × the median step (Ad1) and [0.75, 1.33] × two steps (Ad2). 1 = identical steps/strides.
enum GaitRegularity {
    static func compute(_ x: UnsafeBufferPointer<Double>, range: Range<Int>, stepSamples L: Int,
                        minLagFraction: Double, maxLagFraction: Double) -> (step: Double?, stride: Double?) {
        let n = range.count
        guard L > 0, n > L + 1 else { return (nil, nil) }
        var seg = ContiguousArray<Double>(repeating: 0, count: n)
        var prefix = ContiguousArray<Double>(repeating: 0, count: n + 1)
        var mean = 0.0
        for i in 0..<n { mean += x[range.lowerBound + i] }
        mean /= Double(n)
        for i in 0..<n {
            let v = x[range.lowerBound + i] - mean
            seg[i] = v
            prefix[i + 1] = prefix[i] + v * v
        }
        return seg.withUnsafeBufferPointer { s in
            prefix.withUnsafeBufferPointer { p in
                func best(_ lo: Int, _ hi: Int) -> Double? {
                    var b: Double?
                    var l = Swift.max(1, lo)
                    while l <= hi && n > l + 1 {
                        let dot = dotProduct(s.baseAddress!, s.baseAddress! + l, count: n - l)
                        let r = dot / (Swift.max(p[n - l], 0).squareRoot() * Swift.max(p[n] - p[l], 0).squareRoot() + 1e-12)
                        if b == nil || r > b! { b = r }
                        l += 1
                    }
                    return b
                }
                let step = best(Int(minLagFraction * Double(L)), Int(maxLagFraction * Double(L)))
                let stride = best(Int(minLagFraction * Double(2 * L)), Int(maxLagFraction * Double(2 * L)))
                return (step, stride)
            }
        }
    }
}
