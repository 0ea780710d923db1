import Foundation

/// §3.2–3.3 of docs/research/gait/ALGORITHM.md: one step candidate per cycle lobe, with the a_v peak (vpk) that times it.
///
/// Lobes of the cycle signal above A_MIN, suppressed within STEP_MIN; each lobe's a_v peak is searched in W_PEAK,
/// and a candidate whose peak is closer than 0.8 STEP_MIN to the previous one is dropped (a double-humped lobe).
struct StepCandidates {
    /// Cycle-lobe sample of each candidate.
    var lobes: [Int]
    /// a_v peak sample of each candidate (the step's timing reference).
    var peaks: [Int]
    /// Largest cycle value in the recording, g (for the "no walking" note).
    var maxCycleG: Double

    static func find(in sig: SessionSignals, config cfg: GaitConfig) -> StepCandidates {
        let n = sig.count, fs = sig.rateHz
        var out = StepCandidates(lobes: [], peaks: [], maxCycleG: -.infinity)
        sig.cycle.withUnsafeBufferPointer { cyc in
            for v in cyc { out.maxCycleG = Swift.max(out.maxCycleG, v) }
            // A_MIN is set on the streaming cycle signal (SIG_CYCLE 0.045 s). Batch's wider Gaussian (0.06 s) lowers
            // a contact pulse narrower than itself by about their ratio, so the same threshold dropped lobes that
            // streaming keeps: at 45 steps/min (lobes 0.03–0.05 g) one lost lobe split a walk into fragments that
            // bout assembly then dropped. The same A_MIN in the streaming signal's units: scaled by that ratio.
            let minLobeG = cfg.batchMinLobeHeightG
            let all = StepDetection.lobes(cyc, threshold: minLobeG, minDistance: samples(cfg.minStepSeconds, fs))
            let w0 = samples(cfg.peakWindowStartSeconds, fs), w1 = samples(cfg.peakWindowEndSeconds, fs)
            let minSpacing = cfg.minStepSeconds * fs * cfg.minPeakSpacingFraction
            sig.fine.withUnsafeBufferPointer { fine in
                var prev: Int?
                for p in all {
                    let v = WindowSearch.argmax(fine, center: p, from: w0, to: w1, limit: n)
                    if prev == nil || Double(v - prev!) >= minSpacing {
                        out.lobes.append(p); out.peaks.append(v)
                    }
                    prev = v
                }
            }
        }
        return out
    }
}

/// §3.4: per-step periodicity reg_k, the best autocorrelation of a_v_hp around the step at about one step lag
/// (walking repeats itself every step; bumps, sit/stand and shuffling in place do not). 0 for an isolated candidate.
enum StepPeriodicityStage {
    static func compute(_ sig: SessionSignals, peaks vpk: [Int], config cfg: GaitConfig) -> [Double] {
        let n = sig.count, fs = sig.rateHz
        let maxStep = cfg.maxStepSeconds * fs
        var reg = [Double](repeating: 0, count: vpk.count)
        var scratch = ContiguousArray<Double>()
        var prefix = ContiguousArray<Double>()
        sig.avHighPass.withUnsafeBufferPointer { hp in
            for k in 0..<vpk.count {
                var lag = Int.max
                if k > 0, Double(vpk[k] - vpk[k - 1]) <= maxStep { lag = vpk[k] - vpk[k - 1] }
                if k + 1 < vpk.count, Double(vpk[k + 1] - vpk[k]) <= maxStep { lag = Swift.min(lag, vpk[k + 1] - vpk[k]) }
                guard lag != Int.max else { continue }
                reg[k] = StepDetection.periodicity({ hp[$0] }, available: 0..<n, center: vpk[k], lag: lag,
                                                   halfWindow: cfg.regularityHalfWindow(lagSamples: lag, rateHz: fs), minLagFraction: cfg.regularityMinLagFraction,
                                                   maxLagFraction: cfg.regularityMaxLagFraction,
                                                   scratch: &scratch, prefix: &prefix)
            }
        }
        return reg
    }
}

/// A run of walking steps found in §3.6, before events (indices into the candidate arrays). Runs are the units the
/// contacts, axes and strides are computed over; `BoutAssembly` groups them into the reported bouts.
struct BoutCandidate {
    var members: [Int]
    var stepSeconds: Double
    var periodicity: Double
    var lobeHeight: Double
}

/// §3.5–3.6: hysteresis on periodicity, then runs of walking steps without a gap > STEP_MAX whose median lobe
/// reaches BOUT_MIN_AMP; then the Mobilise-D assembly (`BoutAssembly`): runs whose breaks are ≤ 3 s form one bout
/// when they hold ≥ 2 strides in all. Keeps the counts of rejected runs so the notes can say why walking was not
/// found.
struct BoutSegmentation {
    var walking: [Bool]
    /// Runs that are part of a bout, in time order.
    var runs: [BoutCandidate] = []
    /// The bout of each run (index into `bouts`).
    var boutOfRun: [Int] = []
    /// Each bout's summary (members of all its runs; step time, periodicity and lobe height pooled over them).
    var bouts: [BoutCandidate] = []
    var shortRuns = 0
    var weakRuns = 0
    var weakestRejectedG = 0.0
    var mergedBreaks = 0

