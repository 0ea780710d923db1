import Foundation

/// Rejects what is not a joint sound and names the kind of what is. Every rule is physical; docs/POPS.md gives
/// the reasoning and the thresholds live in `PopRules`.
enum PopClassifier {
    /// Linear ramp from 0 at `a` to 1 at `b` (or 1 → 0 when `b < a`).
    static func ramp(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if a == b { return x >= a ? 1 : 0 }
        return min(max((x - a) / (b - a), 0), 1)
    }

    /// Scores of each kind (0–1) from the features.
    static func scores(features f: PopFeatures, durationSeconds d: Double, rules r: PopRules)
        -> (cavitation: Double, snap: Double, grind: Double) {
        // Pitch: geometric mean of centroid and spectral peak (the peak resists leftover broadband noise).
        let pitch = (max(f.spectralCentroidHz, 1) * max(f.peakFrequencyHz, 1)).squareRoot()
        let fewImpulses = ramp(Double(f.microImpulses), Double(r.grindMinImpulses), Double(r.grindMinImpulses) - 2)
        // A click or a snap is one sharp sound (a snap with its second slap lasts up to ~100 ms).
        let single = ramp(d, r.clickMaxDurationSeconds * 1.5, r.clickMaxDurationSeconds)
        let sharp = ramp(f.riseTimeSeconds, 0.008, 0.005)
        let click = fewImpulses * single * sharp
        // Cavitation or snap: across the ranges they overlap in pitch (cavitation modes from 0.4 kHz, snaps up to
        // 0.9 kHz), so the ring-out decides most: a bubble's modes die within a few ms, a tendon rings 4–30 ms.
        // Log-odds of cavitation from both, and its logistic probability.
        let z = r.pitchWeight * log2(pitch / r.clickCentroidHz)
            + r.decayWeight * log2(r.cavitationMaxDecaySeconds / max(f.decaySeconds, 0.0002))
        let pCavitation = 1 / (1 + exp(-r.kindSlope * z))
        let cavitation = click * pCavitation
        let snap = click * (1 - pCavitation)
        let many = ramp(Double(f.microImpulses), Double(r.grindMinImpulses) - 1, Double(r.grindMinImpulses))
        let long = ramp(d, r.grindMinDurationSeconds * 0.75, r.grindMinDurationSeconds)
        let grind = many * long
        return (cavitation, snap, grind)
    }

    /// nil: not a joint sound (a heel thump leaking into the band, or a rustle burst).
    static func classify(features f: PopFeatures, durationSeconds d: Double, rules r: PopRules,
                         signature: ContactSignature.Verdict = .unknown) -> (PopKind, Double)? {
        switch signature {
        case .heelStrike:
            // Sounds like this wearer's heel strikes on both legs.
            return nil
        case .differs:
            // A learned heel-strike sound exists and this is not it; only a thump far stronger than anything in the
            // band is still taken for one.
            if f.thumpRatioDb >= r.thumpRatioDb + r.signatureThumpMarginDb { return nil }
        case .unknown:
            // A heel thump's energy sits below the band; what leaks in is a small fraction of it.
            let thumpLimit = f.nearContact || f.clipped ? r.thumpRatioNearContactDb : r.thumpRatioDb
            if f.thumpRatioDb >= thumpLimit { return nil }
        }
        // A noise burst (rustle): Gaussian-like amplitudes — no peak standing out of its own RMS, kurtosis near 3 —
        // and either no sharp attack or no decay (a transient dies away within milliseconds; rustle stays up).
        if f.crestFactor < r.rustleMaxCrest && f.kurtosis < r.rustleMaxKurtosis
            && (f.riseTimeSeconds > r.rustleMinRiseSeconds || f.decaySeconds > r.rustleMinDecaySeconds) {
            return nil
        }
        let s = scores(features: f, durationSeconds: d, rules: r)
        let ranked = [(PopKind.cavitation, s.cavitation), (.snap, s.snap), (.grind, s.grind)]
            .sorted { $0.1 > $1.1 }
        let best = ranked[0], second = ranked[1]
        if best.1 < r.minKindScore { return (.unknown, 1 - best.1) }
        return (best.0, best.1 * (1 - 0.5 * second.1))
    }
}
