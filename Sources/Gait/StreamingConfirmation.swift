import Foundation

/// Streaming confirmation of walking steps: running forward axis, left/right, and per-stride tilt
/// (docs/research/gait/ALGORITHM.md §8: "AP/ML" and "L/R in streaming").
extension StreamingGaitAnalyzer {
    // MARK: confirmation

    /// A step joins the open bout: its interval feeds the forward-axis statistics, its side is decided, and it is
    /// reported with `.stepConfirmed` (and a stride, when it closes one).
    func confirm(_ seq: Int) {
        let k = seq - firstSeq
        candidates[k].fate = .confirmed
        candidates[k].bout = boutId
        if let lc = lastConfirmedSeq, has(lc) {
            let a = candidates[lc - firstSeq].peak, b = candidates[k].peak
            if Double(b - a) <= maxStep { learnInterval(from: a, to: b) }
        }
        score(seq, confirming: true)
        updateScoreScale(seq)
        assignSide(seq)
        lastConfirmedSeq = seq
        let c = candidates[k]
        if let h = heldSteps.last, !has(h) || candidates[h - firstSeq].sub != c.sub { flushHeldSteps() }
        if c.alt < config.streamingRunHoldSteps - 1
            && (c.alt == 0 || heldSteps.last.map { has($0) && candidates[$0 - firstSeq].alt == c.alt - 1 } == true) {
            heldSteps.append(seq)
        } else {
            flushHeldSteps(labelledBy: seq)
            emitConfirmed(seq)
        }
        propagatePredictedSides(after: seq)
    }

    /// Emits the held first steps of an alternation run, in order, each labelled by the parity of `seq` (a later
    /// step of the same run, decided on more of its scores) when it has a side, else with its own.
    ///
    /// Why: a run that starts inside a bout is confirmed step by step, and its first step's side rested on its own
    /// score and 1–2 look-ahead ones; a turn's onset there (HA-001 Test11 131.1 s, yaw −51 °/s) outweighed the
    /// alternation and the first three contacts came out flipped against batch, which decides the whole run.
    func flushHeldSteps(labelledBy seq: Int? = nil) {
        guard !heldSteps.isEmpty else { return }
        let held = heldSteps
        heldSteps.removeAll()
        var ref: Candidate?
        if let s = seq, has(s), candidates[s - firstSeq].side != .unknown { ref = candidates[s - firstSeq] }
        for h in held where has(h) {
            let k = h - firstSeq
            if let r = ref, candidates[k].sub == r.sub {
                candidates[k].side = (r.alt - candidates[k].alt) % 2 == 0 ? r.side : r.side.opposite
            }
            emitConfirmed(h)
        }
    }

    /// The first `minBoutInitialContacts` (or more) steps of a new bout, confirmed together so their parity is
    /// decided jointly.
    func confirmOpening(_ members: [Int]) {
        var prev: Int?
        for seq in members {
            candidates[seq - firstSeq].fate = .confirmed
            candidates[seq - firstSeq].bout = boutId
            if let p = prev {
                let a = candidates[p - firstSeq].peak, b = candidates[seq - firstSeq].peak
                if Double(b - a) <= maxStep { learnInterval(from: a, to: b) }
            }
            prev = seq
        }
        for seq in members { score(seq, confirming: true) }
        let accScores = members.compactMap { candidates[$0 - firstSeq].scoreAcc.map(abs) }
        let gyroScores = members.compactMap { candidates[$0 - firstSeq].scoreGyro.map(abs) }
        if scoreScaleAcc == nil, let m = Stats.median(accScores), m > 0 { scoreScaleAcc = m }
        if scoreScaleGyro == nil, let m = Stats.median(gyroScores), m > 0 { scoreScaleGyro = m }
        lastConfirmedSeq = nil
        for seq in members {
            assignSide(seq)
            lastConfirmedSeq = seq
        }
        for seq in members { emitConfirmed(seq) }
        if let last = members.last { propagatePredictedSides(after: last) }
    }

    func emitConfirmed(_ seq: Int) {
        let c = candidates[seq - firstSeq]
        noteWalkingPosture(c)
        events.append(.stepConfirmed(GaitStep(t: times[Swift.max(c.ic, times.oldest)], side: c.side,
                                              fc: c.fc.flatMap { $0 >= times.oldest ? times[$0] : nil },
                                              bout: c.bout, provisional: false)))
        boutConfirmed.append(seq)
        if boutConfirmed.count > 3 { boutConfirmed.removeFirst() }
        emitStride(endingAt: seq)
    }