    static func segment(_ sig: SessionSignals, candidates c: StepCandidates, periodicity reg: [Double],
                        config cfg: GaitConfig) -> BoutSegmentation {
        let fs = sig.rateHz
        let vpk = c.peaks
        let maxStep = cfg.maxStepSeconds * fs
        let seeded = StepDetection.walkingMask(periodicity: reg, peaks: vpk, maxGapSamples: maxStep,
                                               minReg: cfg.minStepRegularity, keepReg: cfg.keepStepRegularity)
        let edged = StepDetection.extendToBreaks(seeded, periodicity: reg, peaks: vpk, maxGapSamples: maxStep,
                                                 keepReg: cfg.keepStepRegularity,
                                                 maxBreakSamples: cfg.maxBoutBreakSeconds * fs)
        var out = BoutSegmentation(
            walking: StepDetection.addClosingSteps(edged, peaks: vpk, heights: c.lobes.map { sig.cycle[$0] },
                                                   maxGapSamples: maxStep, rateHz: fs, config: cfg))
        var runs: [BoutCandidate] = []
        var group: [Int] = []
        func intervals(_ g: [Int]) -> [Double] {
            var diffs: [Double] = []
            for j in g.indices.dropFirst() { diffs.append(Double(vpk[g[j]] - vpk[g[j - 1]])) }
            return diffs
        }
        func close() {
            defer { group.removeAll(keepingCapacity: true) }
            guard !group.isEmpty else { return }
            // a lone IC has no step time; it cannot be a fragment of a bout
            guard group.count >= 2 else { out.shortRuns += 1; return }
            let stepT = (Stats.median(intervals(group)) ?? 0) / fs
            let amp = Stats.median(group.map { sig.cycle[c.lobes[$0]] }) ?? 0
            guard amp >= cfg.minBoutLobeHeightG(stepSeconds: stepT) else {
                out.weakRuns += 1; out.weakestRejectedG = Swift.max(out.weakestRejectedG, amp); return
            }
            runs.append(BoutCandidate(members: group, stepSeconds: stepT,
                                      periodicity: Stats.median(group.map { reg[$0] }) ?? 0, lobeHeight: amp))
        }
        for k in 0..<vpk.count where out.walking[k] {
            if let last = group.last, Double(vpk[k] - vpk[last]) > maxStep { close() }
            group.append(k)
        }
        close()
        // Mobilise-D: breaks ≤ 3 s merge runs, a bout needs ≥ 2 strides (timed by the a_v peaks, ≈ 0.1 s after IC)
        let groups = BoutAssembly.group(runICSeconds: runs.map { $0.members.map { Double(vpk[$0]) / fs } },
                                        maxBreakSeconds: cfg.maxBoutBreakSeconds, minStrides: cfg.minBoutStrides)
        out.shortRuns += runs.count - groups.reduce(0) { $0 + $1.count }
        for (bi, g) in groups.enumerated() {
            let members = g.flatMap { runs[$0].members }
            let diffs = g.flatMap { intervals(runs[$0].members) }
            out.bouts.append(BoutCandidate(members: members, stepSeconds: (Stats.median(diffs) ?? 0) / fs,
                                           periodicity: Stats.median(members.map { reg[$0] }) ?? 0,
                                           lobeHeight: Stats.median(members.map { sig.cycle[c.lobes[$0]] }) ?? 0))
            out.mergedBreaks += g.count - 1
            for r in g { out.runs.append(runs[r]); out.boutOfRun.append(bi) }
        }
        return out
    }

    /// Why walking was (partly) not found, in plain words.
    func notes(candidates c: StepCandidates, periodicity reg: [Double], config cfg: GaitConfig) -> [String] {
        var notes: [String] = []
        if c.lobes.isEmpty {
            notes.append("no walking: no step candidates — the vertical cycle signal never reached "
                         + "A_MIN = \(fmt(cfg.batchMinLobeHeightG, 4)) g (its maximum was \(fmt(Swift.max(c.maxCycleG, 0), 3)) g); "
                         + "is the sensor worn and is the acceleration in g or m/s²?")
        } else if !walking.contains(true) {
            notes.append("no walking: periodicity never reached \(fmt(cfg.minStepRegularity, 2)) (best "
                         + "\(fmt(reg.max() ?? 0, 2)) over \(c.peaks.count) step candidates) — movement was not "
                         + "step-to-step repetitive")
        }
        if shortRuns > 0 {
            notes.append("\(shortRuns) run(s) of periodic steps held fewer than \(cfg.minBoutStrides) strides "
                         + "(\(cfg.minBoutInitialContacts) ICs) within \(fmt(cfg.maxBoutBreakSeconds, 0)) s of other "
                         + "walking and were not counted as walking")
        }
        if weakRuns > 0 {
            notes.append("\(weakRuns) run(s) rejected: median lobe height below BOUT_MIN_AMP = "
                         + "\(fmt(cfg.minBoutLobeHeightG, 2)) g (less below \(fmt(cfg.boutAmplitudeReferenceCadence, 0)) "
                         + "steps/min; largest \(fmt(weakestRejectedG, 3)) g)")
        }
        if mergedBreaks > 0 {
            notes.append("\(mergedBreaks) pause(s) of at most \(fmt(cfg.maxBoutBreakSeconds, 0)) s were kept inside "
                         + "their bouts (Mobilise-D: a break longer than \(fmt(cfg.maxBoutBreakSeconds, 0)) s ends a bout)")
        }
        if bouts.isEmpty && !c.lobes.isEmpty && walking.contains(true) {
            notes.append("no walking bouts: no run of periodic steps met the bout criteria")
        }
        return notes
    }
}
