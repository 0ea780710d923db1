import Foundation

/// §6 of docs/research/gait/ALGORITHM.md: the neutral posture and the pelvic angles of every stride.
struct StrideTiltStage {
    var calibration: TiltCalibration?
    var strides: [StrideTilt] = []
    /// Mean and SD curves over the gait cycle per side (needs a gyroscope).
    var cycle: PelvisCycle?
    var notes: [String] = []

    /// The explicit calibration, else the first quiet standing window of the recording.
    static func neutral(_ sig: SessionSignals, explicit: TiltCalibration?, startSeconds: Double,
                        config cfg: GaitConfig) -> TiltCalibration? {
        if let c = explicit { return c }
        let fs = sig.rateHz
        var detector = QuietStandingDetector(config: cfg, rateHz: fs)
        var i = 0
        while i < sig.count && !detector.isFinal { detector.update(index: i, accG: sig.acc(i), gyroDps: sig.gyro(i)); i += 1 }
        guard let w = detector.window else { return nil }
        return TiltCalibration(neutralUpSensor: w.up, source: "standing_window",
                               startSeconds: startSeconds + Double(w.startIndex) / fs,
                               endSeconds: startSeconds + Double(w.endIndex) / fs)
    }

    /// `bouts` are the runs of walking (strides never span a break), `boutOfRun` the bout each belongs to.
    static func run(_ sig: SessionSignals, bouts: [BoutCandidate], boutOfRun: [Int], contacts: [BoutContacts],
                    axes: WalkingAxes, explicit: TiltCalibration?, startSeconds: Double,
                    config cfg: GaitConfig) -> StrideTiltStage {
        var out = StrideTiltStage(calibration: neutral(sig, explicit: explicit, startSeconds: startSeconds, config: cfg))
        let tiltLeft = axes.orientation.leftSensor ?? out.calibration?.leftSensor
        if out.calibration == nil, let walkUp = axes.orientation.verticalSensor, !bouts.isEmpty {
            // Ranges need no neutral; only the mean tilt does. Without standing or a calibration it is reported
            // against the walk's own average posture, and says so (source "walk_average").
            out.calibration = TiltCalibration(neutralUpSensor: walkUp, source: TiltCalibration.walkAverageSource,
                                              startSeconds: startSeconds + Double(contacts[0].ic[0]) / sig.rateHz,
                                              endSeconds: startSeconds + Double(contacts[contacts.count - 1].ic.last!) / sig.rateHz)
            out.notes.append("no quiet standing of ≥ \(fmt(cfg.standingMinSeconds, 1)) s and no calibration: mean tilt "
                             + "is relative to this walk's own average posture (ranges are unaffected)")
        }
        if out.calibration == nil {
            out.notes.append("tilt not reported: no walking, no quiet standing of ≥ \(fmt(cfg.standingMinSeconds, 1)) s "
                             + "(|gyro| < \(fmt(cfg.standingMaxGyroDps, 0)) °/s, ||acc| − 1 g| < "
                             + "\(fmt(cfg.standingMaxAccDeviationG, 2)) g) and no TiltCalibration given")
        } else if tiltLeft == nil {
            out.notes.append("tilt not reported: the forward/left axis is unknown (no walking bout to estimate it from)")
        } else if !bouts.isEmpty {
            if !sig.hasGyro {
                out.notes.append("no gyroscope: per-stride tilt range of motion, obliquity and rotation are not reported "
                                 + "(only the stride-mean tilt is free of linear-acceleration error)")
            }
            (out.strides, out.cycle) = strideAngles(sig, bouts: bouts, boutOfRun: boutOfRun, contacts: contacts, axes: axes,
                                                    neutral: out.calibration!, left: tiltLeft!,
                                                    startSeconds: startSeconds, config: cfg)
        }
        return out
    }

    /// Tilt over the session (complementary filter with a gyroscope), read out per stride: IC k to IC k + 2 of the
    /// same foot inside an alternation run.
    static func strideAngles(_ sig: SessionSignals, bouts: [BoutCandidate], boutOfRun: [Int], contacts: [BoutContacts],
                             axes: WalkingAxes,
                             neutral: TiltCalibration, left: SIMD3<Double>, startSeconds: Double,
                             config cfg: GaitConfig) -> ([StrideTilt], PelvisCycle?) {
        let n = sig.count, fs = sig.rateHz
        var est = TiltEstimator(config: cfg, rateHz: fs)
        guard est.setAxes(neutralUp: neutral.neutralUpSensor, left: left) else { return ([], nil) }
        var cycle = PelvisCycleAccumulator()
        var curveScratch = ContiguousArray<SIMD3<Double>>()
        var strideScratch = ContiguousArray<SIMD4<Double>>()
        var theta = ContiguousArray<Double>(repeating: .nan, count: n)
        for i in 0..<n { theta[i] = est.update(accG: sig.acc(i), gyroDps: sig.gyro(i)) ?? .nan }
        func time(_ i: Int) -> Double { startSeconds + Double(i) / fs }
        var out: [StrideTilt] = []
        for (bi, b) in bouts.enumerated() {
            let ic = contacts[bi].ic, sides = contacts[bi].sides
            let v = axes.verticals[bi]
            let ap = axes.forwards[bi] ?? (left.cross(v)).normalized
            let ml = v.cross(ap).normalized
            let maxGap = cfg.missedStepFactor * b.stepSeconds * fs
            guard ic.count >= 3 else { continue }
            for k in 0..<(ic.count - 2) {
                guard sides[k] == sides[k + 2], Double(ic[k + 1] - ic[k]) <= maxGap, Double(ic[k + 2] - ic[k + 1]) <= maxGap,
                      Double(ic[k + 2] - ic[k]) < 2 * cfg.maxStepSeconds * fs else { continue }
                let i0 = ic[k], count = ic[k + 2] - i0 + 1
                // one pass over the session arrays per stride (tilt and the three projected rates), then the
                // statistics and curves read this small buffer
                strideScratch.removeAll(keepingCapacity: true)
                for j in 0..<count {
                    let w = sig.gyro(i0 + j) ?? SIMD3(repeating: 0)
                    strideScratch.append(SIMD4(theta[i0 + j], w.dot(ml), w.dot(ap), w.dot(v)))
                }
                let r = strideScratch.withUnsafeBufferPointer { sc -> (StrideAngles.Result?, Bool) in
                    let sample = { (j: Int) -> StrideAngles.Sample in let q = sc[j]; return (q.x, q.y, q.z, q.w) }
                    guard let a = StrideAngles.compute(count: count, dt: 1 / fs, sample: sample) else { return (nil, false) }
                    if sig.hasGyro {
                        StrideAngles.curves(count: count, dt: 1 / fs, meanDeg: a.meanDeg, sample: sample, into: &curveScratch)
                        curveScratch.withUnsafeBufferPointer { cycle.add(side: sides[k], angles: $0) }
                    }
                    return (a, true)
                }
                guard let a = r.0 else { continue }
                let gyro = sig.hasGyro
                out.append(StrideTilt(icSeconds: time(ic[k]), nextIcSeconds: time(ic[k + 2]), side: sides[k], bout: boutOfRun[bi],
                                      meanDeg: a.meanDeg, romDeg: gyro ? a.romDeg : nil,
                                      obliquityRomDeg: gyro ? a.obliquityRomDeg : nil,
                                      rotationRomDeg: gyro ? a.rotationRomDeg : nil,
                                      meanPercentOfRange: neutral.percentOfRange(tiltDeg: a.meanDeg)))
            }
        }
        return (out, cycle.result())
    }
}
