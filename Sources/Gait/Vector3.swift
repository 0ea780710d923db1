import Foundation

/// Small 3-D helpers on `SIMD3<Double>` (sensor-frame vectors). Internal: the public API exposes plain SIMD3 values.
extension SIMD3 where Scalar == Double {
    @inline(__always) func dot(_ o: SIMD3<Double>) -> Double { x * o.x + y * o.y + z * o.z }

    /// Right-handed cross product; V × AP = ML (left) is the body-frame convention of docs/research/gait/ALGORITHM.md §0.
    @inline(__always) func cross(_ o: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x)
    }

    @inline(__always) var length: Double { dot(self).squareRoot() }

    /// Unit vector; the zero vector stays zero (callers check `length` where that matters).
    @inline(__always) var normalized: SIMD3<Double> {
        let l = length
        return l > 0 ? self / l : self
    }

    /// Angle to `o` in degrees (0…180).
    func angleDeg(to o: SIMD3<Double>) -> Double {
        let c = dot(o) / Swift.max(length * o.length, 1e-300)
        return acos(Swift.max(-1, Swift.min(1, c))) * 180 / Double.pi
    }
}

/// A 3×3 matrix as three rows, for the lag covariance of horizontal acceleration in sensor coordinates (§2).
struct Matrix3: Equatable {
    var r0 = SIMD3<Double>(repeating: 0)
    var r1 = SIMD3<Double>(repeating: 0)
    var r2 = SIMD3<Double>(repeating: 0)

    static let zero = Matrix3()

    /// self += a · bᵀ
    @inline(__always) mutating func addOuter(_ a: SIMD3<Double>, _ b: SIMD3<Double>) {
        r0 += a.x * b
        r1 += a.y * b
        r2 += a.z * b
    }

    /// (M + Mᵀ) / 2
    var symmetrized: Matrix3 {
        var m = Matrix3()
        m.r0 = SIMD3(r0.x, 0.5 * (r0.y + r1.x), 0.5 * (r0.z + r2.x))
        m.r1 = SIMD3(m.r0.y, r1.y, 0.5 * (r1.z + r2.y))
        m.r2 = SIMD3(m.r0.z, m.r1.z, r2.z)
        return m
    }

    static func * (m: Matrix3, s: Double) -> Matrix3 {
        var o = m
        o.r0 *= s; o.r1 *= s; o.r2 *= s
        return o
    }

    static func + (a: Matrix3, b: Matrix3) -> Matrix3 {
        var o = a
        o.r0 += b.r0; o.r1 += b.r1; o.r2 += b.r2
        return o
    }

    /// M · v
    @inline(__always) func apply(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(r0.dot(v), r1.dot(v), r2.dot(v)) }

    /// aᵀ · M · b
    @inline(__always) func form(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { a.dot(apply(b)) }
}
