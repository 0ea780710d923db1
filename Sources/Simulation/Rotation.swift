import Foundation

/// A 3×3 rotation matrix, row-major. Small and explicit: the simulator needs a handful of products per sample.
public struct Mat3: Equatable, Sendable {
    public var m: (Double, Double, Double, Double, Double, Double, Double, Double, Double)

    public static func == (a: Mat3, b: Mat3) -> Bool {
        a.m.0 == b.m.0 && a.m.1 == b.m.1 && a.m.2 == b.m.2 && a.m.3 == b.m.3 && a.m.4 == b.m.4
            && a.m.5 == b.m.5 && a.m.6 == b.m.6 && a.m.7 == b.m.7 && a.m.8 == b.m.8
    }

    public init(_ a: Double, _ b: Double, _ c: Double, _ d: Double, _ e: Double, _ f: Double, _ g: Double,
                _ h: Double, _ i: Double) {
        m = (a, b, c, d, e, f, g, h, i)
    }

    public static let identity = Mat3(1, 0, 0, 0, 1, 0, 0, 0, 1)

    /// Rotation about x (roll), y (pitch) and z (yaw), angles in degrees, right-handed.
    public static func rx(_ deg: Double) -> Mat3 {
        let r = deg * .pi / 180, c = cos(r), s = sin(r)
        return Mat3(1, 0, 0, 0, c, -s, 0, s, c)
    }
    public static func ry(_ deg: Double) -> Mat3 {
        let r = deg * .pi / 180, c = cos(r), s = sin(r)
        return Mat3(c, 0, s, 0, 1, 0, -s, 0, c)
    }
    public static func rz(_ deg: Double) -> Mat3 {
        let r = deg * .pi / 180, c = cos(r), s = sin(r)
        return Mat3(c, -s, 0, s, c, 0, 0, 0, 1)
    }

    public static func * (a: Mat3, b: Mat3) -> Mat3 {
        let x = a.m, y = b.m
        return Mat3(x.0 * y.0 + x.1 * y.3 + x.2 * y.6, x.0 * y.1 + x.1 * y.4 + x.2 * y.7, x.0 * y.2 + x.1 * y.5 + x.2 * y.8,
                    x.3 * y.0 + x.4 * y.3 + x.5 * y.6, x.3 * y.1 + x.4 * y.4 + x.5 * y.7, x.3 * y.2 + x.4 * y.5 + x.5 * y.8,
                    x.6 * y.0 + x.7 * y.3 + x.8 * y.6, x.6 * y.1 + x.7 * y.4 + x.8 * y.7, x.6 * y.2 + x.7 * y.5 + x.8 * y.8)
    }

    public var transposed: Mat3 { Mat3(m.0, m.3, m.6, m.1, m.4, m.7, m.2, m.5, m.8) }

    public func apply(_ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(m.0 * v.x + m.1 * v.y + m.2 * v.z, m.3 * v.x + m.4 * v.y + m.5 * v.z, m.6 * v.x + m.7 * v.y + m.8 * v.z)
    }

    /// Sensor axes expressed in the pelvis frame for a mounting (yaw · pitch · roll).
    public static func mount(_ mt: Scenario.Mount) -> Mat3 { rz(mt.yawDeg) * ry(mt.pitchDeg) * rx(mt.rollDeg) }
}
