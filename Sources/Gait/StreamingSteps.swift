import Foundation

/// Streaming steps and bouts: lobes → candidates (emitted at once) → periodicity → hysteresis → bouts
/// (docs/research/gait/ALGORITHM.md §3, §8). Everything here runs per new cycle sample or per candidate, never over the session.
extension StreamingGaitAnalyzer {
    enum Fate { case pending, confirmed, rejected }

    /// A step candidate (one per cycle lobe that survived), with everything decided about it so far.
    struct Candidate {
        var seq: Int
        var lobe: Int
        var height: Double
        var peak: Int          // vpk: a_v peak
        var ic: Int
        var reg: Double?
        var good = false
        var fc: Int?
        /// The FC was located with the next candidate's step time (not the running median): final.
        var fcFromNextStep = false
        var fate = Fate.pending
        var side = Side.unknown
        var scoreAcc: Double?
        var scoreGyro: Double?
        var bout = -1
        var alt = 0
        var sub = -1
        /// Walking as the closing step of its chain (`StepDetection.isClosingStep`), not by periodicity.
        var closing = false

        init(seq: Int, lobe: Int, height: Double, peak: Int, ic: Int) {
            self.seq = seq
            self.lobe = lobe
            self.height = height
            self.peak = peak
            self.ic = ic
        }
    }

    @inline(__always) func has(_ seq: Int) -> Bool { seq >= firstSeq && seq < nextSeq }

    // MARK: lobes

    /// New cycle sample `c`: finalise the pending lobe (dropped below 50 % of its peak, 0.25 s passed, or the latency
    /// budget of its IC spent), then look for a local maximum at c − 1 (greedy suppression within STEP_MIN).
    func produceCycle(_ c: Int, last: Int) {
        let x = correlate(avHighPass, kCycle, at: c, last: last)
        cycle.append(x)
        if let p = pendingLobe, shouldFinalise(p, current: x, at: c) { finaliseLobe() }
        let m = c - 1
        guard m >= 1 else { return }
        let xm = cycle[m]
        guard xm > cycle[m - 1] && xm >= x && xm >= config.minLobeHeightG else { return }
        if let p = pendingLobe {
            if xm > p.value { pendingLobe = (m, xm) }
        } else if lastFinalLobe == nil || m - lastFinalLobe! >= minLobeDistance {
            pendingLobe = (m, xm)
            if let p = pendingLobe, shouldFinalise(p, current: x, at: c) { finaliseLobe() }
        }
    }

    func shouldFinalise(_ p: (index: Int, value: Double), current x: Double, at c: Int) -> Bool {
        if x < config.streamingLobeDropFraction * p.value || c - p.index >= minLobeDistance { return true }
        // latency budget: where would this lobe's IC be?
        guard fine.newest >= p.index + peakTo else { return false }
        let limit = fine.newest + 1
        let v = WindowSearch.argmax(fine, center: p.index, from: peakFrom, to: peakTo, limit: limit)
        let ic = WindowSearch.argmax(slope, center: v, from: riseFrom, to: riseTo, limit: limit)
        return index >= ic + maxLatency
    }

    func finaliseLobe() {
        guard let p = pendingLobe else { return }
        lobeQueue.append(p)
        lastFinalLobe = p.index
        pendingLobe = nil
    }

    // MARK: decisions

