import Foundation

/// The per-sample signals of the batch analyzer (docs/research/gait/ALGORITHM.md §2.1–2.2, §3.1, §4), one contiguous array each.
struct SessionSignals {
    let count: Int
    let rateHz: Double
    /// Acceleration in g and angular rate in deg/s per axis (structure of arrays).
    var ax, ay, az: ContiguousArray<Double>
    var gx, gy, gz: ContiguousArray<Double>?
    /// u(t): unit up vector, `ema(acc, TAU_GRAVITY)/|…|` (points up in any mounting, upside down included).
    var ux, uy, uz: ContiguousArray<Double>
    /// a_v = acc·u (g, ≈ 1 at rest).
    var av: ContiguousArray<Double>
    /// a_v_hp = a_v − ema(a_v, TAU_HP).
    var avHighPass: ContiguousArray<Double>
    /// cyc = gauss(a_v_hp, SIG_CYCLE): one positive lobe per step (the loading response).
    var cycle: ContiguousArray<Double>
    /// s_fine = gauss(a_v, SIG_FINE) and ds = dgauss(a_v, SIG_FINE) (g/s) for event timing.
    var fine: ContiguousArray<Double>
    var slope: ContiguousArray<Double>
    /// The input was in m/s² and was converted.
    var converted: Bool

    init(_ s: IMUSeries, config cfg: GaitConfig, sigmaCycleSeconds: Double) {
        let n = s.count
        let fs = s.rateHz
        count = n
        rateHz = fs
        let scale = InputUnits.scaleToG(s.accG, threshold: cfg.metresPerSecondSquaredThreshold)
        converted = scale != 1
        var x = ContiguousArray<Double>(repeating: 0, count: n)
        var y = x, z = x
        s.accG.withUnsafeBufferPointer { a in
            for i in 0..<n {
                x[i] = Double(a[3 * i]) * scale
                y[i] = Double(a[3 * i + 1]) * scale
                z[i] = Double(a[3 * i + 2]) * scale
            }
        }
        ax = x; ay = y; az = z
        if let g = s.gyroDps {
            var p = ContiguousArray<Double>(repeating: 0, count: n)
            var q = p, r = p
            g.withUnsafeBufferPointer { w in
                for i in 0..<n {
                    p[i] = Double(w[3 * i]); q[i] = Double(w[3 * i + 1]); r[i] = Double(w[3 * i + 2])
                }
            }
            gx = p; gy = q; gz = r
        } else {
            gx = nil; gy = nil; gz = nil
        }
        // gravity direction
        var upX = BatchFilters.ema(x, tauSeconds: cfg.tauGravitySeconds, rateHz: fs)
        var upY = BatchFilters.ema(y, tauSeconds: cfg.tauGravitySeconds, rateHz: fs)
        var upZ = BatchFilters.ema(z, tauSeconds: cfg.tauGravitySeconds, rateHz: fs)
        var v = ContiguousArray<Double>(repeating: 0, count: n)
        for i in 0..<n {
            let l = (upX[i] * upX[i] + upY[i] * upY[i] + upZ[i] * upZ[i]).squareRoot()
            let inv = l > 0 ? 1 / l : 0
            upX[i] *= inv; upY[i] *= inv; upZ[i] *= inv
            v[i] = x[i] * upX[i] + y[i] * upY[i] + z[i] * upZ[i]
        }
        ux = upX; uy = upY; uz = upZ
        av = v
        var hp = v
        BatchFilters.subtractEMA(&hp, tauSeconds: cfg.tauHighPassSeconds, rateHz: fs)
        avHighPass = hp
        cycle = BatchFilters.correlate(hp, GaussianKernel(sigmaSeconds: sigmaCycleSeconds, rateHz: fs))
        fine = BatchFilters.correlate(v, GaussianKernel(sigmaSeconds: cfg.sigmaFineSeconds, rateHz: fs))
        slope = BatchFilters.correlate(v, GaussianKernel(sigmaSeconds: cfg.sigmaFineSeconds, rateHz: fs,
                                                          derivative: true))
    }

    var hasGyro: Bool { gx != nil }

    @inline(__always) func acc(_ i: Int) -> SIMD3<Double> { SIMD3(ax[i], ay[i], az[i]) }
    @inline(__always) func up(_ i: Int) -> SIMD3<Double> { SIMD3(ux[i], uy[i], uz[i]) }
    @inline(__always) func gyro(_ i: Int) -> SIMD3<Double>? {
        guard let gx = gx, let gy = gy, let gz = gz else { return nil }
        return SIMD3(gx[i], gy[i], gz[i])
    }

    /// Mean of u over `range`, normalised (a bout's vertical).
    func meanUp(_ range: Range<Int>) -> SIMD3<Double> {
        var s = SIMD3<Double>(repeating: 0)
        for i in range { s += up(i) }
        return s.normalized
    }
}
