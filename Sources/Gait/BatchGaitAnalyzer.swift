import Foundation

/// Whole-recording gait analysis: steps, walking bouts, left/right, gait metrics, pelvic tilt and posture events
/// from a lower-back/hip IMU in any mounting (docs/research/gait/ALGORITHM.md; a port of `docs/research/gait/prototype.py`, plus the
/// pooled forward axis the spec recommends for the port).
///
/// Built as named stages in the style of mobgap, each a small documented unit returning a named struct:
/// `SessionSignals` → `StepCandidates` (§3.2–3.3) → `StepPeriodicityStage` (§3.4) → `BoutSegmentation` (§3.5–3.6 and
/// the Mobilise-D `BoutAssembly`) →
/// `WalkingAxes` (§2.3) → `BoutContacts` (§4–5) → `StrideTiltStage` (§6) → `BoutMetricsStage`.
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

    public func analyze(_ s: IMUSeries) -> GaitResult {
        let cfg = config
        let n = s.count
        let fs = s.rateHz
        var result = GaitResult(startSeconds: s.startSeconds, durationSeconds: Double(n) / fs, rateHz: fs)
        var notes = inputNotes(s)
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
        let candidates = StepCandidates.find(in: sig, config: cfg)
        let periodicity = StepPeriodicityStage.compute(sig, peaks: candidates.peaks, config: cfg)
        let segmentation = BoutSegmentation.segment(sig, candidates: candidates, periodicity: periodicity, config: cfg)
        notes += segmentation.notes(candidates: candidates, periodicity: periodicity, config: cfg)
        // contacts, axes and strides per run of walking; the runs of one bout share its index (Mobilise-D merging)
        let runs = segmentation.runs, boutOfRun = segmentation.boutOfRun
        let axes = WalkingAxes.estimate(sig, peaks: candidates.peaks, bouts: runs, boutOfRun: boutOfRun, config: cfg)
        notes += axes.notes
        var contacts: [BoutContacts] = []
        var steps: [GaitStep] = []
        for (ri, b) in runs.enumerated() {
            let c = BoutContacts.detect(sig, bout: b, peaks: candidates.peaks,
                                        up: axes.verticals[ri], forward: axes.forwards[ri], config: cfg)
            let lengths = StepLengthStage.lengths(sig, ic: c.ic, stepSeconds: b.stepSeconds, config: cfg)
            for k in 0..<c.ic.count {
                steps.append(GaitStep(t: s.startSeconds + Double(c.ic[k]) / fs, side: c.sides[k],
                                      fc: s.startSeconds + Double(c.fc[k]) / fs, bout: boutOfRun[ri],
                                      provisional: false, stepLengthM: lengths[k]))
            }
            contacts.append(c)
        }
        let tilt = StrideTiltStage.run(sig, bouts: runs, boutOfRun: boutOfRun, contacts: contacts, axes: axes,
                                       explicit: calibration, startSeconds: s.startSeconds, config: cfg)
        notes += tilt.notes
        let metrics = BoutMetricsStage.run(sig, runs: runs, boutOfRun: boutOfRun, bouts: segmentation.bouts,
                                           contacts: contacts, steps: steps, strides: tilt.strides,
                                           startSeconds: s.startSeconds, config: cfg)
        result.calibration = tilt.calibration
        result.steps = steps
        result.bouts = metrics.bouts
        result.strideTilts = tilt.strides
        result.pelvisCycle = tilt.cycle
        result.sideTable = SideTable.compute(steps: steps, medianStepSeconds: Stats.median(runs.map(\.stepSeconds)) ?? 0,
                                             missedStepFactor: cfg.missedStepFactor)
        result.metrics = metrics.walk
        result.postureEvents = postureEvents(tilt.strides)
        result.orientation = axes.orientation
        result.notes = notes
        return result
    }

    private func inputNotes(_ s: IMUSeries) -> [String] {
        guard s.rateHz < 50 || s.rateHz > 400 else { return [] }
        return ["sampling rate \(fmt(s.rateHz, 1)) Hz is outside the validated 50–400 Hz range"]
    }

    /// Sustained exaggerated anterior tilt over the strides (closed events only, plus one still open at the end).
    private func postureEvents(_ strides: [StrideTilt]) -> [PostureEvent] {
        var monitor = PostureMonitor(config: config)
        var posture: [PostureEvent] = []
        for st in strides { posture += monitor.add(st).filter { !$0.ongoing } }
        if let e = monitor.finish() { posture.append(e) }
        return posture
    }
}

/// Fixed-point number formatting for notes (no locale).
func fmt(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