    /// Runs every decision whose data is complete, in order: candidates from final lobes, FCs, periodicity and
    /// walking status, bout end.
    func service(final: Bool) {
        // lobes → candidates (emitted at once)
        while let p = lobeQueue.first {
            if !final && fine.newest < p.index + peakTo { break }
            lobeQueue.removeFirst()
            let limit = fine.newest + 1
            let v = WindowSearch.argmax(fine, center: p.index, from: peakFrom, to: peakTo, limit: limit)
            let ok = lastPeakAny == nil
                || Double(v - lastPeakAny!) >= config.minStepSeconds * rateHz * config.minPeakSpacingFraction
            lastPeakAny = v
            guard ok else { continue }
            let ic = WindowSearch.argmax(slope, center: v, from: riseFrom, to: riseTo, limit: limit)
            addCandidate(lobe: p.index, height: p.value, peak: v, ic: ic)
        }
        // FC, in order
        nextFCSeq = Swift.max(nextFCSeq, firstSeq)
        while nextFCSeq < nextSeq {
            guard computeFinalContact(nextFCSeq, final: final) else { break }
            nextFCSeq += 1
        }
        // periodicity and walking status, in order
        nextRegSeq = Swift.max(nextRegSeq, firstSeq)
        while nextRegSeq < nextSeq {
            guard computePeriodicity(nextRegSeq, final: final) else { break }
            refineFinalContact(nextRegSeq, final: final)
            decide(nextRegSeq)
            nextRegSeq += 1
        }
        // a chain of undecided keep-level candidates that no seed can reach any more (nothing within STEP_MAX after
        // the newest one) will never be walking
        if has(nextSeq - 1) {
            let last = candidates[nextSeq - 1 - firstSeq]
            if last.reg != nil && last.fate == .pending && !last.good
                && (final || Double(index - last.peak) > maxStep + Double(maxLobeLatency)) {
                var j = nextSeq - 1
                while has(j) && !candidates[j - firstSeq].good && candidates[j - firstSeq].fate == .pending {
                    reject(j)
                    j -= 1
                }
            }
        }
        // bout end: no later candidate within STEP_MAX can still join the run, and none can still appear
        if let lastPeak = runLastPeak {
            var blocked = false
            var seq = Swift.max(runLastSeq + 1, firstSeq)
            while seq < nextSeq {
                let c = candidates[seq - firstSeq]
                // undecided, or decided but still able to turn walking through a later seed (hysteresis)
                let open = c.reg == nil || (c.fate == .pending && !c.good && c.reg! >= config.keepStepRegularity)
                if open && Double(c.peak - lastPeak) <= maxStep { blocked = true; break }
                seq += 1
            }
            if final || (!blocked && Double(index - lastPeak) > maxStep + Double(maxLobeLatency)) { closeRun() }
        }
        // a bout ends once no run can start within the break limit of its last IC any more
        if let l = lingeringBout, !runOpen {
            let breakSamples = config.maxBoutBreakSeconds * rateHz
            if let first = runMembers.first(where: { has($0) }) {
                if Double(candidates[first - firstSeq].peak - l.lastPeak) > breakSamples { endLingeringBout() }
            } else if Double(index - l.lastPeak) > breakSamples + Double(maxLobeLatency) {
                var blocked = false
                var seq = firstSeq
                while seq < nextSeq {
                    let c = candidates[seq - firstSeq]
                    let open = c.reg == nil || (c.fate == .pending && !c.good && c.reg! >= config.keepStepRegularity)
                    if c.peak > l.lastPeak && Double(c.peak - l.lastPeak) <= breakSamples && open { blocked = true; break }
                    seq += 1
                }
                if !blocked || final { endLingeringBout() }
            }
        }
    }

    func addCandidate(lobe: Int, height: Double, peak: Int, ic: Int) {
        var c = Candidate(seq: nextSeq, lobe: lobe, height: height, peak: peak, ic: ic)
        if has(nextSeq - 1) {
            let prev = candidates[nextSeq - 1 - firstSeq]
            if prev.side != .unknown && prev.fate != .rejected
                && Double(ic - prev.ic) <= config.missedStepFactor * stepSamples {
                c.side = prev.side.opposite        // predicted by alternation
            }
        }
        candidates.append(c)
        nextSeq += 1
        events.append(.step(GaitStep(t: times[ic], side: c.side, fc: nil, bout: runOpen ? boutId : -1,
                                     provisional: true)))
        if candidates.count > config.streamingStepHistory {
            let old = candidates[0]
            if old.fate == .pending { reject(old.seq) }
            runMembers.removeAll { $0 == old.seq }
            subHistory.removeAll { $0 == old.seq }
            boutConfirmed.removeAll { $0 == old.seq }
            if lastConfirmedSeq == old.seq { lastConfirmedSeq = nil }
            candidates.removeFirst()
            firstSeq += 1
        }
    }

