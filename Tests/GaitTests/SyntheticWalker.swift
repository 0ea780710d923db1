import Foundation
import XCTest
@testable import Gait
import TestSupport

/// Deterministic pseudo-random numbers (64-bit LCG), so synthetic recordings are the same on every run.
struct LCG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(UInt64(1) << 53)
    }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * next() }
    mutating func normal() -> Double {
        let u1 = max(next(), 1e-12), u2 = next()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// 3×3 rotation matrix as rows (test-side; the mounting of the sensor on the body).
struct Mat3 {
    var r0, r1, r2: SIMD3<Double>
    static let identity = Mat3(r0: [1, 0, 0], r1: [0, 1, 0], r2: [0, 0, 1])
    /// Upside down: x → −x, z → −z.
    static let upsideDown = Mat3(r0: [-1, 0, 0], r1: [0, 1, 0], r2: [0, 0, -1])
    /// On the side of the hip: x ↔ y.
    static let hipSide = Mat3(r0: [0, 1, 0], r1: [-1, 0, 0], r2: [0, 0, 1])

    static func * (m: Mat3, v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((m.r0 * v).sum(), (m.r1 * v).sum(), (m.r2 * v).sum())
    }
    static func * (a: Mat3, b: Mat3) -> Mat3 {
        let bt = b.transposed
        return Mat3(r0: bt * a.r0, r1: bt * a.r1, r2: bt * a.r2)
    }
    var transposed: Mat3 {
        Mat3(r0: [r0.x, r1.x, r2.x], r1: [r0.y, r1.y, r2.y], r2: [r0.z, r1.z, r2.z])
    }
    static func rotX(_ a: Double) -> Mat3 {
        let c = cos(a), s = sin(a)
        return Mat3(r0: [1, 0, 0], r1: [0, c, -s], r2: [0, s, c])
    }
    static func rotY(_ a: Double) -> Mat3 {
        let c = cos(a), s = sin(a)
        return Mat3(r0: [c, 0, s], r1: [0, 1, 0], r2: [-s, 0, c])
    }
    static func rotZ(_ a: Double) -> Mat3 {
        let c = cos(a), s = sin(a)
        return Mat3(r0: [c, -s, 0], r1: [s, c, 0], r2: [0, 0, 1])
    }
    /// A random proper rotation (from a random unit quaternion).
    static func random(seed: UInt64) -> Mat3 {
        var g = LCG(seed: seed)
        var q = SIMD4<Double>(g.normal(), g.normal(), g.normal(), g.normal())
        q /= (q * q).sum().squareRoot()
        let w = q[0], x = q[1], y = q[2], z = q[3]
        return Mat3(r0: [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                    r1: [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                    r2: [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)])
    }
}

struct WalkerTruth {
    var ics: [Double]
    var sides: [Side]
    /// Toe off of the opposite foot after each IC (the dip placed at IC + 0.24 step).
    var fcs: [Double]
    var boutStart: Double
    var boutEnd: Double
    /// Up and forward in sensor axes during walking (static tilt included).
    var vertical: SIMD3<Double>
    var forward: SIMD3<Double>
    var left: SIMD3<Double>
    var cadence: Double
}

/// Inverted-pendulum style lower-back IMU walker with known events (validated against the Python prototype while
/// writing these tests).
///
/// Body frame: x forward (AP), y left (ML), z up (V). Per step k (IC at t_k, duration T_k, phase φ ∈ [0,1)):
/// * vertical: 0.2 g·cos(2π(φ − 0.08)) — the loading lobe peaks 0.08 step after the IC — plus a heel-strike
///   transient (0.15 g Gaussian, σ 12 ms, 20 ms after the IC) and the opposite foot's toe-off dip (−0.15 g at
///   IC + 0.24 step);
/// * AP: 0.15 g·cos(2π(φ + 0.17)), leading the vertical by a quarter step (Zijlstra & Hof 2003);
/// * ML: −0.1 g·sin(2π ψ) at the stride phase ψ from the left IC: the trunk accelerates away from the stance foot;
/// * pelvis: tilt = static + 1.5°·sin(2πφ), obliquity = −4°·sin(2πψ) (right crest drops in left stance), rotation
///   with yaw rate −20°/s·cos(2πψ) (negative at a left IC); the gyroscope sees the matching angular rates.
/// Standing first (quiet, neutral posture), a 1 s posture change to the walking tilt 1.5 s before the first IC,
/// walking with ±2 % step jitter, a faded last step, standing again. Every vector is rotated into the sensor by
/// `mount` (any proper rotation: upside down, on the hip side, random).
struct SyntheticWalker {
    var rateHz = 100.0
    var mount = Mat3.identity
    var standSeconds = 6.0
    var walkSeconds = 60.0
    var tailSeconds = 5.0
    var stepSeconds = 0.55
    var jitter = 0.02
    /// Left steps (ending with a left IC) last T·(1 + a), right steps T·(1 − a).
    var asymmetry = 0.0
    var tiltWalkDeg = 0.0
    var seed: UInt64 = 1
    var verticalG = 0.2, heelStrikeG = 0.15, toeOffG = 0.15, apG = 0.15, mlG = 0.1
    var withGyro = true
    var noiseG = 0.003
    var gyroNoiseDps = 0.3
    var startSeconds = 0.0

    func generate() -> (IMUSeries, WalkerTruth) {
        var rng = LCG(seed: seed)
        var ics: [Double] = []
        var sides: [Side] = []
        var t = standSeconds
        var k = 0
        while t < standSeconds + walkSeconds {
            ics.append(t)
            sides.append(k % 2 == 0 ? .left : .right)
            let a = (k + 1) % 2 == 0 ? asymmetry : -asymmetry
            t += stepSeconds * (1 + a) * (1 + jitter * rng.uniform(-1, 1))
            k += 1
        }
        let tLast = ics[ics.count - 1] - ics[ics.count - 2]
        let endWalk = ics[ics.count - 1] + tLast
        let startWalk = ics[0] - stepSeconds
        let n = Int(((endWalk + tailSeconds) * rateHz).rounded())
        var acc = ContiguousArray<Float>(repeating: 0, count: 3 * n)
        var gyr = ContiguousArray<Float>(repeating: 0, count: 3 * n)
        let w0 = 20.0, o0 = 4.0, ta = 1.5
        let deg = Double.pi / 180
        var kk = -1                         // last IC index with ics[kk] <= t
        for i in 0..<n {
            let ti = Double(i) / rateHz
            while kk + 1 < ics.count && ics[kk + 1] <= ti { kk += 1 }
            let r0 = ics[0] - 2.5
            var ts = 0.0, dts = 0.0
            if ti < r0 {
            } else if ti < r0 + 1 { ts = tiltWalkDeg * (ti - r0); dts = tiltWalkDeg
            } else if ti < endWalk + 1.5 { ts = tiltWalkDeg
            } else if ti < endWalk + 2.5 { ts = tiltWalkDeg * (1 - (ti - endWalk - 1.5)); dts = -tiltWalkDeg
            }
            var aV = 0.0, aAP = 0.0, aML = 0.0, tilt = ts, obl = 0.0, rot = 0.0
            var wBody = SIMD3<Double>(0, dts, 0)
            if ti >= startWalk && ti < endWalk {
                let tk, ph, ts2, ps, env: Double
                if kk < 0 {
                    tk = stepSeconds; ph = (ti - ics[0]) / stepSeconds; ts2 = 2 * stepSeconds; ps = ph / 2
                    env = 0.5 * (1 - cos(Double.pi * (ti - startWalk) / stepSeconds))
                } else {
                    tk = kk + 1 < ics.count ? ics[kk + 1] - ics[kk] : tLast
                    ph = (ti - ics[kk]) / tk
                    let kl = sides[kk] == .left ? kk : kk - 1
                    ts2 = kl + 2 < ics.count ? ics[kl + 2] - ics[kl] : 2 * tk
                    ps = (ti - ics[kl]) / ts2
                    env = kk == ics.count - 1 ? 0.5 * (1 + cos(Double.pi * (ti - ics[kk]) / tLast)) : 1
                }
                aV = env * verticalG * cos(2 * Double.pi * (ph - 0.08))
                if kk >= 0 {
                    let dh = (ti - ics[kk] - 0.02) / 0.012, dt = (ti - ics[kk] - 0.24 * tk) / 0.02
                    aV += heelStrikeG * exp(-0.5 * dh * dh) - toeOffG * exp(-0.5 * dt * dt)
                }
                aAP = env * apG * cos(2 * Double.pi * (ph + 0.17))
                aML = -env * mlG * sin(2 * Double.pi * ps)
                tilt = ts + ta * sin(2 * Double.pi * ph)
                obl = -o0 * sin(2 * Double.pi * ps)
                rot = -w0 * ts2 / (2 * Double.pi) * sin(2 * Double.pi * ps)
                wBody = SIMD3(o0 * 2 * Double.pi / ts2 * cos(2 * Double.pi * ps),
                              dts + ta * 2 * Double.pi / tk * cos(2 * Double.pi * ph),
                              -w0 * cos(2 * Double.pi * ps))
            }
            let r = Mat3.rotZ(rot * deg) * Mat3.rotY(tilt * deg) * Mat3.rotX(-obl * deg)
            let f = SIMD3<Double>(aAP, aML, 1 + aV)
            let a = mount * (r.transposed * f) + noiseG * SIMD3(rng.normal(), rng.normal(), rng.normal())
            let w = mount * wBody + gyroNoiseDps * SIMD3(rng.normal(), rng.normal(), rng.normal())
            for j in 0..<3 {
                acc[3 * i + j] = Float(a[j])
                gyr[3 * i + j] = Float(w[j])
            }
        }
        var fcs: [Double] = []
        for (j, t) in ics.enumerated() {
            let tk = j + 1 < ics.count ? ics[j + 1] - t : tLast
            fcs.append(t + 0.24 * tk)
        }
        let tiltM = Mat3.rotY(tiltWalkDeg * deg).transposed
        let series = IMUSeries(startSeconds: startSeconds, rateHz: rateHz, accG: acc, gyroDps: withGyro ? gyr : nil)
        let truth = WalkerTruth(ics: ics.map { $0 + startSeconds }, sides: sides, fcs: fcs.map { $0 + startSeconds },
                                boutStart: ics[0] + startSeconds, boutEnd: ics[ics.count - 1] + startSeconds,
                                vertical: mount * (tiltM * SIMD3(0, 0, 1)), forward: mount * (tiltM * SIMD3(1, 0, 0)),
                                left: mount * SIMD3(0, 1, 0),
                                cadence: 60 * Double(ics.count - 1) / (ics[ics.count - 1] - ics[0]))
        return (series, truth)
    }
}

/// One-to-one matching of detected to reference times within `tolerance` (TestSupport's `EventMatching`: greedy by
/// smallest |error|, the protocol of scripts/validate_gait.py). Returns (detected index, reference index) pairs.
func matchEvents(_ det: [Double], _ ref: [Double], tolerance: Double) -> [(Int, Int)] {
    EventMatching(detected: det, reference: ref, toleranceSeconds: tolerance).pairs.map { ($0.detected, $0.reference) }
}

func f1Score(_ det: [Double], _ ref: [Double], tolerance: Double) -> Double {
    EventMatching(detected: det, reference: ref, toleranceSeconds: tolerance).f1
}

func median(_ x: [Double]) -> Double {
    let s = x.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
}

func angleDeg(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
    let c = (a * b).sum() / (((a * a).sum() * (b * b).sum()).squareRoot())
    return acos(max(-1, min(1, c))) * 180 / Double.pi
}

/// Feeds a series to a streaming analyzer in blocks of `block` samples. Returns every event with the session
/// time of the last sample fed when it came out.
func stream(_ s: IMUSeries, block: Int, analyzer: StreamingGaitAnalyzer) -> [(event: GaitStreamEvent, at: Double)] {
    var out: [(GaitStreamEvent, Double)] = []
    let n = s.count
    var i = 0
    s.accG.withUnsafeBufferPointer { acc in
        while i < n {
            let b = min(block, n - i)
            let a = UnsafeBufferPointer(rebasing: acc[(3 * i)..<(3 * (i + b))])
            let t0 = s.startSeconds + Double(i) / s.rateHz
            let ev: [GaitStreamEvent]
            if let g = s.gyroDps {
                ev = g.withUnsafeBufferPointer {
                    analyzer.process(startSeconds: t0, accG: a,
                                     gyroDps: UnsafeBufferPointer(rebasing: $0[(3 * i)..<(3 * (i + b))]), count: b)
                }
            } else {
                ev = analyzer.process(startSeconds: t0, accG: a, gyroDps: nil, count: b)
            }
            let at = s.startSeconds + Double(i + b - 1) / s.rateHz
            for e in ev { out.append((e, at)) }
            i += b
        }
    }
    let end = s.startSeconds + Double(n - 1) / s.rateHz
    for e in analyzer.finish() { out.append((e, end)) }
    return out.map { (event: $0.0, at: $0.1) }
}

/// Quiet standing (noise only, sensor in `mount`), optionally with isolated vertical bumps at the given times
/// (a sit-to-stand jolt, a knock): movement that is not walking.
func standingSeries(seconds: Double, rateHz: Double = 100, mount: Mat3 = .identity, bumpsAt: [Double] = [],
                    bumpG: Double = 0.4, withGyro: Bool = true, seed: UInt64 = 9) -> IMUSeries {
    var rng = LCG(seed: seed)
    let n = Int(seconds * rateHz)
    var acc = ContiguousArray<Float>(repeating: 0, count: 3 * n)
    var gyr = ContiguousArray<Float>(repeating: 0, count: 3 * n)
    for i in 0..<n {
        let t = Double(i) / rateHz
        var v = 0.0
        for b in bumpsAt where t >= b && t < b + 0.25 { v += bumpG * sin(Double.pi * (t - b) / 0.25) }
        let a = mount * SIMD3(0, 0, 1 + v) + 0.003 * SIMD3(rng.normal(), rng.normal(), rng.normal())
        let w = 0.3 * SIMD3(rng.normal(), rng.normal(), rng.normal())
        for j in 0..<3 { acc[3 * i + j] = Float(a[j]); gyr[3 * i + j] = Float(w[j]) }
    }
    return IMUSeries(rateHz: rateHz, accG: acc, gyroDps: withGyro ? gyr : nil)
}

extension IMUSeries {
    /// `first` then `second` as one recording (same rate; both with a gyroscope), and the time in seconds at which
    /// `second` begins: two walks with whatever gap their stand/tail times leave between them.
    static func joined(_ first: IMUSeries, _ second: IMUSeries) -> (series: IMUSeries, secondStartsSeconds: Double) {
        var acc = first.accG
        acc.append(contentsOf: second.accG)
        var gyr = first.gyroDps!
        gyr.append(contentsOf: second.gyroDps!)
        return (IMUSeries(rateHz: first.rateHz, accG: acc, gyroDps: gyr), Double(first.count) / first.rateHz)
    }
}
