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

    /// The event as one JSON line.
    public var jsonLine: String {
        switch self {
        case .step(let s):
            var j = JSONLine(type: "step")
            j.add("t", s.t)
            j.add("side", s.side.rawValue)
            j.add("fc", s.fc)
            j.add("bout", s.bout)
            j.add("provisional", s.provisional)
            return j.text
        case .stepRejected(let t):
            var j = JSONLine(type: "step_rejected")
            j.add("t", t)
            return j.text
        case .boutStarted(let t):
            var j = JSONLine(type: "bout_start")
            j.add("t", t)
            return j.text
        case .boutEnded(let t):
            var j = JSONLine(type: "bout_end")
            j.add("t", t)
            return j.text
        case .stride(let s):
            var j = JSONLine(type: "stride")
            j.add("ic", s.icSeconds)
            j.add("next_ic", s.nextIcSeconds)
            j.add("side", s.side.rawValue)
            j.add("bout", s.bout)
            j.add("tilt_mean_deg", s.meanDeg, decimals: 2)
            j.add("tilt_rom_deg", s.romDeg, decimals: 2)
            j.add("obliquity_rom_deg", s.obliquityRomDeg, decimals: 2)
            j.add("rotation_rom_deg", s.rotationRomDeg, decimals: 2)
            j.add("tilt_percent_of_range", s.meanPercentOfRange, decimals: 1)
            return j.text
        case .posture(let p):
            var j = JSONLine(type: "posture")
            j.add("t", p.startSeconds)
            j.add("kind", p.kind)
            j.add("end", p.endSeconds)
            j.add("mean_tilt_deg", p.meanTiltDeg, decimals: 2)
            j.add("max_tilt_deg", p.maxTiltDeg, decimals: 2)
            j.add("ongoing", p.ongoing)
            return j.text
        case .marker(let m):
            var j = JSONLine(type: "marker")
            j.add("t", m.tSeconds)
            j.add("kind", m.kind.map { "\($0)" } ?? "other")
            j.add("id", m.markerID)
            return j.text
        case .pop(let p):
            var j = JSONLine(type: "pop")
            j.add("t", p.tSeconds, decimals: 4)
            j.add("kind", p.kind.rawValue)
            j.add("cycle_percent", p.phase?.cyclePercent, decimals: 1)
            j.add("stance_leg", p.phase?.stanceLeg?.rawValue)
            j.add("left_cycle_percent", p.phase.map { $0.leftCyclePercent ?? $0.cyclePercent }, decimals: 1)
            j.add("phase", p.phase?.phase)
            j.add("left_leg", p.phase?.leftLeg)
            j.add("level_db", p.levelDbfs, decimals: 1)
            j.add("snr_db", p.snrDb, decimals: 1)
            j.add("duration", p.durationSeconds, decimals: 4)
            j.add("confidence", p.confidence, decimals: 2)
            j.add("peak_hz", p.features.peakFrequencyHz, decimals: 0)
            j.add("decay_ms", p.features.decaySeconds * 1000, decimals: 2)
            j.add("rise_ms", p.features.riseTimeSeconds * 1000, decimals: 2)
            j.add("provisional", p.provisional)
            return j.text
        case .alert(let a):
            return a.jsonLine
        case .status(let s):
            return s.jsonLine
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
        var j = JSONLine(type: "status")
        j.add("t", tSeconds)
        j.add("steps", steps)
        j.add("cadence", cadenceStepsPerMin, decimals: 1)
        j.add("walking", walking)
        j.add("tilt_deg", tiltDeg, decimals: 2)
        j.add("neutral_from", neutralFrom)
        let pops = popsByKind.sorted { $0.key < $1.key }.map { "\(JSONLine.quote($0.key)):\($0.value)" }
        j.addRaw("pops", json: "{" + pops.joined(separator: ",") + "}")
        j.add("alerts", alerts)
        return j.text
    }
}
