import Foundation

/// Pelvic angles over the gait cycle, per side: each stride (IC to the next IC of the same foot) time-normalised to
/// 0–100 % in 101 points, then mean and standard deviation across the strides of that side — the curves clinicians
/// read first in instrumented gait reports (e.g. G-WALK, Mobility Lab).
///
/// Tilt = stride-mean tilt + the drift-removed gyroscope integral about ML (mean-centred), so its shape is free of
/// linear acceleration (see `StrideAngles`); obliquity and rotation have no neutral and are centred on their stride
/// mean. Needs a gyroscope (without one the within-stride shape is not measurable: nil).
public struct PelvisCycle: Codable, Equatable, Sendable {
    public struct Curve: Codable, Equatable, Sendable {
        /// 101 values, at 0, 1, …, 100 % of the stride.
        public var meanDeg: [Double]
        /// Sample standard deviation across strides at each point (0 with a single stride).
        public var sdDeg: [Double]
    }

    public struct SideCycle: Codable, Equatable, Sendable {
        /// The foot whose IC starts each stride.
        public var side: Side
        public var strides: Int
        public var tilt: Curve
        public var obliquity: Curve
        public var rotation: Curve
    }

    public static let points = 101
    public var left: SideCycle?
    public var right: SideCycle?

    public init(left: SideCycle? = nil, right: SideCycle? = nil) {
        self.left = left
        self.right = right
    }
}

/// Sums for the mean and SD at each of the 101 points, one per side and angle.
struct PelvisCycleAccumulator {
    private var count = [0, 0]
    private var sum = [[Double]](repeating: [Double](repeating: 0, count: 3 * PelvisCycle.points), count: 2)
    private var sumSquares = [[Double]](repeating: [Double](repeating: 0, count: 3 * PelvisCycle.points), count: 2)

    /// Adds one stride given its per-sample angles (tilt, obliquity, rotation), resampled linearly to 101 points.
    mutating func add(side: Side, tilt: [Double], obliquity: [Double], rotation: [Double]) {
        guard side != .unknown, tilt.count >= 2 else { return }
        let s = side == .left ? 0 : 1
        count[s] += 1
        for (a, curve) in [tilt, obliquity, rotation].enumerated() {
            for p in 0..<PelvisCycle.points {
                let x = Double(p) / 100 * Double(curve.count - 1)
                let i = Swift.min(Int(x), curve.count - 2)
                let v = curve[i] + (x - Double(i)) * (curve[i + 1] - curve[i])
                sum[s][a * PelvisCycle.points + p] += v
                sumSquares[s][a * PelvisCycle.points + p] += v * v
            }
        }
    }

    func result() -> PelvisCycle? {
        func side(_ s: Int) -> PelvisCycle.SideCycle? {
            let n = count[s]
            guard n > 0 else { return nil }
            func curve(_ a: Int) -> PelvisCycle.Curve {
                var m = [Double](repeating: 0, count: PelvisCycle.points), sd = m
                for p in 0..<PelvisCycle.points {
                    let k = a * PelvisCycle.points + p
                    m[p] = sum[s][k] / Double(n)
                    sd[p] = n > 1 ? Swift.max(0, (sumSquares[s][k] - Double(n) * m[p] * m[p]) / Double(n - 1)).squareRoot() : 0
                }
                return .init(meanDeg: m, sdDeg: sd)
            }
            return .init(side: s == 0 ? .left : .right, strides: n, tilt: curve(0), obliquity: curve(1), rotation: curve(2))
        }
        let l = side(0), r = side(1)
        return l == nil && r == nil ? nil : PelvisCycle(left: l, right: r)
    }
}

extension StrideAngles {
    /// Per-sample angles of one stride for the cycle curves: tilt = `meanDeg` + centred drift-removed ∫ω·ML,
    /// obliquity = centred drift-removed −∫ω·AP, rotation = centred drift-removed ∫ω·V.
    static func curves(count: Int, dt: Double, meanDeg: Double, sample: (Int) -> Sample)
        -> (tilt: [Double], obliquity: [Double], rotation: [Double]) {
        var integral = [SIMD3<Double>](repeating: .zero, count: count)
        var acc = SIMD3<Double>(repeating: 0)
        for k in 0..<count {
            let s = sample(k)
            if k > 0 { acc += SIMD3(s.wML, -s.wAP, s.wV) * dt }
            integral[k] = acc
        }
        let end = acc, last = Double(Swift.max(count - 1, 1))
        var mean = SIMD3<Double>(repeating: 0)
        for k in 0..<count { integral[k] -= (Double(k) / last) * end; mean += integral[k] }
        mean /= Double(count)
        return (integral.map { meanDeg + $0.x - mean.x }, integral.map { $0.y - mean.y }, integral.map { $0.z - mean.z })
    }
}
