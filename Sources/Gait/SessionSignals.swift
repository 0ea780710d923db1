import Foundation

/// The per-sample signals of the batch analyzer (docs/research/gait/ALGORITHM.md §2.1–2.2, §3.1, §4), one contiguous array each.
struct SessionSignals {
    let count: Int
    let rateHz: Double
    /// Acceleration as given (x, y, z interleaved) and its factor to g; angular rate in deg/s as given. Read where
    /// needed (widened to Double exactly and scaled, the same bits as a converted copy) rather than copied into six
    /// more session-long arrays.
    let accInput: ContiguousArray<Float>
    let accScale: Double
    let gyroDps: ContiguousArray<Float>?
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

    /// One pass converts the acceleration, runs the three gravity EMAs, normalises u and projects a_v, and a second
    /// forms a_v_hp: the same operations, in the same order, as separate per-signal passes, with fewer session-long
    /// arrays (an hour at 100 Hz is 2.9 MB per array, and each fresh one costs page faults).
    init(_ s: IMUSeries, config cfg: GaitConfig, sigmaCycleSeconds: Double) {
        let n = s.count
        let fs = s.rateHz
        count = n
        rateHz = fs
        let scale = InputUnits.scaleToG(s.accG, threshold: cfg.metresPerSecondSquaredThreshold)
        converted = scale != 1
        gyroDps = s.gyroDps
        accInput = s.accG
        accScale = scale
        var upX = ContiguousArray<Double>(repeating: 0, count: n)
        var upY = ContiguousArray<Double>(repeating: 0, count: n)
        var upZ = ContiguousArray<Double>(repeating: 0, count: n)
        var v = ContiguousArray<Double>(repeating: 0, count: n)
        if n > 0 {
            let a = emaCoefficient(tauSeconds: cfg.tauGravitySeconds, rateHz: fs)
            s.accG.withUnsafeBufferPointer { acc in
                var sx = Double(acc[0]) * scale, sy = Double(acc[1]) * scale, sz = Double(acc[2]) * scale
                for i in 0..<n {
                    let xi = Double(acc[3 * i]) * scale
                    let yi = Double(acc[3 * i + 1]) * scale
                    let zi = Double(acc[3 * i + 2]) * scale
                    // gravity direction
                    sx += a * (xi - sx); sy += a * (yi - sy); sz += a * (zi - sz)
                    let l = (sx * sx + sy * sy + sz * sz).squareRoot()
                    let inv = l > 0 ? 1 / l : 0
                    let px = sx * inv, py = sy * inv, pz = sz * inv
                    upX[i] = px; upY[i] = py; upZ[i] = pz
                    v[i] = xi * px + yi * py + zi * pz
                }
            }
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

    var hasGyro: Bool { gyroDps != nil }

    @inline(__always) func acc(_ i: Int) -> SIMD3<Double> {
        SIMD3(Double(accInput[3 * i]) * accScale, Double(accInput[3 * i + 1]) * accScale,
              Double(accInput[3 * i + 2]) * accScale)
    }
    @inline(__always) func up(_ i: Int) -> SIMD3<Double> { SIMD3(ux[i], uy[i], uz[i]) }
    @inline(__always) func gyro(_ i: Int) -> SIMD3<Double>? {
        guard let g = gyroDps else { return nil }
        return SIMD3(Double(g[3 * i]), Double(g[3 * i + 1]), Double(g[3 * i + 2]))
    }

    /// Mean of u over `range`, normalised (a bout's vertical).
    func meanUp(_ range: Range<Int>) -> SIMD3<Double> {
        var s = SIMD3<Double>(repeating: 0)
        for i in range { s += up(i) }
        return s.normalized
    }
}
