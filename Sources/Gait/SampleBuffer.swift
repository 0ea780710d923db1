import Foundation

/// Read access to samples by absolute index, shared by the batch analyzer (whole-session arrays) and the streaming
/// analyzer (rings holding the recent past), so each search and filter of the algorithm exists once and both give
/// the same bits (GUIDE: one pipeline, only the source changes).
protocol SampleBuffer {
    /// Oldest index held (0 for a whole-session array).
    var firstIndex: Int { get }
    /// Newest index held.
    var lastIndex: Int { get }
    subscript(index: Int) -> Double { get }
}

extension UnsafeBufferPointer: SampleBuffer where Element == Double {
    var firstIndex: Int { 0 }
    var lastIndex: Int { count - 1 }
}

extension SampleRing: SampleBuffer where Element == Double {
    var firstIndex: Int { oldest }
    var lastIndex: Int { newest }
}

/// Window searches of the prototype's `_win`: index of the max of `x` in [c + w0, c + w1] (inclusive, clipped to
/// the held samples and to `limit`); the first index wins ties, like numpy; an empty window returns `c`.
enum WindowSearch {
    @inline(__always)
    static func argmax<B: SampleBuffer>(_ x: B, center c: Int, from w0: Int, to w1: Int, limit: Int) -> Int {
        let i0 = Swift.max(x.firstIndex, c + w0)
        let i1 = Swift.min(limit, c + w1 + 1)
        if i1 <= i0 { return c }
        var best = i0
        var bv = x[i0]
        var i = i0 + 1
        while i < i1 {
            let v = x[i]
            if v > bv { bv = v; best = i }
            i += 1
        }
        return best
    }
}

/// FC search of §4: the first local minimum of s_fine in [j0, j1]; without one the (first) minimum; a window that is
/// empty or outside the held samples gives `fallback` (the a_v peak), as in the prototype.
///
/// A minimum after `latest` (half a step after the loading peak, `finalContactLatestStepFraction`) cannot be the
/// opposite toe-off: that toe-off ends double support, and the opposite foot then swings for at least about half a
/// step (swing ≥ 25 % of the stride even in slow pathological gait), so it comes within half a step of the contact.
/// A later first minimum is single support's pendulum trough, found because the toe-off came so soon after the
/// contact (short double support: one side of an asymmetric walker) that its unloading dip sat on the falling edge
/// of the loading peak — a shoulder in s_fine, not a minimum. The toe-off is then the first maximum of positive
/// curvature of s_fine (the dip's centre: the unloading bends the falling edge upward) before that minimum.
/// (docs/GAIT.md §5; on the lab recordings no first minimum comes that late, so their FCs do not change.)
enum FinalContact {
    @inline(__always)
    static func locate<B: SampleBuffer>(_ fine: B, from j0: Int, through j1: Int, fallback: Int,
                                        latest: Int = Int.max) -> Int {
        guard j0 <= j1, j0 >= fine.firstIndex, j1 <= fine.lastIndex else { return fallback }
        var found = -1
        if j1 - j0 + 1 > 2 {
            var q = j0 + 1
            while q < j1 {
                let v = fine[q]
                if v < fine[q - 1] && v <= fine[q + 1] { found = q; break }
                q += 1
            }
        }
        if found < 0 {
            found = j0
            for j in j0...j1 where fine[j] < fine[found] { found = j }
        }
        if found > latest {
            if let shoulder = firstCurvaturePeak(fine, after: j0, before: found) { return shoulder }
        }
        return found
    }

    /// First p in (j0, q) where the curvature c(p) = s[p+2] − 2·s[p] + s[p−2] (the second difference over ±20 ms
    /// at 100 Hz, ±2 samples at any rate as the prototype check used) is positive and a local maximum.
    @inline(__always)
    static func firstCurvaturePeak<B: SampleBuffer>(_ fine: B, after j0: Int, before q: Int) -> Int? {
        @inline(__always) func c(_ p: Int) -> Double { fine[p + 2] - 2 * fine[p] + fine[p - 2] }
        let p0 = Swift.max(j0 + 1, fine.firstIndex + 3)
        let p1 = Swift.min(q - 1, fine.lastIndex - 3)
        guard p0 <= p1 else { return nil }
        var p = p0
        while p <= p1 {
            let v = c(p)
            if v > 0 && v > c(p - 1) && v >= c(p + 1) { return p }
            p += 1
        }
        return nil
    }
}

extension GaussianKernel {
    /// One output of the edge-padded FIR `y[j] = Σ_{m=−h…h} k[m]·x[clamp(j + m, first, last)]`, taps summed in
    /// ascending order from 0 (the batch filter's interior sums in the same order, so both agree to the last bit).
    @inline(__always)
    func correlate<B: SampleBuffer>(_ x: B, at j: Int, first: Int, last: Int) -> Double {
        let h = half
        return weights.withUnsafeBufferPointer { w -> Double in
            var s = 0.0
            if j - h >= first && j + h <= last {
                let base = j - h
                for m in 0...(2 * h) { s += w[m] * x[base + m] }
            } else {
                for m in 0...(2 * h) { s += w[m] * x[Swift.min(Swift.max(j - h + m, first), last)] }
            }
            return s
        }
    }
}
