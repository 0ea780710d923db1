import SensorProtocol

/// Produces the raw samples a virtual sensor streams. Indices are running sample numbers at the stream's own rate,
/// so a source is a pure function of time and needs no knowledge of blocks or frames.
public protocol SignalSource: AnyObject {
    /// Fills `out` with `count` interleaved IMU samples (3 or 6 raw counts each) starting at `firstIndex`.
    func imu(firstIndex: Int, count: Int, channels: Int, into out: inout [Int16])
    /// Fills `out` with `count` raw audio samples starting at `firstIndex`.
    func audio(firstIndex: Int, count: Int, into out: inout [Int16])
}

/// A still sensor with gravity on z and low noise: the simplest honest signal, used by protocol and device tests.
public final class StillSource: SignalSource {
    private var rng: SplitMix64
    private let accRangeG: Double

    public init(seed: UInt64 = 1, accRangeG: Double = 8) {
        rng = SplitMix64(seed: seed)
        self.accRangeG = accRangeG
    }

    public func imu(firstIndex: Int, count: Int, channels: Int, into out: inout [Int16]) {
        out.removeAll(keepingCapacity: true)
        let g = 32768 / accRangeG
        for _ in 0..<count {
            out.append(Int16(rng.gaussian() * 0.005 * g))
            out.append(Int16(rng.gaussian() * 0.005 * g))
            out.append(Int16((1 + rng.gaussian() * 0.005) * g))
            if channels == 6 {
                for _ in 0..<3 { out.append(Int16(rng.gaussian() * 20)) }
            }
        }
    }

    public func audio(firstIndex: Int, count: Int, into out: inout [Int16]) {
        out.removeAll(keepingCapacity: true)
        for _ in 0..<count { out.append(Int16(rng.gaussian() * 30)) }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, and identical on every platform — what a fixed `--seed`
/// needs to give identical output everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// Standard normal (Box–Muller).
    public mutating func gaussian() -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }
}

@inline(__always) func _log(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.log(x)
    #else
    return Foundation.log(x)
    #endif
}

@inline(__always) func _cos(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.cos(x)
    #else
    return Foundation.cos(x)
    #endif
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
