import Foundation
import Gait
import PopEvents
import SensorProtocol

/// The live half of "one pipeline for live and replay": timed sample blocks in (from a device session or a
/// recording, via `SampleAssembler`), analysis events out, in order, as soon as each is known — steps within
/// ~300 ms of their contact, pops when their end has been heard, alerts when a rule fires.
public final class StreamingAnalysis {
    public var onEvent: ((AnalysisEvent) -> Void)?
    public private(set) var status = AnalysisStatus()

    private let gaitConfig: GaitConfig
    private let popConfig: PopConfig
    private var gait: StreamingGaitAnalyzer?
    private var pops: PopDetector?
    private var recentStepTimes: [Double] = []
    /// Pops whose phase is still provisional: refined once the next contact after them is confirmed.
    private var pendingPops: [PopEvent] = []
    private let alerts: AlertRules
    /// Re-labels live pops from the recurrence seen so far (past events only).
    private let refiner = PatternRefiner()
    /// Contacts with their legs, for each pop's phase on its own leg.
    private let legPhases: ContactLegPhases

    private let calibration: TiltCalibration?

    public init(gaitConfig: GaitConfig = .init(), popConfig: PopConfig = .init(), alertConfig: AlertRuleConfig = .init(),
                calibration: TiltCalibration? = nil) {
        self.calibration = calibration
        self.gaitConfig = gaitConfig
        self.popConfig = popConfig
        legPhases = ContactLegPhases(micSide: popConfig.micSide)
        alerts = AlertRules(config: alertConfig)
    }

    private func emit(_ a: [WalkAlert]) {
        for x in a {
            status.alerts += 1
            onEvent?(.alert(x))
        }
    }

    public func imu(_ b: IMUSamples) {
        if gait == nil { gait = StreamingGaitAnalyzer(rateHz: b.rateHz, config: gaitConfig, calibration: calibration) }
        guard let g = gait else { return }
        let events = g.process(startSeconds: b.tSeconds, accG: b.accG, gyroDps: b.gyroDps, count: b.count)
        status.tSeconds = max(status.tSeconds, b.tSeconds + Double(b.count) / b.rateHz)
        status.tiltDeg = g.currentTiltDeg
        status.neutralFrom = g.calibration?.source
        handle(events)
    }

    public func audio(_ a: AudioSamples) {
        if pops == nil {
            let d = PopDetector(sampleRateHz: a.rateHz, config: popConfig)
            if let g = gait { d.phaseProvider = StreamingPhases(analyzer: g) }
            pops = d
        }
        guard let d = pops else { return }
        if d.phaseProvider == nil, let g = gait { d.phaseProvider = StreamingPhases(analyzer: g) }
        for p in d.process(a.samples, startSeconds: a.tSeconds) { emitPop(p) }
    }

    public func marker(_ m: MarkerEvent) {
        onEvent?(.marker(m))
        if m.kind == .pain { emit(alerts.painMarker(at: m.tSeconds)) }
    }

    /// End of input: flush what the detectors still hold.
    public func finish() {
        if let g = gait { handle(g.finish()) }
        if let d = pops { for p in d.finish() { emitPop(p) } }
        refinePops(confirmedContact: .infinity)
    }

    /// A contact after a pop is now final: the stride around the pop is known, so its phase is re-read and the pop
    /// is reported once more with `provisional: false` (what a report would say). Bounded: pops wait at most 5 s.
    private func refinePops(confirmedContact t: Double) {
        guard !pendingPops.isEmpty else { return }
        let now = status.tSeconds
        var keep: [PopEvent] = []
        for var p in pendingPops {
            if p.tSeconds < t || now - p.tSeconds > 5 {
                if let g = gait { p.retag(using: StreamingPhases(analyzer: g), legs: legPhases) }
                p.provisional = false
                onEvent?(.pop(p))
            } else {
                keep.append(p)
            }
        }
        pendingPops = keep
    }

    private func emitPop(_ found: PopEvent) {
        var p = refiner.note(found)
        p.provisional = true // phase from the current stride estimate; refined below
        status.popsByKind[p.kind.rawValue, default: 0] += 1
        status.lastPopPhase = p.phase?.phase.rawValue
        status.lastPopCyclePercent = p.phase?.cyclePercent
        pendingPops.append(p)
        onEvent?(.pop(p))
        emit(alerts.pop(p))
    }

    private func handle(_ events: [GaitStreamEvent]) {
        for e in events {
            switch e {
            case .stepConfirmed(let s):
                onEvent?(.step(s))
                refinePops(confirmedContact: s.t)
            case .stepRejected(let t):
                status.steps = max(0, status.steps - 1)
                recentStepTimes.removeAll { $0 == t }
                onEvent?(.stepRejected(tSeconds: t))
            case .step(let s):
                status.steps += 1
                pops?.noteContact(s.t, leg: Leg(s.side))
                legPhases.noteContact(tSeconds: s.t, leg: Leg(s.side))
                recentStepTimes.append(s.t)
                if recentStepTimes.count > 9 { recentStepTimes.removeFirst() }
                if recentStepTimes.count >= 3, let first = recentStepTimes.first, let last = recentStepTimes.last,
                   last > first {
                    status.cadenceStepsPerMin = 60 * Double(recentStepTimes.count - 1) / (last - first)
                }
                onEvent?(.step(s))
            case .boutStarted(let t):
                status.walking = true
                alerts.noteWalking(at: t)
                onEvent?(.boutStarted(tSeconds: t))
            case .boutEnded(let t):
                status.walking = false
                recentStepTimes.removeAll()
                onEvent?(.boutEnded(tSeconds: t))
            case .posture(let p):
                onEvent?(.posture(p))
                emit(alerts.posture(p))
            case .stride(let s):
                onEvent?(.stride(s))
            }
        }
    }
}
