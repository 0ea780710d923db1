import Foundation

/// §4–5 of docs/research/gait/ALGORITHM.md for one bout: initial contacts (steepest rise of a_v before each a_v peak), final contacts
/// (first a_v minimum after it) and the side of each contact.
struct BoutContacts {
    /// IC samples, one per bout member.
    var ic: [Int]
    /// FC samples (of the opposite foot, after each IC).
    var fc: [Int]
    var sides: [Side]

    static func detect(_ sig: SessionSignals, bout b: BoutCandidate, peaks vpk: [Int],
                       up ub: SIMD3<Double>, forward: SIMD3<Double>?, config cfg: GaitConfig) -> BoutContacts {
        let n = sig.count, fs = sig.rateHz
        let pk = b.members.map { vpk[$0] }
        let maxStep = cfg.maxStepSeconds * fs
        let riseFrom = samples(cfg.riseWindowStartSeconds, fs), riseTo = samples(cfg.riseWindowEndSeconds, fs)
        let fcStart = samples(cfg.finalContactWindowStartSeconds, fs)
        var ic = [Int](repeating: 0, count: pk.count)
        var fc = [Int](repeating: 0, count: pk.count)
        sig.slope.withUnsafeBufferPointer { ds in
            for k in 0..<pk.count { ic[k] = WindowSearch.argmax(ds, center: pk[k], from: riseFrom, to: riseTo, limit: n) }
        }
        sig.fine.withUnsafeBufferPointer { fine in
            for k in 0..<pk.count {
                let tk = k + 1 < pk.count ? Double(pk[k + 1] - pk[k]) : b.stepSeconds * fs
                let span = Int((cfg.finalContactWindowStepFraction * Swift.min(tk, maxStep)).rounded(.toNearestOrEven))
                let latest = pk[k] + Int((cfg.finalContactLatestStepFraction * tk).rounded(.toNearestOrEven))
                fc[k] = FinalContact.locate(fine, from: pk[k] + fcStart, through: Swift.min(n - 1, pk[k] + span),
                                            fallback: pk[k], latest: latest)
            }
        }
        let sides = LateralityStage.sides(sig, up: ub, forward: forward, ic: ic, stepSeconds: b.stepSeconds,
                                          config: cfg)
        return BoutContacts(ic: ic, fc: fc, sides: sides)
    }
}

/// §5 for one bout: acceleration score along ML (needs the forward axis), gyroscope score from the yaw rate, each
/// normalised over the bout, then alternation (`Laterality.sides`).
enum LateralityStage {
    static func sides(_ sig: SessionSignals, up ub: SIMD3<Double>, forward: SIMD3<Double>?,
                      ic: [Int], stepSeconds: Double, config cfg: GaitConfig) -> [Side] {
        let acc = forward.map {
            Laterality.normalised(accelerationScores(sig, left: ub.cross($0), ic: ic, stepSeconds: stepSeconds,
                                                     config: cfg))
        }
        let gyro = sig.hasGyro ? Laterality.normalised(gyroScores(sig, up: ub, ic: ic,
                                                                  stepSeconds: stepSeconds, config: cfg)) : nil
        let combined: [Double]? = acc == nil && gyro == nil ? nil : ic.indices.map {
            Laterality.combined(acceleration: acc?[$0], gyroscope: gyro?[$0], gyroWeight: cfg.gyroLateralityWeight)!
        }
        return Laterality.sides(scores: combined, icSamples: ic, stepSamples: stepSeconds * sig.rateHz,
                                missedStepFactor: cfg.missedStepFactor, extraStepFactor: cfg.extraStepFactor)
    }

