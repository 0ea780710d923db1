import Foundation

/// The wearer's neutral pelvic posture in sensor axes, and optionally their own tilt range.
///
/// Absolute pelvic tilt needs a neutral because the sensor sits on the skin at an unknown angle; gaitpop reports tilt
/// relative to quiet standing. The limits come from the pelvic-tilt exercise (stand still, tilt the pelvis fully
/// forward, then fully back), so walking tilt can be shown as a percent of the wearer's range.
public struct TiltCalibration: Codable, Equatable, Sendable {
    /// Unit vector pointing up (gravity reaction) in sensor axes while standing in the neutral posture.
    public var neutralUpSensor: SIMD3<Double>
    /// Largest anterior tilt reached in the exercise, degrees (> 0).
    public var anteriorLimitDeg: Double?
    /// Largest posterior tilt reached in the exercise, degrees (< 0).
    public var posteriorLimitDeg: Double?
    /// Left (ML) axis in sensor axes found by the exercise (the axis the pelvis rotated about); used for tilt until
    /// walking has given the forward axis.
    public var leftSensor: SIMD3<Double>?
    /// "explicit", "standing_window", "pelvic_tilt_exercise" or "walk_average" (no neutral available: the mean up
    /// direction over the walking bouts, so mean tilt is relative to the walk's own average posture).
    public var source: String
    /// `source` of a neutral taken from the walk itself.
    public static let walkAverageSource = "walk_average"
    /// The standing window the neutral was averaged over, session seconds (nil for explicit calibrations).
    public var startSeconds: Double?
    public var endSeconds: Double?

    public init(neutralUpSensor: SIMD3<Double>, anteriorLimitDeg: Double? = nil, posteriorLimitDeg: Double? = nil,
                leftSensor: SIMD3<Double>? = nil, source: String = "explicit", startSeconds: Double? = nil,
                endSeconds: Double? = nil) {
        self.neutralUpSensor = neutralUpSensor.normalized
        self.anteriorLimitDeg = anteriorLimitDeg
        self.posteriorLimitDeg = posteriorLimitDeg
        self.leftSensor = leftSensor
        self.source = source
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }

    /// A tilt as percent of the wearer's range: 100 · tilt / anteriorLimit for anterior tilt, −100 · tilt /
    /// posteriorLimit for posterior tilt (so −100 = the posterior limit); nil without the needed limit.
    public func percentOfRange(tiltDeg: Double) -> Double? {
        if tiltDeg >= 0 {
            guard let a = anteriorLimitDeg, a > 0 else { return nil }
            return 100 * tiltDeg / a
        }
        guard let p = posteriorLimitDeg, p < 0 else { return nil }
        return -100 * tiltDeg / p
    }

