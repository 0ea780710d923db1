import Foundation

/// Spectral centroid and bandwidth of an event, with the noise just before the event subtracted.
///
/// Welch's method (P. Welch, IEEE Trans. Audio Electroacoust. 15(2), 1967): Hann-windowed frames of ~16 ms,
/// 50 % overlap, power averaged. A short click gets one frame centred on its energy, so the window does not
/// attenuate it. The same is done on the stretch before the onset, and that noise power is subtracted bin by bin
/// (spectral subtraction, S. Boll, IEEE Trans. ASSP 27(2), 1979) — otherwise swing-phase rustle, which is mostly
/// high-frequency, would pull every weak event's centroid up. Buffers are allocated once; the FFT is an in-place
/// iterative radix-2 Cooley–Tukey transform.
final class SpectrumAnalyzer {
    let size: Int
    let sampleRateHz: Double
    private var re: [Double]
    private var im: [Double]
    private var window: [Double]
    private var cosTable: [Double]
    private var sinTable: [Double]
    private var eventPower: [Double]
    private var noisePower: [Double]
    private let log2n: Int

    init(sampleRateHz: Double, frameSeconds: Double = 0.016) {
        self.sampleRateHz = sampleRateHz
        var n = 128
        while n < Int(frameSeconds * sampleRateHz) && n < 4096 { n <<= 1 }
        size = n
        var l = 0
        while (1 << l) < n { l += 1 }
        log2n = l
        re = [Double](repeating: 0, count: n)
        im = [Double](repeating: 0, count: n)
        window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * (Double($0) + 0.5) / Double(n)) }
        cosTable = (0..<(n / 2)).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        sinTable = (0..<(n / 2)).map { -sin(2 * Double.pi * Double($0) / Double(n)) }
        eventPower = [Double](repeating: 0, count: n / 2 + 1)
        noisePower = [Double](repeating: 0, count: n / 2 + 1)
    }

    /// In-place radix-2 FFT of `re`/`im`. Works on raw buffers: indexing the class's arrays directly cost a dynamic
    /// exclusivity check per access (≈ 8 % of the pop benchmark).
    private func fft() {
        let n = size
        re.withUnsafeMutableBufferPointer { rp in
          im.withUnsafeMutableBufferPointer { ip in
            cosTable.withUnsafeBufferPointer { ct in
              sinTable.withUnsafeBufferPointer { st in
                let re = rp.baseAddress!, im = ip.baseAddress!, cs = ct.baseAddress!, sn = st.baseAddress!
                // Bit reversal.
                var j = 0
                for i in 1..<n {
                    var bit = n >> 1
                    while j & bit != 0 { j ^= bit; bit >>= 1 }
                    j |= bit
                    if i < j { swap(&re[i], &re[j]); swap(&im[i], &im[j]) }
                }
                var len = 2
                while len <= n {
                    let half = len / 2, step = n / len
                    var start = 0
                    while start < n {
                        for k in 0..<half {
                            let wr = cs[k * step], wi = sn[k * step]
                            let a = start + k, b = a + half
                            let tr = re[b] * wr - im[b] * wi
                            let ti = re[b] * wi + im[b] * wr
                            re[b] = re[a] - tr; im[b] = im[a] - ti
                            re[a] += tr; im[a] += ti
                        }
                        start += len
                    }
                    len <<= 1
                }
              }
            }
          }
        }
    }

    /// Adds the windowed power spectrum of `size` samples starting at absolute index `first` into `acc`.
    private func accumulate(_ history: SignalHistory, first: Int, into acc: inout [Double]) {
        let n = size
        re.withUnsafeMutableBufferPointer { rp in
          im.withUnsafeMutableBufferPointer { ip in
            window.withUnsafeBufferPointer { wp in
                for i in 0..<n {
                    rp[i] = Double(history.sample(first + i)) * wp[i]
                    ip[i] = 0
                }
            }
          }
        }
        fft()
        re.withUnsafeBufferPointer { rp in
          im.withUnsafeBufferPointer { ip in
            acc.withUnsafeMutableBufferPointer { ap in
                for k in 0...(n / 2) { ap[k] += rp[k] * rp[k] + ip[k] * ip[k] }
            }
          }
        }
    }

    /// Centroid and bandwidth (Hz) of the samples `[onset, end)` in `[lowHz, highHz]`. `earliest`/`latest` bound
    /// what the history still holds / already holds.
    func centroid(_ history: SignalHistory, onset: Int, end: Int, centre: Int, earliest: Int, latest: Int,
                  lowHz: Double, highHz: Double) -> (centroidHz: Double, bandwidthHz: Double, peakHz: Double) {
        for k in eventPower.indices { eventPower[k] = 0; noisePower[k] = 0 }
        let n = size
        var frames = 0
        if end - onset <= n * 3 / 4 {
            let first = min(max(centre - n / 2, onset - n / 4), latest - n + 1)
            accumulate(history, first: first, into: &eventPower)
            frames = 1
        } else {
            var first = onset - n / 8
            while first + n / 2 < end && frames < 16 && first + n - 1 <= latest {
                accumulate(history, first: first, into: &eventPower)
                frames += 1
                first += n / 2
            }
            if frames == 0 { accumulate(history, first: latest - n + 1, into: &eventPower); frames = 1 }
        }
        // Noise: the frame(s) ending 1 ms before the onset.
        let gap = Int(0.001 * sampleRateHz)
        var noiseFrames = 0
        var nf = onset - gap - n
        while noiseFrames < 2 && nf >= earliest {
            accumulate(history, first: nf, into: &noisePower)
            noiseFrames += 1
            nf -= n / 2
        }
        let binHz = sampleRateHz / Double(n)
        let k0 = max(1, Int((lowHz / binHz).rounded(.up)))
        let k1 = min(n / 2, Int(highHz / binHz))
        let invE = 1 / Double(frames), invN = noiseFrames > 0 ? 1 / Double(noiseFrames) : 0
        var clean = 0.0, raw = 0.0
        for k in k0...k1 {
            raw += eventPower[k] * invE
            clean += max(eventPower[k] * invE - noisePower[k] * invN, 0)
        }
        // If subtraction leaves (almost) nothing, the event is no louder than the noise before it in any bin:
        // fall back to its raw spectrum.
        let subtract = clean > raw * 1e-3
        @inline(__always) func power(_ k: Int) -> Double {
            subtract ? max(eventPower[k] * invE - noisePower[k] * invN, 0) : eventPower[k] * invE
        }
        var w = 0.0, wf = 0.0
        for k in k0...k1 { let p = power(k); w += p; wf += p * Double(k) * binHz }
        guard w > 0 else { return (0, 0, 0) }
        let c = wf / w
        var sv = 0.0
        var peakP = -1.0, peakK = k0
        for k in k0...k1 {
            let p = power(k)
            let d = Double(k) * binHz - c
            sv += p * d * d
            // The peak of a 3-bin running sum, so that one noisy bin cannot win.
            let p3 = p + (k > k0 ? power(k - 1) : 0) + (k < k1 ? power(k + 1) : 0)
            if p3 > peakP { peakP = p3; peakK = k }
        }
        return (c, (sv / w).squareRoot(), Double(peakK) * binHz)
    }
}