    /// S_acc = −mean(ml_hp[IC, IC + ½T]): after a left IC the trunk accelerates right (−ML).
    ///
    /// Taken from the recording around the bout, not from the bout alone (as streaming does): the high-pass starts
    /// `warmUpTimeConstants` before the first contact and the smoothing and the window after the last contact
    /// are clipped only by the recording, so a bout's first and last contacts score as they do live.
    static func accelerationScores(_ sig: SessionSignals, left ml: SIMD3<Double>, ic: [Int],
                                   stepSeconds: Double, config cfg: GaitConfig) -> [Double] {
        guard let icFirst = ic.first, let icLast = ic.last else { return [] }
        let fs = sig.rateHz, total = sig.count
        let kernel = GaussianKernel(sigmaSeconds: cfg.sigmaAxisSeconds, rateHz: fs)
        let h = Swift.max(2, samples(cfg.lateralityWindowStepFraction * stepSeconds, fs))
        let warmUp = samples(warmUpTimeConstants * cfg.tauHighPassSeconds, fs)
        let lo = Swift.max(0, icFirst - kernel.half - warmUp)
        let hi = Swift.min(total, icLast + h + kernel.half)
        let n = hi - lo
        var x = ContiguousArray<Double>(repeating: 0, count: n)
        for i in 0..<n { x[i] = sig.acc(lo + i).dot(ml) }
        BatchFilters.subtractEMA(&x, tauSeconds: cfg.tauHighPassSeconds, rateHz: fs)
        // ml_hp is needed only in the windows after each IC (about half the bout): filtered there, point by point
        // (the same sum, in the same order, as the whole-array filter)
        var scores = [Double](repeating: 0, count: ic.count)
        x.withUnsafeBufferPointer { px in
            for (k, c0) in ic.enumerated() {
                let c = c0 - lo
                let a = Swift.max(0, c), b = Swift.min(n, c + h)
                guard b > a else { continue }
                scores[k] = Laterality.accelerationScore(from: a, to: b) {
                    kernel.correlate(px, at: $0, first: 0, last: n - 1)
                }
            }
        }
        return scores
    }

    /// S_gyr = −(yaw_bp(IC) − turn(IC)): the band-passed yaw rate is negative at a left IC (McCamley et al. 2012);
    /// turn = the mean of yaw_bp over ± `turnWindowSteps` step times around the IC.
    ///
    /// The same rule as streaming at the bout's edges: the yaw signal is taken from the recording, not the bout, so
    /// the turn window of the first and last contacts reaches past the bout (clipped only by the recording), and
    /// the high-pass starts `warmUpTimeConstants` time constants before the first window (a bout-long filter
    /// started on the bout would start from a level taken mid-stride, and a window clipped to the bout would average
    /// part of a stride, whose alternating yaw then reads as a turn).
    static func gyroScores(_ sig: SessionSignals, up ub: SIMD3<Double>, ic: [Int],
                           stepSeconds: Double, config cfg: GaitConfig) -> [Double] {
        guard let icFirst = ic.first, let icLast = ic.last else { return [] }
        let fs = sig.rateHz, total = sig.count
        let kernel = GaussianKernel(sigmaSeconds: cfg.sigmaLateralitySeconds, rateHz: fs)
        let half = cfg.turnWindowSteps > 0 ? Swift.max(1, samples(cfg.turnWindowSteps * stepSeconds, fs)) : 0
        let warmUp = samples(warmUpTimeConstants * cfg.tauHighPassSeconds, fs)
        let lo = Swift.max(0, icFirst - half - kernel.half - warmUp)
        let hi = Swift.min(total, icLast + half + 1 + kernel.half)
        let n = hi - lo
        var y = ContiguousArray<Double>(repeating: 0, count: n)
        for i in 0..<n { y[i] = sig.gyro(lo + i)!.dot(ub) }
        BatchFilters.subtractEMA(&y, tauSeconds: cfg.tauHighPassSeconds, rateHz: fs)
        // yaw_bp is needed at the ICs and summed over their turn windows: Σ_{j=a}^{b} bp[j] =
        // Σ_m w[m]·(P[b+m+1] − P[a+m]) with P the prefix sums of y edge-padded by the kernel's half-width (the
        // padding acts only at the recording's ends, as in streaming) — O(taps) per IC instead of filtering the bout
        let kh = kernel.half
        var prefix = ContiguousArray<Double>(repeating: 0, count: n + 2 * kh + 1)
        for i in 0..<(n + 2 * kh) { prefix[i + 1] = prefix[i] + y[Swift.min(n - 1, Swift.max(0, i - kh))] }
        return y.withUnsafeBufferPointer { py in
            ic.map {
                let c = $0 - lo
                var turn = 0.0
                if half > 0 {
                    let a = Swift.max(0, c - half), b = Swift.min(n - 1, c + half)
                    var sum = 0.0
                    for m in 0...(2 * kh) { sum += kernel.weights[m] * (prefix[b + m + 1] - prefix[a + m]) }
                    turn = sum / Double(b - a + 1)
                }
                return -(kernel.correlate(py, at: c, first: 0, last: n - 1) - turn)
            }
        }
    }

    /// High-pass time constants of signal taken before a bout's first scoring window: the filter's start-up level
    /// is down to e^−5 (0.7 %) there, close to streaming's filter that has run since the session began.
    static let warmUpTimeConstants = 5.0
}
