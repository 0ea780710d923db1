import Foundation

/// Whole-recording gait analysis: steps, walking bouts, left/right, gait metrics, pelvic tilt and posture events
/// from a lower-back/hip IMU in any mounting (docs/research/gait/ALGORITHM.md; a line-by-line port of `docs/research/gait/prototype.py`, plus the pooled
/// forward axis the spec recommends for the port).
///
/// Cost is O(n): three EMAs and three short FIRs per sample, an autocorrelation of ≈ 9k multiply-adds per step
/// candidate, and O(bout) work per bout. Memory is a few arrays of n doubles.
public final class BatchGaitAnalyzer {
    public let config: GaitConfig
    /// Neutral posture to use instead of searching the recording for quiet standing.
    public var calibration: TiltCalibration?

    public init(config: GaitConfig = .init(), calibration: TiltCalibration? = nil) {
        self.config = config
        self.calibration = calibration
    }

    /// A walking bout found in §3, before events (indices into the candidate arrays).
    struct BoutCandidate {
        var members: [Int]
        var stepSeconds: Double
        var periodicity: Double
        var lobeHeight: Double
    }

    public func analyze(_ s: IMUSeries) -> GaitResult {
        let cfg = config
        let n = s.count
        let fs = s.rateHz
        var result = GaitResult(startSeconds: s.startSeconds, durationSeconds: Double(n) / fs, rateHz: fs)
        var notes: [String] = []
        if fs < 50 || fs > 400 {
            notes.append("sampling rate \(fmt(fs, 1)) Hz is outside the validated 50–400 Hz range")
        }
        guard n > 0 else {
            result.notes = notes + ["no walking: the recording holds no samples"]
            return result
        }
        let sig = SessionSignals(s, config: cfg, sigmaCycleSeconds: cfg.sigmaCycleSeconds)
        if sig.converted {
            notes.append("acceleration looked like m/s² (median |acc| > \(fmt(cfg.metresPerSecondSquaredThreshold, 0))) "
                         + "and was divided by 9.80665")
        }
        if Double(n) < 2 * cfg.regularityHalfWindowSeconds * fs {
            notes.append("recording shorter than \(fmt(2 * cfg.regularityHalfWindowSeconds, 1)) s: "
                         + "too short to judge step periodicity")
        }
        func time(_ index: Int) -> Double { s.startSeconds + Double(index) / fs }

        // ---- §3.2–3.3 step candidates ------------------------------------------------------------------
        var lobes: [Int] = []
        var vpk: [Int] = []
        var maxCycle = -Double.infinity
        sig.cycle.withUnsafeBufferPointer { cyc in
            for v in cyc { maxCycle = Swift.max(maxCycle, v) }
            let all = StepDetection.lobes(cyc, threshold: cfg.minLobeHeightG, minDistance: samples(cfg.minStepSeconds, fs))
            let w0 = samples(cfg.peakWindowStartSeconds, fs), w1 = samples(cfg.peakWindowEndSeconds, fs)
            let minSpacing = cfg.minStepSeconds * fs * cfg.minPeakSpacingFraction
            sig.fine.withUnsafeBufferPointer { fine in
                var prev: Int?
                for p in all {
                    let v = WindowSearch.argmax(fine, center: p, from: w0, to: w1, limit: n)
                    if prev == nil || Double(v - prev!) >= minSpacing {
                        lobes.append(p); vpk.append(v)
                    }
                    prev = v
                }
            }
        }

        // ---- §3.4 per-step periodicity ----------------------------------------------------------------
        let maxStep = cfg.maxStepSeconds * fs
        var reg = [Double](repeating: 0, count: vpk.count)
        var scratch = ContiguousArray<Double>()
        var prefix = ContiguousArray<Double>()
        let halfWindow = Int(cfg.regularityHalfWindowSeconds * fs)
        sig.avHighPass.withUnsafeBufferPointer { hp in
            for k in 0..<vpk.count {
                var lag = Int.max
                if k > 0, Double(vpk[k] - vpk[k - 1]) <= maxStep { lag = vpk[k] - vpk[k - 1] }
                if k + 1 < vpk.count, Double(vpk[k + 1] - vpk[k]) <= maxStep { lag = Swift.min(lag, vpk[k + 1] - vpk[k]) }
                guard lag != Int.max else { continue }
                reg[k] = StepDetection.periodicity({ hp[$0] }, available: 0..<n, center: vpk[k], lag: lag,
                                                   halfWindow: halfWindow, minLagFraction: cfg.regularityMinLagFraction,
                                                   maxLagFraction: cfg.regularityMaxLagFraction,
                                                   scratch: &scratch, prefix: &prefix)
            }
        }

        // ---- §3.5–3.6 hysteresis and bouts --------------------------------------------------------------
        let good = StepDetection.walkingMask(periodicity: reg, peaks: vpk, maxGapSamples: maxStep,
                                             minReg: cfg.minStepRegularity, keepReg: cfg.keepStepRegularity)
        var candidates: [BoutCandidate] = []
        var shortRuns = 0, weakRuns = 0
        var weakestRejected = 0.0
        do {
            var group: [Int] = []
            func close() {
                defer { group.removeAll(keepingCapacity: true) }
                guard !group.isEmpty else { return }
                guard group.count >= cfg.minBoutInitialContacts else { shortRuns += 1; return }
                var diffs: [Double] = []
                for j in 1..<group.count { diffs.append(Double(vpk[group[j]] - vpk[group[j - 1]])) }
                let stepT = (Stats.median(diffs) ?? 0) / fs
                let amp = Stats.median(group.map { sig.cycle[lobes[$0]] }) ?? 0
                guard amp >= cfg.minBoutLobeHeightG else {
                    weakRuns += 1; weakestRejected = Swift.max(weakestRejected, amp); return
                }
                candidates.append(BoutCandidate(members: group, stepSeconds: stepT,
                                                periodicity: Stats.median(group.map { reg[$0] }) ?? 0,
                                                lobeHeight: amp))
            }
            for k in 0..<vpk.count where good[k] {
                if let last = group.last, Double(vpk[k] - vpk[last]) > maxStep { close() }
                group.append(k)
            }
            close()
        }
        if lobes.isEmpty {
            notes.append("no walking: no step candidates — the vertical cycle signal never reached "
                         + "A_MIN = \(fmt(cfg.minLobeHeightG, 3)) g (its maximum was \(fmt(Swift.max(maxCycle, 0), 3)) g); "
                         + "is the sensor worn and is the acceleration in g or m/s²?")
        } else if !good.contains(true) {
            notes.append("no walking: periodicity never reached \(fmt(cfg.minStepRegularity, 2)) (best "
                         + "\(fmt(reg.max() ?? 0, 2)) over \(vpk.count) step candidates) — movement was not "
                         + "step-to-step repetitive")
        }
        if shortRuns > 0 {
            notes.append("\(shortRuns) run(s) of periodic steps had fewer than \(cfg.minBoutInitialContacts) ICs "
                         + "and were not counted as walking")
        }
        if weakRuns > 0 {
            notes.append("\(weakRuns) run(s) rejected: median lobe height below BOUT_MIN_AMP = "
                         + "\(fmt(cfg.minBoutLobeHeightG, 2)) g (largest \(fmt(weakestRejected, 3)) g)")
        }
        if candidates.isEmpty && !lobes.isEmpty && good.contains(true) {
            notes.append("no walking bouts: no run of periodic steps met the bout criteria")
        }

        // ---- §2.3 forward axis per bout, pooled over bouts ---------------------------------------------
        let margin = Int(cfg.boutAxisMarginSeconds * fs)
        let axisKernel = GaussianKernel(sigmaSeconds: cfg.sigmaAxisSeconds, rateHz: fs)
        var ranges: [Range<Int>] = []
        var verticals: [SIMD3<Double>] = []
        var estimates: [BoutAxisEstimate?] = []
        var pooled = ForwardAxisStatistics()
        var verticalSum = SIMD3<Double>(repeating: 0)
        sig.ax.withUnsafeBufferPointer { px in
            sig.ay.withUnsafeBufferPointer { py in
                sig.az.withUnsafeBufferPointer { pz in
                    for b in candidates {
                        let first = vpk[b.members[0]], last = vpk[b.members[b.members.count - 1]]
                        let r = Swift.max(0, first - margin)..<Swift.min(n, last + margin)
                        let ub = sig.meanUp(r)
                        let e = ForwardAxisEstimator.estimate(ax: px, ay: py, az: pz, range: r, up: ub,
                                                              stepSeconds: b.stepSeconds, rateHz: fs, kernel: axisKernel)
                        if let e = e { pooled.add(e.statistics, weight: Double(b.members.count)) }
                        verticalSum += Double(b.members.count) * ub
                        ranges.append(r); verticals.append(ub); estimates.append(e)
                    }
                }
            }
        }
        var orientation = OrientationDiagnostics(convertedFromMetresPerSecondSquared: sig.converted)
        let walkVertical: SIMD3<Double> = candidates.isEmpty ? sig.meanUp(0..<n) : verticalSum.normalized
        orientation.verticalSensor = walkVertical
        if pooled.weight > 0 {
            let f = pooled.forward(up: walkVertical)
            orientation.forwardSensor = f.ap
            orientation.leftSensor = walkVertical.cross(f.ap)
            orientation.signStatistic = f.sign
            if f.sign < 0.1 {
                notes.append("forward direction uncertain (sign statistic \(fmt(f.sign, 2)) < 0.10): "
                             + "left/right and the tilt sign may be swapped")
            }
        } else if !candidates.isEmpty {
            notes.append("no forward axis: bouts too short for the one-step lag covariance; sides unknown "
                         + "without a gyroscope")
        }

        // ---- §4 IC/FC, §5 sides, per bout --------------------------------------------------------------
        var steps: [GaitStep] = []
        var boutForward: [SIMD3<Double>?] = []
        let riseFrom = samples(cfg.riseWindowStartSeconds, fs), riseTo = samples(cfg.riseWindowEndSeconds, fs)
        let fcStart = samples(cfg.finalContactWindowStartSeconds, fs)
        let lrKernel = GaussianKernel(sigmaSeconds: cfg.sigmaLateralitySeconds, rateHz: fs)
        var icSamples: [[Int]] = []
        for (bi, b) in candidates.enumerated() {
            let pk = b.members.map { vpk[$0] }
            let ub = verticals[bi]
            let r = ranges[bi]
            var forward: SIMD3<Double>?
            if cfg.poolAxisAcrossBouts {
                if pooled.weight > 0 { forward = pooled.forward(up: ub).ap }
            } else {
                forward = estimates[bi]?.perBoutForward
            }
            boutForward.append(forward)
            var own: SIMD3<Double>?, ownSign: Double?, ownAngle: Double?
            if let e = estimates[bi] {
                own = e.perBoutForward; ownSign = e.perBoutSign
                if let f = forward { ownAngle = e.perBoutForward.angleDeg(to: f) }
            }
            orientation.bouts.append(BoutAxes(bout: bi, verticalSensor: ub, forwardSensor: forward,
                                              ownForwardSensor: own, ownSignStatistic: ownSign,
                                              ownVersusUsedDeg: ownAngle))
            // IC: steepest rise of a_v before each a_v peak; FC: first a_v minimum after it
            var ic = [Int](repeating: 0, count: pk.count)
            var fc = [Int](repeating: 0, count: pk.count)
            sig.slope.withUnsafeBufferPointer { ds in
                for k in 0..<pk.count { ic[k] = WindowSearch.argmax(ds, center: pk[k], from: riseFrom, to: riseTo, limit: n) }
            }
            sig.fine.withUnsafeBufferPointer { fine in
                for k in 0..<pk.count {
                    let tk = k + 1 < pk.count ? Double(pk[k + 1] - pk[k]) : b.stepSeconds * fs
                    let j0 = pk[k] + fcStart
                    let span = Int((cfg.finalContactWindowStepFraction * Swift.min(tk, maxStep)).rounded(.toNearestOrEven))
                    let j1 = Swift.min(n - 1, pk[k] + span)
                    fc[k] = FinalContact.locate(fine, from: j0, through: j1, fallback: pk[k])
                }
            }
            icSamples.append(ic)
            let sides = lateralitySides(sig: sig, range: r, up: ub, forward: forward, ic: ic,
                                        stepSeconds: b.stepSeconds, kernel: axisKernel, lrKernel: lrKernel)
            for k in 0..<pk.count {
                steps.append(GaitStep(t: time(ic[k]), side: sides[k], fc: time(fc[k]), bout: bi, provisional: false))
            }
        }

        // ---- §6 tilt: neutral posture, per-stride angles, posture events --------------------------------
        var calib = calibration
        if calib == nil {
            var detector = QuietStandingDetector(config: cfg, rateHz: fs)
            var i = 0
            while i < n && !detector.isFinal { detector.update(index: i, accG: sig.acc(i), gyroDps: sig.gyro(i)); i += 1 }
            if let w = detector.window {
                calib = TiltCalibration(neutralUpSensor: w.up, source: "standing_window", startSeconds: time(w.startIndex),
                                        endSeconds: time(w.endIndex))
            }
        }
        result.calibration = calib
        var strideTilts: [StrideTilt] = []
        let tiltLeft = orientation.leftSensor ?? calib?.leftSensor
        if calib == nil {
            notes.append("tilt not reported: no quiet standing of ≥ \(fmt(cfg.standingMinSeconds, 1)) s "
                         + "(|gyro| < \(fmt(cfg.standingMaxGyroDps, 0)) °/s, ||acc| − 1 g| < "
                         + "\(fmt(cfg.standingMaxAccDeviationG, 2)) g) and no TiltCalibration given")
        } else if tiltLeft == nil {
            notes.append("tilt not reported: the forward/left axis is unknown (no walking bout to estimate it from)")
        } else if !candidates.isEmpty {
            if !sig.hasGyro {
                notes.append("no gyroscope: per-stride tilt range of motion, obliquity and rotation are not reported "
                             + "(only the stride-mean tilt is free of linear-acceleration error)")
            }
            strideTilts = strideAngles(sig: sig, steps: steps, icSamples: icSamples, candidates: candidates,
                                       verticals: verticals, forwards: boutForward, neutral: calib!, left: tiltLeft!,
                                       time: time)
        }
        var monitor = PostureMonitor(config: cfg)
        var posture: [PostureEvent] = []
        for st in strideTilts { posture += monitor.add(st).filter { !$0.ongoing } }
        if let e = monitor.finish() { posture.append(e) }

        // ---- metrics -----------------------------------------------------------------------------------
        var bouts: [WalkingBout] = []
        var walk = MetricsAccumulator()
        var stepStart = 0
        sig.avHighPass.withUnsafeBufferPointer { hp in
            for (bi, b) in candidates.enumerated() {
                let ic = icSamples[bi]
                let slice = steps[stepStart..<(stepStart + ic.count)]
                stepStart += ic.count
                let regs = GaitRegularity.compute(hp, range: ic[0]..<(ic[ic.count - 1] + 1),
                                                  stepSamples: samples(b.stepSeconds, fs),
                                                  minLagFraction: cfg.regularityMinLagFraction,
                                                  maxLagFraction: cfg.regularityMaxLagFraction)
                var acc = MetricsAccumulator()
                acc.addBout(slice, medianStepSeconds: b.stepSeconds, missedStepFactor: cfg.missedStepFactor,
                            stepRegularity: regs.step, strideRegularity: regs.stride)
                for st in strideTilts where st.bout == bi { acc.addStride(st) }
                walk.merge(acc)
                let span = Double(ic[ic.count - 1] - ic[0]) / fs
                bouts.append(WalkingBout(index: bi, startSeconds: time(ic[0]), endSeconds: time(ic[ic.count - 1]),
                                         stepCount: ic.count,
                                         cadenceStepsPerMin: span > 0 ? 60 * Double(ic.count - 1) / span : 0,
                                         medianStepSeconds: b.stepSeconds, periodicity: b.periodicity,
                                         lobeHeightG: b.lobeHeight, metrics: acc.metrics()))
            }
        }
        result.steps = steps
        result.bouts = bouts
        result.strideTilts = strideTilts
        result.metrics = bouts.isEmpty ? nil : walk.metrics()
        result.postureEvents = posture
        result.orientation = orientation
        result.notes = notes
        return result
    }

