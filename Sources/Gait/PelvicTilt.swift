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

/// Per-stride angle statistics: mean tilt from the attitude estimate, and the ranges of tilt, obliquity and
/// rotation from the gyroscope integrated over the stride with its drift removed.
///
/// Why not the range of the tilt estimate: during walking the pelvis accelerates forward and backward by ±0.2–0.3 g
/// at step frequency, and any filter that corrects the angle towards the gravity direction reads part of that as
/// tilt (0.1 g ≈ 6°); the real lab walks showed +2.5° of range this way. Within one stride the gyroscope alone is
/// accurate (bias × 1 s ≪ 0.1°), and a stride starts and ends in nearly the same pose, so the integral is detrended
/// linearly between the two contacts (removes bias and a slow posture change) and its max − min is the range. Over
/// longer times the gyroscope drifts, so the stride *mean* still comes from gravity: the mean linear acceleration
/// over a stride is ≈ 0 at steady speed.
enum StrideAngles {
    struct Result {
        var meanDeg: Double
        var romDeg: Double
        var obliquityRomDeg: Double
        var rotationRomDeg: Double
    }

    /// One sample of a stride: the tilt estimate (deg) and the angular rate about ML (left, + anterior tilting), AP
    /// (forward) and V (up), deg/s.
    typealias Sample = (tilt: Double, wML: Double, wAP: Double, wV: Double)

    /// Over the `count` samples of a stride (IC to next same-side IC, both included). Tilt = +∫ω·ML, obliquity =
    /// −∫ω·AP (+ = right crest up: a negative rotation about forward), rotation = ∫ω·V (+ = turning left); each
    /// detrended linearly over the stride, then max − min. Two passes, O(count), no allocation.
    static func compute(count: Int, dt: Double, sample: (Int) -> Sample) -> Result? {
        guard count >= 2 else { return nil }
        var sum = 0.0
        var end = SIMD3<Double>(repeating: 0)        // integrals of (tilt, obliquity, rotation) rates
        var acc = SIMD3<Double>(repeating: 0)
        for k in 0..<count {
            let s = sample(k)
            if !s.tilt.isFinite { return nil }
            sum += s.tilt
            if k > 0 { acc += SIMD3(s.wML, -s.wAP, s.wV) * dt }
        }
        end = acc
        let last = Double(count - 1)
        var lo = SIMD3<Double>(repeating: 0), hi = SIMD3<Double>(repeating: 0)
        acc = SIMD3(repeating: 0)
        for k in 0..<count {
            let s = sample(k)
            if k > 0 { acc += SIMD3(s.wML, -s.wAP, s.wV) * dt }
            let d = acc - (Double(k) / last) * end
            lo = pointwiseMin(lo, d); hi = pointwiseMax(hi, d)
        }
        let rom = hi - lo
        return Result(meanDeg: sum / Double(count), romDeg: rom.x, obliquityRomDeg: rom.y, rotationRomDeg: rom.z)
    }
}