    /// FC = first local minimum of s_fine in [vpk + 0.04 s, vpk + 0.6·min(T_k, STEP_MAX)], T_k from the next
    /// candidate if it exists, else the running median step. False while s_fine does not reach the window end.
    func computeFinalContact(_ seq: Int, final: Bool) -> Bool {
        let c = candidates[seq - firstSeq]
        let tk = has(seq + 1) ? Double(candidates[seq + 1 - firstSeq].peak - c.peak) : stepSamples
        var j1 = c.peak + Int((config.finalContactWindowStepFraction * Swift.min(tk, maxStep)).rounded(.toNearestOrEven))
        if final { j1 = Swift.min(j1, fine.newest) }
        guard fine.newest >= j1 else { return false }
        let j0 = Swift.max(c.peak + fcStart, fine.oldest)
        let latest = c.peak + Int((config.finalContactLatestStepFraction * tk).rounded(.toNearestOrEven))
        let result = FinalContact.locate(fine, from: j0, through: j1, fallback: c.peak, latest: latest)
        candidates[seq - firstSeq].fc = result
        candidates[seq - firstSeq].fcFromNextStep = has(seq + 1)
        return true
    }

    /// Before a step is decided (and so before its FC is emitted with `.stepConfirmed`), an FC that was located with
    /// the running median step — the next candidate had not arrived when s_fine reached the window's end — is located
    /// again with the next candidate's step time, as batch does. Why: the window and the half-step limit
    /// (`finalContactLatestStepFraction`) scale with T_k, and the running median is stale at a bout's start (the
    /// previous bout's slower steps; free-living seed 1 at 35–38 s: 0.7 s medians for 0.5 s steps), so single
    /// support's trough, ≈ 0.27 s after the real toe-off, passed the limit (streaming FC +270–300 ms, batch +5 ms).
    /// No added latency: decisions already wait for the next candidate (`computePeriodicity`), and the provisional
    /// `.step` carries no FC. The live phase uses the first estimate until then.
    func refineFinalContact(_ seq: Int, final: Bool) {
        let c = candidates[seq - firstSeq]
        guard c.fc != nil, !c.fcFromNextStep, has(seq + 1) else { return }
        let previous = c.fc
        if !computeFinalContact(seq, final: final) { candidates[seq - firstSeq].fc = previous }
    }

    /// reg_k once a_v_hp reaches vpk + W_REG (and the next candidate, if it can still come within STEP_MAX).
    func computePeriodicity(_ seq: Int, final: Bool) -> Bool {
        let c = candidates[seq - firstSeq]
        let nextKnown = has(seq + 1)
        if !final {
            if index < c.peak + regHalfWindow { return false }
            if !nextKnown && Double(index) < Double(c.peak) + maxStep + Double(maxLobeLatency) { return false }
        }
        var lag = Int.max
        if has(seq - 1) {
            let d = c.peak - candidates[seq - 1 - firstSeq].peak
            if Double(d) <= maxStep { lag = d }
        }
        if nextKnown {
            let d = candidates[seq + 1 - firstSeq].peak - c.peak
            if Double(d) <= maxStep { lag = Swift.min(lag, d) }
        }
        var r = 0.0
        if lag != Int.max {
            // slow steps widen the window (GaitConfig.regularityMinHalfWindowSteps): wait until it has arrived
            let halfWindow = config.regularityHalfWindow(lagSamples: lag, rateHz: rateHz)
            if !final && index < c.peak + halfWindow { return false }
            let ring = avHighPass
            r = StepDetection.periodicity({ ring[$0] }, available: ring.available, center: c.peak, lag: lag,
                                          halfWindow: halfWindow, minLagFraction: config.regularityMinLagFraction,
                                          maxLagFraction: config.regularityMaxLagFraction,
                                          scratch: &scratch, prefix: &prefix)
        }
        candidates[seq - firstSeq].reg = r
        return true
    }