    /// §5 for one bout: acceleration score along ML (needs the forward axis), gyroscope score from the yaw rate,
    /// each normalised over the bout, then alternation.
    private func lateralitySides(sig: SessionSignals, range r: Range<Int>, up ub: SIMD3<Double>,
                                 forward: SIMD3<Double>?, ic: [Int], stepSeconds: Double, kernel: GaussianKernel,
                                 lrKernel: GaussianKernel) -> [Side] {
        let cfg = config
        let fs = sig.rateHz
        let n = r.count
        var combined: [Double]?
        if let f = forward {
            let ml = ub.cross(f)
            var x = ContiguousArray<Double>(repeating: 0, count: n)
            for i in 0..<n { x[i] = sig.acc(r.lowerBound + i).dot(ml) }
            let low = BatchFilters.ema(x, tauSeconds: cfg.tauHighPassSeconds, rateHz: fs)
            for i in 0..<n { x[i] -= low[i] }
            let mlHP = BatchFilters.correlate(x, kernel)
            let h = Swift.max(2, samples(cfg.lateralityWindowStepFraction * stepSeconds, fs))
            var scores = [Double](repeating: 0, count: ic.count)
            for (k, c0) in ic.enumerated() {
                let c = c0 - r.lowerBound
                let a = Swift.max(0, c), b = Swift.min(n, c + h)
                guard b > a else { continue }
                var s = 0.0
                for i in a..<b { s += mlHP[i] }
                scores[k] = -s / Double(b - a)       // left IC → trunk accelerates right (−ML)
            }
            combined = Laterality.normalised(scores)
        }
        if sig.hasGyro {
            var y = ContiguousArray<Double>(repeating: 0, count: n)
            for i in 0..<n { y[i] = sig.gyro(r.lowerBound + i)!.dot(ub) }
            let low = BatchFilters.ema(y, tauSeconds: cfg.tauHighPassSeconds, rateHz: fs)
            for i in 0..<n { y[i] -= low[i] }
            let yawBP = BatchFilters.correlate(y, lrKernel)
            let sg = ic.map { -yawBP[Swift.min(n - 1, $0 - r.lowerBound)] }   // left IC: yaw rate < 0
            let g = Laterality.normalised(sg).map { cfg.gyroLateralityWeight * $0 }
            combined = combined.map { zip($0, g).map { $0 + $1 } } ?? g
        }
        return Laterality.sides(scores: combined, icSamples: ic, stepSamples: stepSeconds * fs,
                                missedStepFactor: cfg.missedStepFactor)
    }

