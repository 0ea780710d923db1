import Foundation

/// Steps and walking bouts from the vertical acceleration only (docs/research/gait/ALGORITHM.md §3): they need gravity, not the forward
/// axis, so they work in any mounting.
enum StepDetection {
    /// Local maxima of the cycle signal with height ≥ `threshold`, suppressed greedily (tallest first) within
    /// `minDistance` samples, returned in time order (the prototype's `_peaks_greedy`).
    static func lobes(_ x: UnsafeBufferPointer<Double>, threshold: Double, minDistance: Int) -> [Int] {
        let n = x.count
        guard n >= 3 else { return [] }
        var cand: [Int] = []
        for i in 1..<(n - 1) where x[i] > x[i - 1] && x[i] >= x[i + 1] && x[i] >= threshold {
            cand.append(i)
        }
        cand.sort { x[$0] > x[$1] || (x[$0] == x[$1] && $0 < $1) }
        var taken = ContiguousArray<Bool>(repeating: false, count: n)
        var keep: [Int] = []
        keep.reserveCapacity(cand.count)
        for p in cand {
            let lo = Swift.max(0, p - minDistance + 1), hi = Swift.min(n, p + minDistance)
            var free = true
            var j = lo
            while j < hi { if taken[j] { free = false; break }; j += 1 }
            if free { keep.append(p); taken[p] = true }
        }
        keep.sort()
        return keep
    }

    /// Per-step periodicity reg_k (§3.4): the best normalised autocorrelation of the mean-removed a_v_hp segment
    /// [center − halfWindow, center + halfWindow) over lags [⌊0.75 L⌋, ⌊1.33 L⌋]. Walking repeats itself every step;
    /// sit/stand transitions, bumps and shuffling do not.
    ///
    /// `scratch` and `prefix` are reused between calls (no allocation once they have grown). O(window + lags).
    static func periodicity(_ hp: (Int) -> Double, available: Range<Int>, center: Int, lag L: Int, halfWindow: Int,
                            minLagFraction: Double, maxLagFraction: Double,
                            scratch: inout ContiguousArray<Double>, prefix: inout ContiguousArray<Double>) -> Double {
        let i0 = Swift.max(available.lowerBound, center - halfWindow)
        let i1 = Swift.min(available.upperBound, center + halfWindow)
        let n = i1 - i0
        guard n > 0 else { return 0 }
        if scratch.count < n { scratch = ContiguousArray(repeating: 0, count: n) }
        if prefix.count < n + 1 { prefix = ContiguousArray(repeating: 0, count: n + 1) }
        var mean = 0.0
        for i in 0..<n { let v = hp(i0 + i); scratch[i] = v; mean += v }
        mean /= Double(n)
        return scratch.withUnsafeMutableBufferPointer { seg -> Double in
            prefix.withUnsafeMutableBufferPointer { p -> Double in
                p[0] = 0
                for i in 0..<n {
                    seg[i] -= mean
                    p[i + 1] = p[i] + seg[i] * seg[i]
                }
                let lo = Int(minLagFraction * Double(L)), hi = Int(maxLagFraction * Double(L))
                var best = -Double.infinity
                var l = lo
                while l <= hi {
                    var r = 0.0
                    if l > 0 && n > l + 1 {
                        let base = UnsafePointer(seg.baseAddress!)
                        let dot = dotProduct(base, base + l, count: n - l)
                        let na = Swift.max(p[n - l], 0).squareRoot()
                        let nb = Swift.max(p[n] - p[l], 0).squareRoot()
                        r = dot / (na * nb + 1e-12)
                    }
                    if r > best { best = r }
                    l += 1
                }
                return best == -Double.infinity ? 0 : best
            }
        }
    }

    /// Hysteresis of §3.5: a step is walking if reg ≥ `minReg`; neighbours within `maxGapSamples` also count if
    /// reg ≥ `keepReg`, repeated until nothing changes. Equivalent O(n) form: within each chain of consecutive steps
    /// that are linked (gap ≤ maxGap) and each have reg ≥ keepReg (or are seeds), all are walking if one is a seed.
    static func walkingMask(periodicity reg: [Double], peaks vpk: [Int], maxGapSamples: Double, minReg: Double,
                            keepReg: Double) -> [Bool] {
        let n = reg.count
        var good = [Bool](repeating: false, count: n)
        var k = 0
        while k < n {
            let member = reg[k] >= minReg || reg[k] >= keepReg
            if !member { k += 1; continue }
            var j = k
            var hasSeed = reg[k] >= minReg
            while j + 1 < n && Double(vpk[j + 1] - vpk[j]) <= maxGapSamples
                    && (reg[j + 1] >= minReg || reg[j + 1] >= keepReg) {
                j += 1
                if reg[j] >= minReg { hasSeed = true }
            }
            if hasSeed { for m in k...j { good[m] = true } }
            k = j + 1
        }
        return good
    }

