import Foundation

/// Sagittal pelvic tilt (+ anterior) relative to the neutral standing posture, one sample at a time
/// (docs/research/gait/ALGORITHM.md §6).
///
/// * Neutral: `u0` = up in sensor axes while standing quietly; ML (left) from walking (pooled forward axis).
///   `v0 = normalize(u0 − (u0·ML)ML)`, `fwd0 = ML × v0`.
/// * Gravity angle: `f = ema(acc, τ = 1/(2π·1 Hz))`, `θ_acc = atan2(−f·fwd0, f·v0)`. When the pelvis tilts anteriorly
///   by θ the sensed "up" rotates backward in the sensor frame, hence the minus sign.
/// * With a gyroscope: complementary filter `θ = α(θ + ω_ML·dt) + (1 − α)θ_acc`, `α = τ/(τ + dt)`, τ = 1 s; ω about
///   ML (left) is + for anterior tilting (right-hand rule). The gravity part removes slow gyro bias drift.
///
/// Pitfall (why ROM needs the gyroscope): linear acceleration contaminates θ_acc (0.1 g AP ≈ 6°), but over a stride
/// it averages to ≈ 0 at steady speed, so the per-stride *mean* is valid from acceleration alone.
struct TiltEstimator {
    private let lowPassCoefficient: Double
    private let alpha: Double
    private let dt: Double
    private var f: SIMD3<Double>?
    private var theta: Double?
    private(set) var v0 = SIMD3<Double>(0, 0, 1)
    private(set) var fwd0 = SIMD3<Double>(1, 0, 0)
    private(set) var ml = SIMD3<Double>(0, 1, 0)
    private(set) var hasAxes = false

    init(config: GaitConfig, rateHz: Double) {
        lowPassCoefficient = emaCoefficient(tauSeconds: 1 / (2 * Double.pi * config.tiltAccCutoffHz), rateHz: rateHz)
        dt = 1 / rateHz
        alpha = config.tiltComplementaryTauSeconds / (config.tiltComplementaryTauSeconds + dt)
    }

    /// Sets the neutral up `u0` and the ML (left) axis. Returns false (and keeps no axes) if they are parallel.
    @discardableResult
    mutating func setAxes(neutralUp u0: SIMD3<Double>, left: SIMD3<Double>) -> Bool {
        let m = left.normalized
        let v = u0 - u0.dot(m) * m
        guard v.length > 1e-6 else { return false }
        ml = m
        v0 = v.normalized
        fwd0 = ml.cross(v0)
        hasAxes = true
        return true
    }

    /// Feeds one sample; returns the tilt in degrees, or nil while no axes are set (the low-pass runs regardless,
    /// so the angle is settled when the axes arrive).
    mutating func update(accG a: SIMD3<Double>, gyroDps w: SIMD3<Double>?) -> Double? {
        if let fp = f { f = fp + lowPassCoefficient * (a - fp) } else { f = a }
        guard hasAxes, let fv = f else { return nil }
        let thAcc = atan2(-fv.dot(fwd0), fv.dot(v0)) * 180 / Double.pi
        guard let w = w else { theta = thAcc; return thAcc }
        if let th = theta {
            theta = alpha * (th + w.dot(ml) * dt) + (1 - alpha) * thAcc
        } else {
            theta = thAcc
        }
        return theta
    }
}

/// Per-stride angle statistics: mean and range of tilt, and gyroscope ranges of obliquity and rotation.
enum StrideAngles {
    struct Result {
        var meanDeg: Double
        var romDeg: Double
        var obliquityRomDeg: Double
        var rotationRomDeg: Double
    }

    /// Over the `count` samples of a stride (IC to next same-side IC, both included). `sample(k)` gives the tilt
    /// (deg) and the angular rate about AP and V (deg/s) of sample k. Obliquity = −∫ω·AP (+ = right crest up: a
    /// negative rotation about forward), rotation = ∫ω·V (+ = turning left); both are detrended linearly over the
    /// stride (the pelvis returns to the same pose each stride; this removes gyro bias and steady turning), then
    /// max − min. Two passes, O(count), no allocation.
    static func compute(count: Int, dt: Double,
                        sample: (Int) -> (tilt: Double, wAP: Double, wV: Double)) -> Result? {
        guard count >= 2 else { return nil }
        var sum = 0.0, lo = Double.infinity, hi = -Double.infinity
        var oblEnd = 0.0, rotEnd = 0.0
        var ob = 0.0, ro = 0.0
        for k in 0..<count {
            let s = sample(k)
            if !s.tilt.isFinite { return nil }
            sum += s.tilt
            lo = Swift.min(lo, s.tilt); hi = Swift.max(hi, s.tilt)
            if k > 0 { ob += -s.wAP * dt; ro += s.wV * dt }
        }
        oblEnd = ob; rotEnd = ro
        let last = Double(count - 1)
        var oLo = 0.0, oHi = 0.0, rLo = 0.0, rHi = 0.0
        ob = 0; ro = 0
        for k in 0..<count {
            let s = sample(k)
            if k > 0 { ob += -s.wAP * dt; ro += s.wV * dt }
            let frac = Double(k) / last
            let od = ob - frac * oblEnd, rd = ro - frac * rotEnd
            oLo = Swift.min(oLo, od); oHi = Swift.max(oHi, od)
            rLo = Swift.min(rLo, rd); rHi = Swift.max(rHi, rd)
        }
        return Result(meanDeg: sum / Double(count), romDeg: hi - lo, obliquityRomDeg: oHi - oLo, rotationRomDeg: rHi - rLo)
    }
}