    /// Hysteresis, incrementally: a seed (reg ≥ 0.40) makes itself and the chain of linked keep-level candidates
    /// before it walking; a keep-level candidate (reg ≥ 0.15) linked to a walking predecessor is walking. Candidates
    /// that can no longer become walking are rejected.
    func decide(_ seq: Int) {
        let k = seq - firstSeq
        let reg = candidates[k].reg ?? 0
        let hasPrev = has(seq - 1)
        let near = hasPrev && Double(candidates[k].peak - candidates[k - 1].peak) <= maxStep
        var newly: [Int] = []
        if reg >= config.minStepRegularity {
            candidates[k].good = true
            newly.append(seq)
            var j = seq - 1
            while has(j) {
                let cj = candidates[j - firstSeq]
                guard !cj.good, cj.fate == .pending, (cj.reg ?? 0) >= config.keepStepRegularity,
                      Double(candidates[j + 1 - firstSeq].peak - cj.peak) <= maxStep else { break }
                candidates[j - firstSeq].good = true
                newly.insert(j, at: 0)
                j -= 1
            }
        } else if reg >= config.keepStepRegularity && near && candidates[k - 1].good && !candidates[k - 1].closing {
            candidates[k].good = true
            newly.append(seq)
        } else if near && candidates[k - 1].good && isClosingStep(seq) {
            candidates[k].good = true
            candidates[k].closing = true
            newly.append(seq)
        }
        let good = candidates[k].good
        if good || reg < config.keepStepRegularity || !near {
            var j = seq - 1
            while has(j) && !candidates[j - firstSeq].good && candidates[j - firstSeq].fate == .pending {
                reject(j)
                j -= 1
            }
            if !good && reg < config.keepStepRegularity { reject(seq) }
        }
        for g in newly { addGood(g) }
    }

    /// The batch rule `StepDetection.isClosingStep` on the chain of walking candidates before `seq` (the candidate
    /// right after a chain, below STEP_KEEP_REG). A closing step closes its chain: none follows it.
    func isClosingStep(_ seq: Int) -> Bool {
        guard has(seq - 1), !candidates[seq - 1 - firstSeq].closing else { return false }
        var j = seq - 1
        while has(j - 1) && seq - j < config.closingStepChainSteps && candidates[j - 1 - firstSeq].good
                && Double(candidates[j - firstSeq].peak - candidates[j - 1 - firstSeq].peak) <= maxStep { j -= 1 }
        let chain = candidates[(j - firstSeq)..<(seq - firstSeq)]
        let c = candidates[seq - firstSeq]
        return StepDetection.isClosingStep(chainPeaks: chain.map(\.peak), peak: c.peak, height: c.height, rateHz: rateHz, config: config)
    }

    func reject(_ seq: Int) {
        guard has(seq), candidates[seq - firstSeq].fate == .pending else { return }
        candidates[seq - firstSeq].fate = .rejected
        events.append(.stepRejected(times[Swift.max(candidates[seq - firstSeq].ic, times.oldest)]))
    }

