import Foundation

/// Left/right of each IC in a bout (docs/research/gait/ALGORITHM.md §5).
///
/// Two scores, each positive for a LEFT IC:
/// * acceleration: S_acc = −mean(ml_hp[IC, IC + ½T]). After a left IC the centre of mass is medial to the left foot
///   and accelerates to the right (−ML). 82 % correct alone on the lab data.
/// * gyroscope: S_gyr = −yaw_bp(IC). The yaw rate (about up, counter-clockwise +) is negative at a left IC
///   (McCamley et al. 2012; mobgap's LrcMcCamley agrees). 91 % alone.
/// Each is normalised by its standard deviation over the bout, S = S_acc/σ + 2·S_gyr/σ, and then the sides must
/// alternate: within each run without a missed step the parity that best agrees with the scores wins. That makes
/// one bad score harmless.
enum Laterality {
    /// S_acc of one IC: minus the mean ML acceleration over samples [from, to) after it.
    @inline(__always)
    static func accelerationScore(from a: Int, to b: Int, ml: (Int) -> Double) -> Double {
        var s = 0.0
        for i in a..<b { s += ml(i) }
        return -s / Double(b - a)
    }

    /// S = S_acc + w·S_gyr, each already on its own scale (batch: divided by its SD over the bout; streaming:
    /// divided by a running mean |S| and clipped); nil with neither score.
    @inline(__always)
    static func combined(acceleration a: Double?, gyroscope g: Double?, gyroWeight w: Double) -> Double? {
        switch (a, g) {
        case let (a?, g?): return a + w * g
        case let (a?, nil): return a
        case let (nil, g?): return w * g
        case (nil, nil): return nil
        }
    }

    /// (−1)^k: +1 at even alternation positions of a run, −1 at odd ones. A parity p wins where Σ (−1)^k·p·S_k
    /// is largest; IC k is LEFT when (−1)^k·p > 0.
    @inline(__always)
    static func alternationSign(_ k: Int) -> Double { k % 2 == 0 ? 1 : -1 }

    /// Scores divided by their population SD over the bout (+1e-12), as in the prototype.
    static func normalised(_ s: [Double]) -> [Double] {
        let sd = Stats.populationSD(s) + 1e-12
        return s.map { $0 / sd }
    }

    /// Whether an IC interval continues a left/right alternation run: extraStepFactor·T ≤ interval ≤
    /// missedStepFactor·T. Longer is a missed step (the next contact may be either foot); shorter is an extra
    /// contact (e.g. a second loading lobe inside a slow turning step) that would shift the alternation of every
    /// later contact. The one rule both engines split runs by (batch `sides`, streaming `assignSide`), so they
    /// cannot drift apart.
    @inline(__always)
    static func continuesRun(intervalSamples d: Double, stepSamples t: Double, missedStepFactor: Double,
                             extraStepFactor: Double) -> Bool {
        d <= missedStepFactor * t && d >= extraStepFactor * t
    }

    /// Sides from combined scores (nil: no score at all → unknown). Runs are split where an IC interval does not
    /// `continuesRun` (above `missedStepFactor` or below `extraStepFactor` × the median step, in samples); in each run the parity p ∈ {+1, −1} maximising
    /// Σ (−1)^k·p·S_k wins (ties → +1), and IC k is LEFT when (−1)^k·p > 0. O(n).
    static func sides(scores: [Double]?, icSamples ic: [Int], stepSamples: Double, missedStepFactor: Double,
                      extraStepFactor: Double = 0) -> [Side] {
        let n = ic.count
        guard let s = scores, s.count == n else { return [Side](repeating: .unknown, count: n) }
        var out = [Side](repeating: .unknown, count: n)
        var start = 0
        while start < n {
            var end = start
            while end + 1 < n && continuesRun(intervalSamples: Double(ic[end + 1] - ic[end]), stepSamples: stepSamples,
                                              missedStepFactor: missedStepFactor,
                                              extraStepFactor: extraStepFactor) { end += 1 }
            var sum = 0.0
            for k in start...end { sum += alternationSign(k - start) * s[k] }
            let parity = sum >= 0 ? 1.0 : -1.0
            for k in start...end { out[k] = alternationSign(k - start) * parity > 0 ? .left : .right }
            start = end + 1
        }
        return out
    }
}
