import Foundation

/// §4–5 of docs/research/gait/ALGORITHM.md for one bout: initial contacts (steepest rise of a_v before each a_v peak), final contacts
/// (first a_v minimum after it) and the side of each contact.
struct BoutContacts {
    /// IC samples, one per bout member.
    var ic: [Int]
    /// FC samples (of the opposite foot, after each IC).
    var fc: [Int]
    var sides: [Side]

    static func detect(_ sig: SessionSignals, bout b: BoutCandidate, peaks vpk: [Int], range r: Range<Int>,
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
                fc[k] = FinalContact.locate(fine, from: pk[k] + fcStart, through: Swift.min(n - 1, pk[k] + span),
                                            fallback: pk[k])
            }
        }
        let sides = LateralityStage.sides(sig, range: r, up: ub, forward: forward, ic: ic, stepSeconds: b.stepSeconds,
                                          config: cfg)
        return BoutContacts(ic: ic, fc: fc, sides: sides)
    }
}

/// §5 for one bout: acceleration score along ML (needs the forward axis), gyroscope score from the yaw rate, each
/// normalised over the bout, then alternation (`Laterality.sides`).
enum LateralityStage {
    static func sides(_ sig: SessionSignals, range r: Range<Int>, up ub: SIMD3<Double>, forward: SIMD3<Double>?,
                      ic: [Int], stepSeconds: Double, config cfg: GaitConfig) -> [Side] {
        let acc = forward.map {
            Laterality.normalised(accelerationScores(sig, range: r, left: ub.cross($0), ic: ic, stepSeconds: stepSeconds,
                                                     config: cfg))
        }
        let gyro = sig.hasGyro ? Laterality.normalised(gyroScores(sig, range: r, up: ub, ic: ic,
                                                                  stepSeconds: stepSeconds, config: cfg)) : nil
        let combined: [Double]? = acc == nil && gyro == nil ? nil : ic.indices.map {
            Laterality.combined(acceleration: acc?[$0], gyroscope: gyro?[$0], gyroWeight: cfg.gyroLateralityWeight)!
        }
        return Laterality.sides(scores: combined, icSamples: ic, stepSamples: stepSeconds * sig.rateHz,
                                missedStepFactor: cfg.missedStepFactor, extraStepFactor: cfg.extraStepFactor)
    }

    /// S_acc = −mean(ml_hp[IC, IC + ½T]): after a left IC the trunk accelerates right (−ML).
    static func accelerationScores(_ sig: SessionSignals, range r: Range<Int>, left ml: SIMD3<Double>, ic: [Int],
                                   stepSeconds: Double, config cfg: GaitConfig) -> [Double] {
        let fs = sig.rateHz, n = r.count
        var x = ContiguousArray<Double>(repeating: 0, count: n)
        for i in 0..<n { x[i] = sig.acc(r.lowerBound + i).dot(ml) }
        BatchFilters.subtractEMA(&x, tauSeconds: cfg.tauHighPassSeconds, rateHz: fs)
        // ml_hp is needed only in the windows after each IC (about half the bout): filtered there, point by point
        // (the same sum, in the same order, as the whole-array filter)
        let kernel = GaussianKernel(sigmaSeconds: cfg.sigmaAxisSeconds, rateHz: fs)
        let h = Swift.max(2, samples(cfg.lateralityWindowStepFraction * stepSeconds, fs))
        var scores = [Double](repeating: 0, count: ic.count)
        x.withUnsafeBufferPointer { px in
            for (k, c0) in ic.enumerated() {
                let c = c0 - r.lowerBound
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
    /// turn = the mean high-passed yaw rate over the stride centred on the IC (`Laterality.turnRate`).
    static func gyroScores(_ sig: SessionSignals, range r: Range<Int>, up ub: SIMD3<Double>, ic: [Int],
                           stepSeconds: Double, config cfg: GaitConfig) -> [Double] {
        let fs = sig.rateHz, n = r.count
        var y = ContiguousArray<Double>(repeating: 0, count: n)
        for i in 0..<n { y[i] = sig.gyro(r.lowerBound + i)!.dot(ub) }
        BatchFilters.subtractEMA(&y, tauSeconds: cfg.tauHighPassSeconds, rateHz: fs)
        // yaw_bp is read at the ICs only: filtered there alone (the same sum as the whole-array filter)
        let kernel = GaussianKernel(sigmaSeconds: cfg.sigmaLateralitySeconds, rateHz: fs)
        let half = cfg.turnWindowSteps > 0 ? Swift.max(1, samples(cfg.turnWindowSteps * stepSeconds, fs)) : 0
        var prefix = ContiguousArray<Double>(repeating: 0, count: half > 0 ? n + 1 : 0)
        if half > 0 { for i in 0..<n { prefix[i + 1] = prefix[i] + y[i] } }
        return y.withUnsafeBufferPointer { py in
            ic.map {
                let c = Swift.min(n - 1, $0 - r.lowerBound)
                var turn = 0.0
                if half > 0 {
                    let a = Swift.max(0, c - half), b = Swift.min(n, c + half + 1)
                    turn = (prefix[b] - prefix[a]) / Double(b - a)
                }
                return -(kernel.correlate(py, at: c, first: 0, last: n - 1) - turn)
            }
        }
    }
}
