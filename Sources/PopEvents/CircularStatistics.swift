import Foundation

/// Circular statistics of stride phases (cycle percent maps to an angle: 100 % = 2π), after N. I. Fisher,
/// *Statistical Analysis of Circular Data*, 1993, and J. H. Zar, *Biostatistical Analysis*, 4th ed., 1999, ch. 27.
public struct CircularSummary: Codable, Equatable, Sendable {
    public var count: Int
    /// Circular mean phase (0–100).
    public var meanCyclePercent: Double
    /// Mean resultant length R (0: spread evenly round the cycle … 1: all at one phase).
    public var resultantLength: Double
    /// Circular standard deviation, sqrt(−2 ln R), in cycle percent.
    public var circularSdPercent: Double
    /// Rayleigh's Z = n R².
    public var rayleighZ: Double
    /// Rayleigh test p-value against a uniform phase (Zar 1999, eq. 27.4):
    /// p ≈ exp(√(1 + 4n + 4(n² − Rₙ²)) − (1 + 2n)), Rₙ = n R.
    public var rayleighP: Double
}

public enum CircularStatistics {
    /// nil for an empty list.
    public static func summary(cyclePercents p: [Double]) -> CircularSummary? {
        guard !p.isEmpty else { return nil }
        var c = 0.0, s = 0.0
        for x in p {
            let a = 2 * Double.pi * x / 100
            c += cos(a); s += sin(a)
        }
        let n = Double(p.count)
        let rn = (c * c + s * s).squareRoot()
        let r = rn / n
        var mean = atan2(s, c) / (2 * Double.pi) * 100
        if mean < 0 { mean += 100 }
        let sd = r > 0 ? (-2 * log(r)).squareRoot() / (2 * Double.pi) * 100 : .infinity
        return CircularSummary(count: p.count, meanCyclePercent: mean, resultantLength: r,
                               circularSdPercent: min(sd, 100), rayleighZ: n * r * r,
                               rayleighP: rayleighP(n: p.count, resultantLength: r))
    }

    /// Zar's approximation of the Rayleigh test's p-value, clamped to [0, 1].
    public static func rayleighP(n: Int, resultantLength r: Double) -> Double {
        guard n > 0 else { return 1 }
        let nd = Double(n), rn = nd * r
        let p = exp((1 + 4 * nd + 4 * (nd * nd - rn * rn)).squareRoot() - (1 + 2 * nd))
        return min(max(p, 0), 1)
    }

    /// Distance between two cycle percents round the circle (0–50).
    public static func distance(_ a: Double, _ b: Double) -> Double {
        let d = abs(a - b).truncatingRemainder(dividingBy: 100)
        return min(d, 100 - d)
    }
}