    /// Tilt over the session (complementary filter with a gyroscope), read out per stride: IC k to IC k + 2 of the
    /// same foot inside an alternation run.
    private func strideAngles(sig: SessionSignals, steps: [GaitStep], icSamples: [[Int]], candidates: [BoutCandidate],
                              verticals: [SIMD3<Double>], forwards: [SIMD3<Double>?], neutral: TiltCalibration,
                              left: SIMD3<Double>, time: (Int) -> Double) -> [StrideTilt] {
        let cfg = config
        let n = sig.count
        let fs = sig.rateHz
        var est = TiltEstimator(config: cfg, rateHz: fs)
        guard est.setAxes(neutralUp: neutral.neutralUpSensor, left: left) else { return [] }
        var theta = ContiguousArray<Double>(repeating: .nan, count: n)
        for i in 0..<n { theta[i] = est.update(accG: sig.acc(i), gyroDps: sig.gyro(i)) ?? .nan }
        var out: [StrideTilt] = []
        var base = 0
        for (bi, b) in candidates.enumerated() {
            let ic = icSamples[bi]
            let v = verticals[bi]
            let ap = forwards[bi] ?? (left.cross(v)).normalized
            let maxGap = cfg.missedStepFactor * b.stepSeconds * fs
            if ic.count >= 3 {
                for k in 0..<(ic.count - 2) {
                    let sk = steps[base + k], s2 = steps[base + k + 2]
                    guard sk.side == s2.side, Double(ic[k + 1] - ic[k]) <= maxGap, Double(ic[k + 2] - ic[k + 1]) <= maxGap,
                          Double(ic[k + 2] - ic[k]) < 2 * cfg.maxStepSeconds * fs else { continue }
                    let i0 = ic[k]
                    let r = theta.withUnsafeBufferPointer { th in
                        StrideAngles.compute(count: ic[k + 2] - i0 + 1, dt: 1 / fs) { j in
                            let w = sig.gyro(i0 + j) ?? SIMD3(repeating: 0)
                            return (th[i0 + j], w.dot(ap), w.dot(v))
                        }
                    }
                    guard let a = r else { continue }
                    let gyro = sig.hasGyro
                    out.append(StrideTilt(icSeconds: time(ic[k]), nextIcSeconds: time(ic[k + 2]), side: sk.side, bout: bi,
                                          meanDeg: a.meanDeg, romDeg: gyro ? a.romDeg : nil,
                                          obliquityRomDeg: gyro ? a.obliquityRomDeg : nil,
                                          rotationRomDeg: gyro ? a.rotationRomDeg : nil,
                                          meanPercentOfRange: neutral.percentOfRange(tiltDeg: a.meanDeg)))
                }
            }
            base += ic.count
        }
        return out
    }
}

/// FC search of §4: the first local minimum of s_fine in [j0, j1]; without one the (first) minimum; an empty window
/// gives `fallback` (the a_v peak), as in the prototype.
enum FinalContact {
    static func locate(_ fine: UnsafeBufferPointer<Double>, from j0: Int, through j1: Int, fallback: Int) -> Int {
        guard j0 <= j1, j0 >= 0, j1 < fine.count else { return fallback }
        let len = j1 - j0 + 1
        if len > 2 {
            for q in 1..<(len - 1) where fine[j0 + q] < fine[j0 + q - 1] && fine[j0 + q] <= fine[j0 + q + 1] {
                return j0 + q
            }
        }
        var best = j0
        for j in j0...j1 where fine[j] < fine[best] { best = j }
        return best
    }
}

/// Fixed-point number formatting for notes (no locale).
func fmt(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