    /// Mobilise-D's break rule applied before the runs are formed: a chain of ≥ 2 steps that hold STEP_KEEP_REG
    /// but no STEP_MIN_REG seed, within `maxBreakSamples` (3 s) of a seeded walking step, is the edge of that bout
    /// (initiation, termination, or the far side of one missed contact), not a separate non-walking movement.
    /// Without it, one lobe lost under A_MIN splits a slow walk and the fragment before the gap — whose steps have
    /// only one neighbour to repeat, so lower periodicity — was dropped with its contacts, while the streaming
    /// build (narrower cycle Gaussian, so that lobe survived) kept them. Only seeded steps extend (no cascading).
    static func extendToBreaks(_ good: [Bool], periodicity reg: [Double], peaks vpk: [Int], maxGapSamples: Double,
                               keepReg: Double, maxBreakSamples: Double) -> [Bool] {
        let n = reg.count
        var out = good
        var k = 0
        while k < n {
            guard !good[k] && reg[k] >= keepReg else { k += 1; continue }
            var j = k
            while j + 1 < n && !good[j + 1] && Double(vpk[j + 1] - vpk[j]) <= maxGapSamples && reg[j + 1] >= keepReg {
                j += 1
            }
            let before = k > 0 && good[k - 1] && Double(vpk[k] - vpk[k - 1]) <= maxBreakSamples
            let after = j + 1 < n && good[j + 1] && Double(vpk[j + 1] - vpk[j]) <= maxBreakSamples
            if j > k && (before || after) { for m in k...j { out[m] = true } }
            k = j + 1
        }
        return out
    }
    /// The closing step of a walking chain (gait termination, or the last step before a turn on the spot): the
    /// candidate right after a chain of ≥ 2 walking steps joins it, whatever its periodicity, when
    /// * its interval from the chain's last step is a step time: within [`minIntervalFraction`, `maxIntervalFraction`]
    ///   (the missed-step factor) × the chain's median step, and
    /// * its lobe is a loading response the size a bout needs (`GaitConfig.minBoutLobeHeightG(stepSeconds:)`).
    ///
    /// Why: reg_k correlates a window of ±1.25 s around the step; for the last step half of that window is standing
    /// or turning, so a real contact scores below STEP_KEEP_REG (HA-001 Test11: the step into a 180° turn at
    /// 134.4 s, lobe 0.10 g, reg ≈ 0.1) and the bout lost its last contact — Mobilise-D bouts end at their last IC,
    /// and issue 11's held-out misses were mostly at the edges of short bouts and in turns. Only the candidate next to
    /// a chain of `good` steps is looked at, so it never cascades. O(n).
    ///
    /// `chainPeaks`: the chain's last members' a_v peaks (time order, ≤ 9); `peak`/`height` the candidate's.
    static func isClosingStep(chainPeaks: [Int], peak: Int, height: Double, rateHz: Double,
                              config cfg: GaitConfig) -> Bool {
        guard chainPeaks.count >= 2, let last = chainPeaks.last else { return false }
        var diffs: [Double] = []
        for j in chainPeaks.indices.dropFirst() { diffs.append(Double(chainPeaks[j] - chainPeaks[j - 1])) }
        guard let step = Stats.median(diffs), step > 0 else { return false }
        let d = Double(peak - last)
        guard d >= cfg.closingStepMinIntervalFraction * step, d <= cfg.missedStepFactor * step,
              d <= cfg.maxStepSeconds * rateHz else { return false }
        return height >= cfg.minBoutLobeHeightG(stepSeconds: step / rateHz)
    }

    /// Batch form of `isClosingStep` over the walking mask: each chain's next candidate (if not walking) is tested
    /// against the chain's last ≤ 9 members.
    static func addClosingSteps(_ good: [Bool], peaks vpk: [Int], heights: [Double], maxGapSamples: Double,
                                rateHz: Double, config cfg: GaitConfig) -> [Bool] {
        var out = good
        let n = good.count
        guard n >= 3 else { return out }
        for k in 1..<n where !good[k] && good[k - 1] {
            var j = k - 1
            while j > 0 && k - j < cfg.closingStepChainSteps && good[j - 1]
                    && Double(vpk[j] - vpk[j - 1]) <= maxGapSamples { j -= 1 }
            if isClosingStep(chainPeaks: Array(vpk[j..<k]), peak: vpk[k],
                             height: heights[k], rateHz: rateHz, config: cfg) {
                out[k] = true
            }
        }
        return out
    }
}