    /// A walking candidate joins the current run (or starts a new one after a gap > STEP_MAX). A run becomes a bout
    /// at `minBoutInitialContacts` members with a median lobe height ≥ BOUT_MIN_AMP.
    func addGood(_ seq: Int) {
        let c = candidates[seq - firstSeq]
        if let lastPeak = runLastPeak, Double(c.peak - lastPeak) > maxStep { closeRun() }
        runLastPeak = c.peak
        runLastSeq = seq
        if runOpen {
            confirm(seq)
            return
        }
        runMembers.append(seq)
        let cap = Swift.max(config.minBoutInitialContacts, config.streamingStepHistory / 2)
        if runMembers.count > cap {
            let old = runMembers.removeFirst()
            reject(old)
        }
        if runMembers.count >= config.minBoutInitialContacts {
            let held = runMembers.filter { has($0) }
            let heights = held.map { candidates[$0 - firstSeq].height }
            var intervals: [Double] = []
            for j in held.indices.dropFirst() {
                intervals.append(Double(candidates[held[j] - firstSeq].peak - candidates[held[j - 1] - firstSeq].peak))
            }
            let stepSeconds = (Stats.median(intervals) ?? 0) / rateHz
            if (Stats.median(heights) ?? 0) >= config.minBoutLobeHeightG(stepSeconds: stepSeconds) { openBout() }
        }
    }

    func openBout() {
        let members = runMembers.filter { has($0) }
        runMembers.removeAll()
        guard let first = members.first else { return }
        runOpen = true
        if let id = continuedBout(firstPeak: candidates[first - firstSeq].peak) {
            boutId = id                       // a break ≤ 3 s: the same bout goes on
        } else {
            boutId = nextBoutId
            nextBoutId += 1
            events.append(.boutStarted(times[Swift.max(candidates[first - firstSeq].ic, times.oldest)]))
        }
        confirmOpening(members)
    }

    /// The lingering bout a run whose first peak is `firstPeak` continues (break ≤ `maxBoutBreakSeconds`), or nil
    /// (and the lingering bout, if any, is ended first).
    func continuedBout(firstPeak: Int) -> Int? {
        guard let l = lingeringBout else { return nil }
        if Double(firstPeak - l.lastPeak) <= config.maxBoutBreakSeconds * rateHz {
            lingeringBout = nil
            return l.id
        }
        endLingeringBout()
        return nil
    }

    func endLingeringBout() {
        guard let l = lingeringBout else { return }
        events.append(.boutEnded(l.endSeconds))
        lingeringBout = nil
    }

    /// Ends the current run. A bout's run closes the posture run and leaves the bout lingering: `.boutEnded` (its
    /// last IC) follows once no run can continue it (Mobilise-D: breaks ≤ 3 s stay inside a bout). A run that never
    /// became a bout joins a lingering bout it follows within the break limit — a fragment of one stride after a
    /// stop keeps its contacts — and is rejected otherwise. (A fragment *before* a bout is rejected: keeping it
    /// would hold every rejection back by 3 s; batch merges both ways.)
    func closeRun() {
        if !runOpen, runMembers.filter({ has($0) }).count >= 2, let first = runMembers.first(where: { has($0) }),
           lingeringBout != nil, let id = continuedBout(firstPeak: candidates[first - firstSeq].peak) {
            let members = runMembers.filter { has($0) }
            runMembers.removeAll()
            runOpen = true
            boutId = id
            confirmOpening(members)
        }
        if runOpen {
            flushHeldSteps()
            var endSeconds: Double?
            var lastPeak = runLastPeak
            if let last = lastConfirmedSeq ?? boutConfirmed.last, has(last) {
                endSeconds = times[Swift.max(candidates[last - firstSeq].ic, times.oldest)]
                lastPeak = candidates[last - firstSeq].peak
            } else if let lp = runLastPeak {
                endSeconds = times[Swift.max(lp, times.oldest)]
            }
            if let e = endSeconds, let p = lastPeak { lingeringBout = (boutId, p, e) }
            if let e = posture.finish() { events.append(.posture(e)) }
        } else {
            for m in runMembers { reject(m) }
        }
        runMembers.removeAll()
        runOpen = false
        runLastPeak = nil
        runLastSeq = -1
        boutId = -1
        lastConfirmedSeq = nil
        boutConfirmed.removeAll()
        subHistory.removeAll()
    }
}