    /// Calibrates from a recording of the pelvic-tilt exercise: quiet standing (≥ `standingMinSeconds`), then the
    /// pelvis tilted fully forward, then fully back.
    ///
    /// The neutral is the first quiet standing window. The exercise rotates "up" about the ML axis, so the
    /// deviations of the low-passed up direction from neutral lie along one horizontal line: its principal direction
    /// is the sagittal axis. The first excursion is anterior (the protocol), and anterior tilt moves the sensed up
    /// backward, which fixes the sign. Tilt over the recording is then measured as in walking (gravity angle about
    /// that ML axis); the limits are its maximum and minimum after the standing window. Returns nil without a
    /// standing window or without a clear excursion (< 5°).
    public static func fromPelvicTiltExercise(_ s: IMUSeries, config: GaitConfig = .init()) -> TiltCalibration? {
        let n = s.count
        guard n > 0 else { return nil }
        let fs = s.rateHz
        let scale = InputUnits.scaleToG(s.accG, threshold: config.metresPerSecondSquaredThreshold)
        var detector = QuietStandingDetector(config: config, rateHz: fs)
        let lp = emaCoefficient(tauSeconds: 1 / (2 * Double.pi * config.tiltAccCutoffHz), rateHz: fs)
        @inline(__always) func acc(_ i: Int) -> SIMD3<Double> {
            SIMD3(Double(s.accG[3 * i]), Double(s.accG[3 * i + 1]), Double(s.accG[3 * i + 2])) * scale
        }
        @inline(__always) func gyro(_ i: Int) -> SIMD3<Double>? {
            guard let g = s.gyroDps else { return nil }
            return SIMD3(Double(g[3 * i]), Double(g[3 * i + 1]), Double(g[3 * i + 2]))
        }
        var i = 0
        while i < n && !detector.isFinal { detector.update(index: i, accG: acc(i), gyroDps: gyro(i)); i += 1 }
        guard let w = detector.window else { return nil }
        let u0 = w.up
        let basis = HorizontalBasis(up: u0)
        // pass 1: 2×2 covariance of the horizontal deviation, and the first clear excursion
        var f = acc(w.startIndex)
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        var first: SIMD3<Double>?
        let minExcursion = sin(5 * Double.pi / 180)
        for k in w.startIndex..<n {
            f += lp * (acc(k) - f)
            guard k >= w.endIndex else { continue }
            let u = f.normalized
            let d = u - u.dot(u0) * u0
            let x = d.dot(basis.e1), y = d.dot(basis.e2)
            sxx += x * x; sxy += x * y; syy += y * y
            if first == nil && d.length > minExcursion { first = d }
        }
        guard let firstDev = first else { return nil }
        let th = 0.5 * atan2(2 * sxy, sxx - syy)
        var sag = cos(th) * basis.e1 + sin(th) * basis.e2
        // anterior tilt moves the sensed up backward: the first excursion points to −forward
        if sag.dot(firstDev) > 0 { sag = -sag }
        let forward = sag
        let left = u0.cross(forward).normalized
        var tilt = TiltEstimator(config: config, rateHz: fs)
        guard tilt.setAxes(neutralUp: u0, left: left) else { return nil }
        var hi = -Double.infinity, lo = Double.infinity
        for k in 0..<n {
            guard let t = tilt.update(accG: acc(k), gyroDps: gyro(k)) else { continue }
            if k >= w.endIndex { hi = Swift.max(hi, t); lo = Swift.min(lo, t) }
        }
        return TiltCalibration(neutralUpSensor: u0, anteriorLimitDeg: hi > 0 ? hi : nil,
                               posteriorLimitDeg: lo < 0 ? lo : nil, leftSensor: left,
                               source: "pelvic_tilt_exercise", startSeconds: s.tSeconds(ofSample: w.startIndex),
                               endSeconds: s.tSeconds(ofSample: w.endIndex))
    }
}

/// Unit handling of §0.
enum InputUnits {
    static let standardGravity = 9.80665

    /// 1, or 1/9.80665 when the median |acc| of (up to 4,097 evenly spaced) samples exceeds the threshold (m/s²).
    static func scaleToG(_ acc: ContiguousArray<Float>, threshold: Double) -> Double {
        let n = acc.count / 3
        guard n > 0 else { return 1 }
        let stride = Swift.max(1, n / 4096)
        var norms: [Double] = []
        norms.reserveCapacity(n / stride + 1)
        var i = 0
        while i < n {
            let x = Double(acc[3 * i]), y = Double(acc[3 * i + 1]), z = Double(acc[3 * i + 2])
            norms.append((x * x + y * y + z * z).squareRoot())
            i += stride
        }
        return (Stats.median(norms) ?? 0) > threshold ? 1 / standardGravity : 1
    }

    static func scaleToG(_ acc: UnsafeBufferPointer<Float>, count: Int, threshold: Double) -> Double {
        guard count > 0 else { return 1 }
        let m = Swift.min(count, 256)
        var norms: [Double] = []
        norms.reserveCapacity(m)
        for i in 0..<m {
            let x = Double(acc[3 * i]), y = Double(acc[3 * i + 1]), z = Double(acc[3 * i + 2])
            norms.append((x * x + y * y + z * z).squareRoot())
        }
        return (Stats.median(norms) ?? 0) > threshold ? 1 / standardGravity : 1
    }
}
