import Foundation

/// §2.3 of docs/research/gait/ALGORITHM.md: the body axes of each bout (its vertical, its own forward estimate) and the forward axis
/// pooled over all bouts (the sensor is fixed to the body, so one axis serves the whole session; see
/// `GaitConfig.poolAxisAcrossBouts`).
struct WalkingAxes {
    /// Samples each bout's axes were estimated from (first IC − margin … last IC + margin).
    var ranges: [Range<Int>] = []
    /// Mean up direction of each bout.
    var verticals: [SIMD3<Double>] = []
    /// Each bout's own one-step lag covariance estimate; nil for a bout too short for the lag.
    var estimates: [BoutAxisEstimate?] = []
    /// Forward axis used for each bout (pooled and projected ⟂ its vertical, or its own).
    var forwards: [SIMD3<Double>?] = []
    var orientation: OrientationDiagnostics
    var notes: [String] = []

    /// `bouts` are the runs of walking; `boutOfRun` names the reported bout of each (for the diagnostics).
    static func estimate(_ sig: SessionSignals, peaks vpk: [Int], bouts: [BoutCandidate], boutOfRun: [Int],
                         config cfg: GaitConfig) -> WalkingAxes {
        let n = sig.count, fs = sig.rateHz
        let margin = Int(cfg.boutAxisMarginSeconds * fs)
        let axisKernel = GaussianKernel(sigmaSeconds: cfg.sigmaAxisSeconds, rateHz: fs)
        var out = WalkingAxes(orientation: OrientationDiagnostics(convertedFromMetresPerSecondSquared: sig.converted))
        var pooled = ForwardAxisStatistics()
        var verticalSum = SIMD3<Double>(repeating: 0)
        for b in bouts {
            let first = vpk[b.members[0]], last = vpk[b.members[b.members.count - 1]]
            let r = Swift.max(0, first - margin)..<Swift.min(n, last + margin)
            let ub = sig.meanUp(r)
            let e = ForwardAxisEstimator.estimate(acc: sig.acc, range: r, up: ub, stepSeconds: b.stepSeconds,
                                                  rateHz: fs, kernel: axisKernel)
            if let e = e { pooled.add(e.statistics, weight: Double(b.members.count)) }
            verticalSum += Double(b.members.count) * ub
            out.ranges.append(r); out.verticals.append(ub); out.estimates.append(e)
        }
        out.pool(pooled, walkVertical: bouts.isEmpty ? sig.meanUp(0..<n) : verticalSum.normalized,
                 hasBouts: !bouts.isEmpty, boutOfRun: boutOfRun, config: cfg)
        return out
    }

    /// The session's forward/left axes from the pooled statistics, and each bout's axes for the diagnostics.
    private mutating func pool(_ pooled: ForwardAxisStatistics, walkVertical: SIMD3<Double>, hasBouts: Bool,
                               boutOfRun: [Int], config cfg: GaitConfig) {
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
        } else if hasBouts {
            notes.append("no forward axis: bouts too short for the one-step lag covariance; sides unknown "
                         + "without a gyroscope")
        }
        for (bi, ub) in verticals.enumerated() {
            var forward: SIMD3<Double>?
            if cfg.poolAxisAcrossBouts {
                if pooled.weight > 0 { forward = pooled.forward(up: ub).ap }
            } else {
                forward = estimates[bi]?.perBoutForward
            }
            forwards.append(forward)
            var own: SIMD3<Double>?, ownSign: Double?, ownAngle: Double?
            if let e = estimates[bi] {
                own = e.perBoutForward; ownSign = e.perBoutSign
                if let f = forward { ownAngle = e.perBoutForward.angleDeg(to: f) }
            }
            orientation.bouts.append(BoutAxes(bout: boutOfRun[bi], verticalSensor: ub, forwardSensor: forward,
                                              ownForwardSensor: own, ownSignStatistic: ownSign,
                                              ownVersusUsedDeg: ownAngle))
        }
    }
}
