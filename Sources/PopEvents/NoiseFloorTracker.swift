import Foundation

/// Adaptive noise floor: a low percentile of short-frame log energy over a sliding window.
///
/// Why a low percentile: between footfalls, rustle and pops the microphone hears only body noise, so the quietest
/// fifth of 10 ms frames over the last few seconds is the floor, whatever the wearer's level (quiet or loud) and
/// however it drifts. This is the idea of minimum statistics (R. Martin, "Noise power spectral density estimation
/// based on optimal smoothing and minimum statistics", IEEE Trans. Speech Audio Proc. 9(5), 2001), made exact and
/// cheap with a histogram of 0.5 dB bins: pushing a frame is O(1), reading the percentile scans at most 440 bins
/// and happens once per frame, never per sample. Memory is fixed at construction.
struct NoiseFloorTracker {
    static let minDb = -200.0
    static let binsPerDb = 2.0
    static let binCount = 440 // -200 … +20 dB

    private var histogram: [Int32]
    private var ring: [UInt16]
    private var head = 0
    private var count = 0
    let percentile: Double
    /// Floor as a mean square (full scale = 1).
    private(set) var floorMeanSquare: Double = 0
    private(set) var frames = 0

    init(windowFrames: Int, percentile: Double) {
        precondition(windowFrames > 0 && percentile > 0 && percentile < 1)
        histogram = [Int32](repeating: 0, count: Self.binCount)
        ring = [UInt16](repeating: 0, count: windowFrames)
        self.percentile = percentile
    }

    static func bin(ofMeanSquare e: Double) -> Int {
        let db = 10 * log10(max(e, 1e-20))
        return min(max(Int((db - minDb) * binsPerDb), 0), binCount - 1)
    }

    /// Bin holding the percentile, and how many frames lie in bins below it (kept up to date incrementally).
    private var k = 0
    private var below = 0

    mutating func push(meanSquare e: Double) {
        let b = Self.bin(ofMeanSquare: e)
        if count == ring.count {
            let old = Int(ring[head])
            histogram[old] -= 1
            if old < k { below -= 1 }
        } else {
            count += 1
        }
        ring[head] = UInt16(b)
        head = head + 1 == ring.count ? 0 : head + 1
        histogram[b] += 1
        if b < k { below += 1 }
        frames += 1
        // Move the percentile bin: the lowest bin whose cumulative count reaches the target.
        let target = max(1, Int((Double(count) * percentile).rounded(.up)))
        while below + Int(histogram[k]) < target && k < Self.binCount - 1 {
            below += Int(histogram[k])
            k += 1
        }
        while k > 0 && below >= target {
            k -= 1
            below -= Int(histogram[k])
        }
        floorMeanSquare = noiseFloorBinMeanSquares[k]
    }

    /// The mean square each bin stands for (its centre): `binMeanSquare(k)` for every bin.
    static func binMeanSquare(_ k: Int) -> Double { pow(10, (minDb + (Double(k) + 0.5) / binsPerDb) / 10) }
}

/// `NoiseFloorTracker.binMeanSquare` of every bin, computed once: the same `pow` on the same arguments, so the same
/// values, without a `pow` at every frame of every stream (nine per 10 ms in the detector, ≈ 1 % of a report's CPU).
private let noiseFloorBinMeanSquares: [Double] = (0..<NoiseFloorTracker.binCount).map { NoiseFloorTracker.binMeanSquare($0) }
