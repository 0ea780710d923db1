import Foundation

/// Finds the neutral posture for pelvic tilt: the first run of ≥ `standingMinSeconds` of quiet standing
/// (docs/research/gait/ALGORITHM.md §6): |gyro| < 5 °/s, ||acc| − 1| < 0.05 g, and (added, for sensors without a gyroscope) the
/// acceleration within 0.03 g of its 1.5 s gravity estimate so that a slow lean is not mistaken for stillness.
/// The neutral up direction is the mean of acc/|acc| over the whole run.
///
/// One sample at a time, O(1) state, shared by the batch and the streaming analyzer so both find the same window.
/// Caveat: quiet sitting passes too; recalibrate (or pass an explicit `TiltCalibration`) whenever the sensor may
/// have moved.
struct QuietStandingDetector {
    struct Window: Equatable {
        var startIndex: Int
        var endIndex: Int          // exclusive
        var up: SIMD3<Double>
    }

    let minSamples: Int
    let maxGyroDps: Double
    let maxDeviationG: Double
    let maxChangeG: Double
    let gravityCoefficient: Double
    /// Sensor noise (a few mg per sample) must not break a quiet run: the tests use short (τ = 40 ms) averages,
    /// which delay the end of the run by only ~0.1 s.
    let smoothingCoefficient: Double

    private var gravity: SIMD3<Double>?
    private var smoothAcc: SIMD3<Double>?
    private var smoothGyro: SIMD3<Double>?
    private var runStart = 0
    private var runCount = 0
    private var sum = SIMD3<Double>(repeating: 0)
    /// The first quiet run of at least `minSamples`; its end moves while the run goes on.
    private(set) var window: Window?
    /// Set once that run has ended: `window` is final.
    private(set) var isFinal = false

    init(config: GaitConfig, rateHz: Double) {
        minSamples = Swift.max(1, Int((config.standingMinSeconds * rateHz).rounded(.up)))
        maxGyroDps = config.standingMaxGyroDps
        maxDeviationG = config.standingMaxAccDeviationG
        maxChangeG = config.standingMaxAccChangeG
        gravityCoefficient = emaCoefficient(tauSeconds: config.tauGravitySeconds, rateHz: rateHz)
        smoothingCoefficient = emaCoefficient(tauSeconds: 0.04, rateHz: rateHz)
    }

    mutating func update(index: Int, accG a: SIMD3<Double>, gyroDps w: SIMD3<Double>?) {
        if isFinal { return }
        if let g = gravity { gravity = g + gravityCoefficient * (a - g) } else { gravity = a }
        if let m = smoothAcc { smoothAcc = m + smoothingCoefficient * (a - m) } else { smoothAcc = a }
        if let w {
            if let m = smoothGyro { smoothGyro = m + smoothingCoefficient * (w - m) } else { smoothGyro = w }
        }
        let norm = a.length
        let m = smoothAcc!
        var quiet = abs(m.length - 1) < maxDeviationG && (m - gravity!).length < maxChangeG && norm > 0
        if let w = smoothGyro, w.length >= maxGyroDps { quiet = false }
        if quiet {
            if runCount == 0 { runStart = index; sum = SIMD3(repeating: 0) }
            runCount += 1
            sum += a / norm
            if runCount >= minSamples {
                window = Window(startIndex: runStart, endIndex: index + 1, up: sum.normalized)
            }
        } else {
            if window != nil { isFinal = true }
            runCount = 0
        }
    }
}