    /// Later, still provisional candidates get their predicted side again from the decided one (alternation), so
    /// the live phase uses the best guess.
    func propagatePredictedSides(after seq: Int) {
        var j = seq + 1
        while has(j) {
            let k = j - firstSeq
            if candidates[k].fate == .pending {
                let prev = candidates[k - 1]
                if prev.side != .unknown && prev.fate != .rejected
                    && Double(candidates[k].ic - prev.ic) <= config.missedStepFactor * stepSamples {
                    candidates[k].side = prev.side.opposite
                } else {
                    candidates[k].side = .unknown
                }
            }
            j += 1
        }
    }

    // MARK: forward axis

    /// One confirmed step interval [a, b) (a_v peaks) of walking: running median step time, and its normalised
    /// one-step lag covariance and sign vector added to the running statistics with forgetting over walking time.
    func learnInterval(from a: Int, to b: Int) {
        let lag = Swift.max(1, Int(stepSamples.rounded(.toNearestOrEven)))
        let q = Swift.max(1, Int((stepSamples / 4).rounded(.toNearestOrEven)))
        let sums = ForwardAxisSums.measure(from: Swift.max(a, horizontal.oldest), to: b, newest: horizontal.newest,
                                           lag: lag, quarter: q, secondMoment: false,
                                           horizontal: { horizontal[$0] }, vertical: { vertical[$0] })
        // running median step time (samples) for the lags, windows and missed-step rule
        recentIntervals.append(b - a)
        if recentIntervals.count > config.streamingStepIntervalCount { recentIntervals.removeFirst() }
        stepSamples = Stats.median(recentIntervals.map(Double.init)) ?? stepSamples
        guard sums.lagEnergy > 0, sums.signEnergyHorizontal > 0, sums.signEnergyVertical > 0 else { return }
        let tau = config.streamingAxisForgettingSeconds
        let decay = tau > 0 ? exp(-(Double(b - a) / rateHz) / tau) : 1
        axisStats.add(sums.statistics, decay: decay)
        axisSteps += 1
        refreshAxes()
    }

    func refreshAxes() {
        guard axisSteps >= config.streamingMinAxisSteps, up.newest >= 0 else { return }
        let u = up[up.newest]
        let f = axisStats.forward(up: u)
        forwardAxis = f.ap
        leftAxis = u.cross(f.ap)
        axisSign = f.sign
        refreshTiltAxes()
    }

    // MARK: left/right

    /// Raw scores once their data are in the rings: acceleration needs the left axis and ½ step after the IC;
    /// the gyroscope score is the band-passed yaw rate at the IC.
    func score(_ seq: Int, confirming: Bool = false) {
        let k = seq - firstSeq
        let c = candidates[k]
        if c.scoreAcc == nil, let ml = leftAxis {
            let h = Swift.max(2, Int((config.lateralityWindowStepFraction * stepSamples).rounded(.toNearestOrEven)))
            // clipped by the recording's end once finished (batch's rule too)
            let b = finished ? Swift.min(c.ic + h, horizontal.newest + 1) : c.ic + h
            if c.ic >= horizontal.oldest && horizontal.newest >= b - 1 && b > c.ic {
                candidates[k].scoreAcc = Laterality.accelerationScore(from: c.ic, to: b) { horizontal[$0].dot(ml) }
            }
        }
        if c.scoreGyro == nil && hasGyro {
            let half = config.turnWindowSteps > 0
                ? Swift.max(1, Int((config.turnWindowSteps * stepSamples).rounded(.toNearestOrEven))) : 0
            // the turn window is clipped by the recording only (its first sample; its last once finished), never
            // by the bout: batch's rule too (`LateralityStage.gyroScores`). At the step's own confirmation it takes
            // what the ring holds rather than no score: early in a walk the running step time, inflated by missed
            // steps, can reach past the confirmation delay (HA-001 Test5 trial 2 at 3.93 s had no side live).
            let a = Swift.max(0, c.ic - half)
            let b = finished || confirming ? Swift.min(c.ic + half, yawBandPass.newest) : c.ic + half
            if a >= yawBandPass.oldest && yawBandPass.newest >= b && b >= c.ic {
                var turn = 0.0
                if half > 0 {
                    for j in a...b { turn += yawBandPass[j] }
                    turn /= Double(b - a + 1)
                }
                candidates[k].scoreGyro = -(yawBandPass[c.ic] - turn)
            }
        }
    }

    /// `Laterality.continuesRun` at the running median step: the same run-splitting rule as batch.
    func continuesRun(intervalSamples d: Double) -> Bool {
        Laterality.continuesRun(intervalSamples: d, stepSamples: stepSamples, missedStepFactor: config.missedStepFactor,
                                extraStepFactor: config.extraStepFactor)
    }

