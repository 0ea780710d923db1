import Foundation
import Gait
import PopEvents
import SensorProtocol

/// Everything the live/replay pipeline reports, in the order it learns it. Sinks (JSON lines, dashboard, recorder
/// notes) render these; the schema of each JSON line is in docs/OUTPUT.md.
public enum AnalysisEvent {
    /// A step: first provisional (within ~300 ms of its contact), then again with `provisional == false` once
    /// confirmed with its bout, side and final contact.
    case step(GaitStep)
    /// A provisional step that turned out not to be walking.
    case stepRejected(tSeconds: Double)
    case boutStarted(tSeconds: Double)
    case boutEnded(tSeconds: Double)
    case stride(StrideTilt)
    case posture(PostureEvent)
    case marker(MarkerEvent)
    case pop(PopEvent)
    case alert(WalkAlert)
    case status(AnalysisStatus)

    /// The event as one JSON line (docs/OUTPUT.md): the report's object for the same thing plus its `type`.
    public var jsonLine: String {
        switch self {
        case .step(let s): return JSONLines.line("step", s)
        case .stepRejected(let t): return JSONLines.line("step_rejected", StepRejectedLine(icSeconds: t))
        case .boutStarted(let t): return JSONLines.line("bout_start", BoutStartLine(startSeconds: t))
        case .boutEnded(let t): return JSONLines.line("bout_end", BoutEndLine(endSeconds: t))
        case .stride(let s): return JSONLines.line("stride", s)
        case .posture(let p): return JSONLines.line("posture", p)
        case .marker(let m): return JSONLines.line("marker", m)
        case .pop(let p): return JSONLines.line("pop", p)
        case .alert(let a): return a.jsonLine
        case .status(let s): return s.jsonLine
        }
    }
}

/// Live counters for the dashboard and the periodic "status" line.
public struct AnalysisStatus {
    public var tSeconds = 0.0
    public var steps = 0
    public var cadenceStepsPerMin: Double?
    public var walking = false
    public var tiltDeg: Double?
    /// Where the tilt's neutral comes from (`TiltCalibration.source`: "standing_window", "walk_average", …).
    public var neutralFrom: String?
    public var popsByKind: [String: Int] = [:]
    public var lastPopPhase: String?
    public var lastPopCyclePercent: Double?
    public var alerts = 0

    public init() {}

    public var jsonLine: String {
        JSONLines.line("status", StatusLine(tSeconds: tSeconds, stepCount: steps, cadenceStepsPerMin: cadenceStepsPerMin,
                                            walking: walking, tiltDeg: tiltDeg, neutralFrom: neutralFrom,
                                            popCounts: popsByKind, alertCount: alerts))
    }
}
