import Foundation

/// The three O(n) filter primitives of docs/research/gait/ALGORITHM.md §1, parameterised in seconds so they scale with the rate.

/// Coefficient of the causal first-order low-pass `y += a·(x − y)`: `a = 1 − exp(−1/(τ·fs))`.
@inline(__always) func emaCoefficient(tauSeconds: Double, rateHz: Double) -> Double {
    1 - exp(-1 / (tauSeconds * rateHz))
}

/// Samples in `seconds`, rounded half to even like the prototype's Python `round`.
@inline(__always) func samples(_ seconds: Double, _ rateHz: Double) -> Int {
    Int((seconds * rateHz).rounded(.toNearestOrEven))
}

/// Sampled Gaussian (unit DC gain) or derivative of Gaussian (unit slope gain: a ramp of 1 per second gives 1),
/// half-width `h = ceil(3σ·fs)`. Used as a correlation kernel: `y[n] = Σ_m k[m]·x[n+m]`, m = −h…h.
struct GaussianKernel {
    let weights: ContiguousArray<Double>
    let half: Int

    init(sigmaSeconds: Double, rateHz: Double, derivative: Bool = false) {
        let h = Int((3 * sigmaSeconds * rateHz).rounded(.up))
        half = h
        var w = ContiguousArray<Double>(repeating: 0, count: 2 * h + 1)
        var sum = 0.0
        for m in -h...h {
            let k = Double(m) / rateHz
            let v = exp(-0.5 * (k / sigmaSeconds) * (k / sigmaSeconds))
            w[m + h] = v
            sum += v
        }
        for i in w.indices { w[i] /= sum }
        if derivative {
            // d = k·w normalised so that Σ d[m]·k[m] = 1 (odd: + for future samples)
            var norm = 0.0
            for m in -h...h {
                let k = Double(m) / rateHz
                w[m + h] *= k
                norm += w[m + h] * k
            }
            for i in w.indices { w[i] /= norm }
        }
        weights = w
    }

    var taps: Int { weights.count }
}

/// Whole-signal filters for the batch analyzer. Streaming computes the same outputs sample by sample from its rings
/// (delayed by the kernel half-width), with the same summation order, so both agree to the last bit.
enum BatchFilters {
    /// Outputs per block of `correlate` (2 KiB of accumulators: stays in L1 with its inputs).
    static let correlateBlock = 256

    /// `x − ema(x, τ)` in place (the high-pass of §2.2 and §5): a causal EMA with its state initialised to x[0]
    /// (so the first output is 0), subtracted as it runs, without a temporary array for the low-pass.
    static func subtractEMA(_ x: inout ContiguousArray<Double>, tauSeconds: Double, rateHz: Double) {
        let n = x.count
        guard n > 0 else { return }
        let a = emaCoefficient(tauSeconds: tauSeconds, rateHz: rateHz)
        x.withUnsafeMutableBufferPointer { p in
            var s = p[0]
            for i in 0..<n {
                s += a * (p[i] - s)
                p[i] -= s
            }
        }
    }

    /// Centred FIR `y[n] = Σ_{m=−h…h} k[m]·x[n+m]`, edges padded with the edge value (np.correlate on a padded copy).
    ///
    /// The interior is accumulated tap by tap over a block of outputs, which vectorises; each output still sums its
    /// taps in ascending order starting from 0, exactly like the streaming FIR, so both give the same bits. Blocks of
    /// `correlateBlock` outputs keep the accumulator in L1 across the taps: tap by tap over the whole session
    /// streamed the output array through memory once per tap (49 taps × 2.9 MB for an hour at 100 Hz), which made
    /// this filter the batch analyzer's largest cost.
    static func correlate(_ x: UnsafeBufferPointer<Double>, _ kernel: GaussianKernel) -> ContiguousArray<Double> {
        let n = x.count
        var y = ContiguousArray<Double>(repeating: 0, count: n)
        guard n > 0 else { return y }
        let h = kernel.half
        let taps = 2 * h + 1
        kernel.weights.withUnsafeBufferPointer { w in
            y.withUnsafeMutableBufferPointer { out in
                func edge(_ j: Int) { out[j] = kernel.correlate(x, at: j, first: 0, last: n - 1) }
                let lo = h, hi = n - h
                if hi > lo {
                    guard let xs = x.baseAddress, let ys = out.baseAddress else { return }
                    var b0 = lo
                    while b0 < hi {
                        let b1 = Swift.min(hi, b0 + correlateBlock)
                        for m in 0..<taps {
                            let wm = w[m]
                            let src = xs + (m - h)
                            for j in b0..<b1 { ys[j] += wm * src[j] }
                        }
                        b0 = b1
                    }
                    for j in 0..<lo { edge(j) }
                    for j in hi..<n { edge(j) }
                } else {
                    for j in 0..<n { edge(j) }
                }
            }
        }
        return y
    }

    static func correlate(_ x: ContiguousArray<Double>, _ kernel: GaussianKernel) -> ContiguousArray<Double> {
        x.withUnsafeBufferPointer { correlate($0, kernel) }
    }
}

/// Dot product of `count` doubles with four partial sums (instruction-level parallelism; the order is fixed, so
/// batch and streaming, which both call it, agree exactly).
@inline(__always)
func dotProduct(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count n: Int) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var i = 0
    while i + 4 <= n {
        s0 += a[i] * b[i]
        s1 += a[i + 1] * b[i + 1]
        s2 += a[i + 2] * b[i + 2]
        s3 += a[i + 3] * b[i + 3]
        i += 4
    }
    while i < n { s0 += a[i] * b[i]; i += 1 }
    return (s0 + s1) + (s2 + s3)
}

/// Small statistics on short arrays (per bout, per window), allocation only per call.
enum Stats {
    /// numpy median: mean of the two middle values for an even count; `nil` when empty.
    static func median<C: Collection>(_ values: C) -> Double? where C.Element == Double {
        if values.isEmpty { return nil }
        let s = values.sorted()
        let n = s.count
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])
    }

    static func mean<C: Collection>(_ values: C) -> Double? where C.Element == Double {
        if values.isEmpty { return nil }
        var s = 0.0
        for v in values { s += v }
        return s / Double(values.count)
    }

    /// Population standard deviation (numpy default, ddof = 0).
    static func populationSD<C: Collection>(_ values: C) -> Double where C.Element == Double {
        guard let m = mean(values) else { return 0 }
        var s = 0.0
        for v in values { s += (v - m) * (v - m) }
        return (s / Double(values.count)).squareRoot()
    }

    /// Sample standard deviation (n − 1), as used for coefficients of variation; `nil` below 2 values.
    static func sampleSD<C: Collection>(_ values: C) -> Double? where C.Element == Double {
        guard values.count >= 2, let m = mean(values) else { return nil }
        var s = 0.0
        for v in values { s += (v - m) * (v - m) }
        return (s / Double(values.count - 1)).squareRoot()
    }
}