    func updateScoreScale(_ seq: Int) {
        let c = candidates[seq - firstSeq]
        let a = config.streamingScoreScaleSmoothing
        if let s = c.scoreAcc {
            scoreScaleAcc = scoreScaleAcc.map { $0 + a * (abs(s) - $0) } ?? abs(s)
        }
        if let s = c.scoreGyro {
            scoreScaleGyro = scoreScaleGyro.map { $0 + a * (abs(s) - $0) } ?? abs(s)
        }
    }

    /// S = clip(S_acc/scale) + 2·clip(S_gyr/scale); nil without any score.
    func combinedScore(_ seq: Int) -> Double? {
        let c = candidates[seq - firstSeq]
        let clip = config.streamingScoreClip
        func scaled(_ s: Double?, _ scale: Double?) -> Double? {
            guard let s, let sc = scale, sc > 0 else { return nil }
            return Swift.max(-clip, Swift.min(clip, s / sc))
        }
        return Laterality.combined(acceleration: scaled(c.scoreAcc, scoreScaleAcc),
                                   gyroscope: scaled(c.scoreGyro, scoreScaleGyro), gyroWeight: config.gyroLateralityWeight)
    }

    /// Alternation with a sliding parity decision: within an alternation run (no interval > 1.6 step times), the
    /// parity maximising Σ (−1)^k·S_k over the last 8 confirmed steps and 2 look-ahead candidates wins.
    func assignSide(_ seq: Int) {
        let k = seq - firstSeq
        if let lc = lastConfirmedSeq, has(lc),
           continuesRun(intervalSamples: Double(candidates[k].ic - candidates[lc - firstSeq].ic)) {
            candidates[k].alt = candidates[lc - firstSeq].alt + 1
            candidates[k].sub = candidates[lc - firstSeq].sub
        } else {
            candidates[k].alt = 0
            candidates[k].sub = seq
        }
        let sub = candidates[k].sub
        subHistory = Array(subHistory.filter { has($0) && candidates[$0 - firstSeq].sub == sub }
            .suffix(config.streamingParityWindow - 1))
        var total = 0.0
        var n = 0
        for j in subHistory + [seq] {
            if let s = combinedScore(j) {
                total += Laterality.alternationSign(candidates[j - firstSeq].alt) * s
                n += 1
            }
        }
        var prevIC = candidates[k].ic
        var m = 1
        while m <= config.streamingParityLookAhead && has(seq + m) {
            let x = candidates[seq + m - firstSeq]
            if x.fate == .rejected || !continuesRun(intervalSamples: Double(x.ic - prevIC)) { break }
            score(seq + m)
            if let s = combinedScore(seq + m) {
                total += Laterality.alternationSign(candidates[k].alt + m) * s
                n += 1
            }
            prevIC = x.ic
            m += 1
        }
        if n == 0 {
            candidates[k].side = .unknown
        } else {
            let own = Laterality.alternationSign(candidates[k].alt)
            candidates[k].side = own * total >= 0 ? .left : .right
        }
        subHistory.append(seq)
    }

    // MARK: strides

    /// When a confirmed step closes a stride (same side as the confirmed step two before, same alternation run),
    /// its tilt statistics are reported and checked for sustained anterior tilt.
    func emitStride(endingAt seq: Int) {
        guard boutConfirmed.count >= 3 else { return }
        let first = boutConfirmed[boutConfirmed.count - 3]
        guard has(first), has(seq) else { return }
        let a = candidates[first - firstSeq], b = candidates[seq - firstSeq]
        guard a.side != .unknown, a.side == b.side, a.sub == b.sub, b.alt - a.alt == 2,
              Double(b.ic - a.ic) < 2 * maxStep, a.ic >= theta.oldest, b.ic <= theta.newest,
              let ap = forwardAxis else { return }
        let v = up[up.newest]
        let dt = 1 / rateHz
        let th = theta, g = gyro, gyroOn = hasGyro
        let ml = v.cross(ap).normalized
        guard let r = StrideAngles.compute(count: b.ic - a.ic + 1, dt: dt, sample: { j in
            let w = gyroOn ? g[a.ic + j] : SIMD3<Double>(repeating: 0)
            return (th[a.ic + j], w.dot(ml), w.dot(ap), w.dot(v))
        }) else { return }
        let stride = StrideTilt(icSeconds: times[a.ic], nextIcSeconds: times[b.ic], side: a.side, bout: boutId,
                                meanDeg: r.meanDeg, romDeg: gyroOn ? r.romDeg : nil,
                                obliquityRomDeg: gyroOn ? r.obliquityRomDeg : nil,
                                rotationRomDeg: gyroOn ? r.rotationRomDeg : nil,
                                meanPercentOfRange: calibrationState?.percentOfRange(tiltDeg: r.meanDeg))
        events.append(.stride(stride))
        for e in posture.add(stride) { events.append(.posture(e)) }
    }
}
