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

/// Sums for the mean and SD at each of the 101 points, one per side and angle, in one flat buffer (this runs for
/// every stride of an hour-long recording: no per-stride allocation).
struct PelvisCycleAccumulator {
    private static let perSide = 3 * PelvisCycle.points
    private var count = (0, 0)
    private var sum = ContiguousArray<Double>(repeating: 0, count: 2 * perSide)
    private var sumSquares = ContiguousArray<Double>(repeating: 0, count: 2 * perSide)

    /// Adds one stride given its per-sample angles (tilt, obliquity, rotation), resampled linearly to 101 points.
    mutating func add(side: Side, angles: UnsafeBufferPointer<SIMD3<Double>>) {
        guard side != .unknown, angles.count >= 2 else { return }
        let s = side == .left ? 0 : 1
        if s == 0 { count.0 += 1 } else { count.1 += 1 }
        let base = s * Self.perSide, n = angles.count
        sum.withUnsafeMutableBufferPointer { sm in
            sumSquares.withUnsafeMutableBufferPointer { sq in
                for p in 0..<PelvisCycle.points {
                    let x = Double(p) / 100 * Double(n - 1)
                    let i = Swift.min(Int(x), n - 2)
                    let v = angles[i] + (x - Double(i)) * (angles[i + 1] - angles[i])
                    for a in 0..<3 {
                        sm[base + a * PelvisCycle.points + p] += v[a]
                        sq[base + a * PelvisCycle.points + p] += v[a] * v[a]
                    }
                }
            }
        }
    }

    func result() -> PelvisCycle? {
        func side(_ s: Int) -> PelvisCycle.SideCycle? {
            let n = s == 0 ? count.0 : count.1
            guard n > 0 else { return nil }
            func curve(_ a: Int) -> PelvisCycle.Curve {
                var m = [Double](repeating: 0, count: PelvisCycle.points), sd = m
                for p in 0..<PelvisCycle.points {
                    let k = s * Self.perSide + a * PelvisCycle.points + p
                    m[p] = sum[k] / Double(n)
                    sd[p] = n > 1 ? Swift.max(0, (sumSquares[k] - Double(n) * m[p] * m[p]) / Double(n - 1)).squareRoot() : 0
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
    /// Per-sample angles of one stride for the cycle curves, written into `out` (reused between strides): tilt =
    /// `meanDeg` + centred drift-removed ∫ω·ML, obliquity = centred drift-removed −∫ω·AP, rotation = centred
    /// drift-removed ∫ω·V.
    static func curves(count: Int, dt: Double, meanDeg: Double, sample: (Int) -> Sample,
                       into out: inout ContiguousArray<SIMD3<Double>>) {
        out.removeAll(keepingCapacity: true)
        var acc = SIMD3<Double>(repeating: 0)
        for k in 0..<count {
            let s = sample(k)
            if k > 0 { acc += SIMD3(s.wML, -s.wAP, s.wV) * dt }
            out.append(acc)
        }
        let end = acc, last = Double(Swift.max(count - 1, 1))
        var mean = SIMD3<Double>(repeating: 0)
        for k in 0..<count { out[k] -= (Double(k) / last) * end; mean += out[k] }
        mean /= Double(count)
        let shift = SIMD3(meanDeg, 0, 0) - mean
        for k in 0..<count { out[k] += shift }
    }
}

extension PelvisCycle {
    /// The cycles of consecutive stretches of one recording as one (long recordings are analysed an hour at a
    /// time): per side and point, means weighted by stride counts and the SD from the pooled sums of squares —
    /// exactly what one pass over all strides gives.
    public static func pooled(_ parts: [PelvisCycle]) -> PelvisCycle? {
        func pool(_ cycles: [SideCycle]) -> SideCycle? {
            guard let first = cycles.first else { return nil }
            let n = cycles.reduce(0) { $0 + $1.strides }
            guard n > 0 else { return nil }
            func curve(_ pick: (SideCycle) -> Curve) -> Curve {
                var mean = [Double](repeating: 0, count: PelvisCycle.points)
                var sd = mean
                for i in 0..<PelvisCycle.points {
                    var sum = 0.0, sumSq = 0.0
                    for c in cycles {
                        let k = Double(c.strides), m = pick(c).meanDeg[i], s = pick(c).sdDeg[i]
                        sum += k * m
                        sumSq += (k - 1) * s * s + k * m * m       // per part: Σx² = (k−1)s² + k·m²
                    }
                    mean[i] = sum / Double(n)
                    sd[i] = n > 1 ? max(0, (sumSq - Double(n) * mean[i] * mean[i]) / Double(n - 1)).squareRoot() : 0
                }
                return Curve(meanDeg: mean, sdDeg: sd)
            }
            return SideCycle(side: first.side, strides: n, tilt: curve(\.tilt), obliquity: curve(\.obliquity),
                             rotation: curve(\.rotation))
        }
        let out = PelvisCycle(left: pool(parts.compactMap(\.left)), right: pool(parts.compactMap(\.right)))
        return out.left == nil && out.right == nil ? nil : out
    }
}
