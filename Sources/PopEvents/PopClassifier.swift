import Foundation

/// Rejects what is not a joint sound and names the kind of what is. Every rule is physical; docs/POPS.md gives
/// the reasoning and the thresholds live in `PopRules`.
enum PopClassifier {
    /// Linear ramp from 0 at `a` to 1 at `b` (or 1 → 0 when `b < a`).
    static func ramp(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if a == b { return x >= a ? 1 : 0 }
        return min(max((x - a) / (b - a), 0), 1)
    }

    /// The ring's 20 dB decay (s): measured above the background when it could be, else from the detection band's
    /// envelope (which a weak ring leaves early: scaled to the same boundary).
    static func ringDecaySeconds(_ f: PopFeatures, rules r: PopRules) -> Double {
        f.ringDecaySeconds ?? f.decaySeconds * r.ringBoundarySeconds / 0.0033
    }

    /// A train of impacts (crepitus): `grindMinImpulses` or more over at least `grindMinDurationSeconds`.
    static func isTrain(_ f: PopFeatures, durationSeconds d: Double, rules r: PopRules) -> Bool {
        f.microImpulses >= r.grindMinImpulses && d >= r.grindMinDurationSeconds
    }

    /// Probability that a click is a cavitation rather than a snap (see `PopRules`).
    static func cavitationProbability(features f: PopFeatures, rules r: PopRules) -> Double {
        let pitch = (max(f.spectralCentroidHz, 1) * max(f.peakFrequencyHz, 1)).squareRoot()
        // Measured on the thump band (a low ring), or below every bubble mode: a tendon's.
        if f.spectralBandwidthHz == 0 || pitch < 300 { return 0 }
        let ring = max(ringDecaySeconds(f, rules: r), 0.0005)
        let z = r.ringWeight * log2(r.ringBoundarySeconds / ring)
            + r.lowShareWeight * -min(max(f.thumpRatioDb, -20), 15) / 10
            + r.riseWeight * min(f.riseTimeSeconds, 0.01) * 1000 + r.kindBias
            + r.pitchWeight * max(0, log2(pitch / r.pitchAboveSnapHz))
        return 1 / (1 + exp(-z))
    }

    /// Scores of each kind (0–1) from the features.
    static func scores(features f: PopFeatures, durationSeconds d: Double, rules r: PopRules)
        -> (cavitation: Double, snap: Double, grind: Double) {
        let n = f.microImpulses
        let pCavitation = cavitationProbability(features: f, rules: r)
        // Short rings: what a bubble or a grind's impacts make, never a tendon's ring.
        let shortRing = f.spectralBandwidthHz == 0 ? 0
            : 1 / (1 + exp(-r.ringWeight * log2(r.ringBoundarySeconds / max(ringDecaySeconds(f, rules: r), 0.0005))))
        // Crepitus: a train of impacts. Four or more over 40 ms are one; three short-ringing impacts spread over
        // 15+ ms are a piece of one (a bubble makes one impulse, a snap's second slap rings as long as the first).
        // Two are not enough: a click and any blip after it would do.
        let grind: Double
        if n >= r.grindMinImpulses {
            grind = ramp(d, r.grindMinDurationSeconds * 0.75, r.grindMinDurationSeconds)
        } else if n >= 3 {
            grind = ramp(d, r.grindPieceMinSeconds * 0.67, r.grindPieceMinSeconds) * shortRing
        } else {
            grind = 0
        }
        // A click or a snap is one sharp sound (a snap with its second slap lasts up to ~100 ms).
        let single = ramp(d, r.clickMaxDurationSeconds * 1.5, r.clickMaxDurationSeconds)
        let sharp = ramp(f.riseTimeSeconds, 0.008, 0.005)
        let few = n < r.grindMinImpulses ? 1.0 : 0.0
        let click = (1 - grind) * few * single * sharp
        return (click * pCavitation, click * (1 - pCavitation), grind)
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
        // A train of distinct impacts is not one: its rise is measured to its loudest impact, not its first, and its
        // envelope stays up because impacts keep coming (a noise burst seldom holds four sharp jumps).
        if !isTrain(f, durationSeconds: d, rules: r) && f.crestFactor < r.rustleMaxCrest && f.kurtosis < r.rustleMaxKurtosis
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
