import Foundation

/// Step length from the inverted-pendulum model of the trunk (Zijlstra & Hof 2003, "Assessment of spatio-temporal
/// gait parameters from trunk accelerations during human walking", Gait & Posture 18: 1–10).
///
/// During single support the body's centre of mass (CoM) vaults over the stance leg like an inverted pendulum of
/// length l (the leg), so the CoM rises and falls by h during a step. A chord of a circle of radius l whose sagitta
/// is h has length 2·√(2·l·h − h²): that is the forward travel of the CoM over the step. The sensor on the lower
/// back is close to the CoM, so h is its vertical excursion, from vertical acceleration integrated twice over the
/// step. The pendulum ignores the double-support travel, so the model underestimates; Zijlstra & Hof multiply by a
/// constant correction factor (1.25 with leg length as l, `GaitConfig.stepLengthCorrectionFactor`); mobgap's
/// `SlZijlstra` (Soltani et al. 2021) uses the same formula with the sensor's height as l and factors of 1.15–1.19
/// fitted per cohort.
///
/// Drift removal (per step, because a periodic gait returns the CoM to the same height and vertical speed at every
/// IC): the step's mean acceleration is removed before the first integration (speed ends where it began), the
/// mean speed before the second (height ends where it began); h = max − min of that height.
public enum InvertedPendulumStepLength {
    /// Standard gravity, m/s² per g.
    public static let metresPerSecondSquaredPerG = 9.80665

    /// Vertical excursion h (metres) over samples `range` of vertical acceleration `avG` (g; a constant offset such
    /// as gravity does not matter). nil for fewer than 3 samples.
    public static func excursionMetres(_ avG: UnsafeBufferPointer<Double>, range: Range<Int>, rateHz: Double) -> Double? {
        let n = range.count
        guard n >= 3, range.lowerBound >= 0, range.upperBound <= avG.count else { return nil }
        let dt = 1 / rateHz
        let i0 = range.lowerBound, i1 = range.upperBound - 1
        // trapezoid means (end samples weigh ½), so that the trapezoid integrals end exactly where they began
        var sumA = 0.5 * (avG[i0] + avG[i1])
        for i in (i0 + 1)..<i1 { sumA += avG[i] }
        let meanA = sumA / Double(n - 1)
        // speed from 0, and its trapezoid mean
        var v = 0.0, sumV = 0.0
        var prev = avG[i0] - meanA
        for i in (i0 + 1)...i1 {
            let a = avG[i] - meanA
            v += 0.5 * (prev + a) * dt
            sumV += i == i1 ? 0.5 * v : v
            prev = a
        }
        let meanV = sumV / Double(n - 1)
        // height from the mean-removed speed
        var z = 0.0, lo = 0.0, hi = 0.0
        v = 0
        var prevV = -meanV
        prev = avG[i0] - meanA
        for i in (i0 + 1)...i1 {
            let a = avG[i] - meanA
            v += 0.5 * (prev + a) * dt
            let vc = v - meanV
            z += 0.5 * (prevV + vc) * dt
            lo = Swift.min(lo, z); hi = Swift.max(hi, z)
            prevV = vc
            prev = a
        }
        return (hi - lo) * metresPerSecondSquaredPerG
    }

    /// Step length (metres) for excursion `h` and pendulum length `l` (both metres), times `correction`. nil when h
    /// is not in (0, l): no pendulum fits.
    public static func stepLengthMetres(excursionMetres h: Double, legLengthMetres l: Double,
                                        correction: Double) -> Double? {
        guard h > 0, l > 0, h < l else { return nil }
        return correction * 2 * (2 * l * h - h * h).squareRoot()
    }
}

/// The batch step lengths of one run: the step ending at IC k spans IC k − 1 → IC k; steps longer than
/// `missedStepFactor` median steps (a missed contact) get none. All nil without `GaitConfig.legLengthM`.
enum StepLengthStage {
    static func lengths(_ sig: SessionSignals, ic: [Int], stepSeconds: Double, config cfg: GaitConfig) -> [Double?] {
        var out = [Double?](repeating: nil, count: ic.count)
        guard let l = cfg.legLengthM, l > 0, ic.count >= 2 else { return out }
        let maxGap = cfg.missedStepFactor * stepSeconds * sig.rateHz
        sig.av.withUnsafeBufferPointer { av in
            for k in 1..<ic.count where Double(ic[k] - ic[k - 1]) <= maxGap {
                guard let h = InvertedPendulumStepLength.excursionMetres(av, range: ic[k - 1]..<(ic[k] + 1),
                                                                          rateHz: sig.rateHz) else { continue }
                out[k] = InvertedPendulumStepLength.stepLengthMetres(excursionMetres: h, legLengthMetres: l,
                                                                     correction: cfg.stepLengthCorrectionFactor)
            }
        }
        return out
    }
}
