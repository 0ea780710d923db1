import Foundation
import Gait
import PopEvents
import Recording
import SensorProtocol

/// The report as flat tables a researcher loads in one line (`pandas.read_csv("strides.csv")`, R's `read.csv`):
/// one file per kind of row, a header with units in the column names, an empty cell where a value is unknown (read
/// as NaN), times in seconds since the session started.
///
/// - `steps.csv`: every initial contact with its side, bout, step time, the opposite foot's next final contact and the
///   initial double support it bounds.
/// - `strides.csv`: every stride (IC to the next IC of the same foot) with stride, stance, swing, double- and
///   single-support times and stance %, and the stride's pelvic tilt mean and ranges.
/// - `pops.csv`, `markers.csv`, `alerts.csv`: the events of the report.
///
/// Stance and swing come from the contacts alone: a foot's stance runs from its IC to its FC, which is the `fc` of the
/// opposite foot's following step (GaitStep.fc is the FC of the opposite foot after that IC).
public enum ReportCSV {
    public static let fileNames = ["steps.csv", "strides.csv", "pops.csv", "markers.csv", "alerts.csv"]

    /// Writes the five tables into `directory` (created if needed); returns their paths.
    @discardableResult
    public static func write(_ r: WalkReport, toDirectory directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        let steps = r.steps.sorted { $0.t < $1.t }
        try writeSteps(steps, to: path("steps.csv"))
        try writeStrides(steps, tilts: r.strides, to: path("strides.csv"))
        try writePops(r.pops, to: path("pops.csv"))
        try writeMarkers(r.markers, notes: r.wearerNotes ?? [], to: path("markers.csv"))
        try writeAlerts(r.alerts, to: path("alerts.csv"))
        return fileNames.map(path)
    }

    /// STEP_MAX: a longer interval inside a bout is a pause, not a step.
    static let maxStepSeconds = GaitConfig().maxStepSeconds

    static func writeSteps(_ steps: [GaitStep], to path: String) throws {
        let w = try CSVTableWriter(path: path, columns: [
            .init("ic_seconds"), .init("side"), .init("bout", decimals: 0), .init("step_time_seconds"),
            .init("opposite_fc_seconds"), .init("initial_double_support_seconds"),
            .init("step_length_m", decimals: 3),
        ])
        for (i, s) in steps.enumerated() {
            w.add(s.t)
            w.add(s.side.rawValue)
            w.add(Double(s.bout))
            // a pause kept inside a Mobilise-D bout (≤ 3 s) is not a step
            let next = i + 1 < steps.count && steps[i + 1].bout == s.bout
                && steps[i + 1].t - s.t <= maxStepSeconds ? steps[i + 1] : nil
            addOptional(w, next.map { $0.t - s.t })
            addOptional(w, s.fc)
            addOptional(w, s.fc.map { $0 - s.t })
            addOptional(w, next?.stepLengthM)   // the step from this IC to the next (as step_time_seconds)
            try w.endRow()
        }
        try w.finish()
    }

    /// One stride's times from steps i (this foot's IC), i+1 (the other foot's IC) and i+2 (this foot's next IC).
    struct StrideTimes: Equatable {
        var strideSeconds: Double
        var stanceSeconds: Double?
        var swingSeconds: Double?
        var doubleSupportSeconds: Double?
        /// The stride's two steps (IC i → i+1 → i+2), metres; only with the leg length.
        var strideLengthM: Double?

        init?(_ steps: [GaitStep], at i: Int) {
            guard i + 2 < steps.count else { return nil }
            let a = steps[i], b = steps[i + 1], c = steps[i + 2]
            guard a.bout == b.bout, b.bout == c.bout, a.side == c.side, a.side != b.side || a.side == .unknown,
                  b.t - a.t <= ReportCSV.maxStepSeconds, c.t - b.t <= ReportCSV.maxStepSeconds else {
                return nil
            }
            if let l1 = b.stepLengthM, let l2 = c.stepLengthM { strideLengthM = l1 + l2 }
            strideSeconds = c.t - a.t
            // This foot leaves the ground at the FC that follows the other foot's IC.
            stanceSeconds = b.fc.map { $0 - a.t }
            swingSeconds = b.fc.map { c.t - $0 }
            if let fa = a.fc, let fb = b.fc { doubleSupportSeconds = (fa - a.t) + (fb - b.t) }
        }
    }

    static func writeStrides(_ steps: [GaitStep], tilts: [StrideTilt], to path: String) throws {
        let w = try CSVTableWriter(path: path, columns: [
            .init("side"), .init("ic_seconds"), .init("next_ic_seconds"), .init("bout", decimals: 0),
            .init("stride_time_seconds"), .init("stance_seconds"), .init("swing_seconds"), .init("stance_percent", decimals: 1),
            .init("double_support_seconds"), .init("single_support_seconds"),
            .init("tilt_mean_deg", decimals: 2), .init("tilt_range_deg", decimals: 2),
            .init("obliquity_range_deg", decimals: 2), .init("rotation_range_deg", decimals: 2),
            .init("stride_length_m", decimals: 3), .init("speed_m_per_s", decimals: 3),
        ])
        var tiltIndex = 0
        let sortedTilts = tilts.sorted { $0.icSeconds < $1.icSeconds }
        for i in steps.indices {
            guard let times = StrideTimes(steps, at: i) else { continue }
            let a = steps[i]
            w.add(a.side.rawValue)
            w.add(a.t)
            w.add(steps[i + 2].t)
            w.add(Double(a.bout))
            w.add(times.strideSeconds)
            addOptional(w, times.stanceSeconds)
            addOptional(w, times.swingSeconds)
            addOptional(w, times.stanceSeconds.map { 100 * $0 / times.strideSeconds })
            addOptional(w, times.doubleSupportSeconds)
            addOptional(w, times.stanceSeconds.flatMap { st in times.doubleSupportSeconds.map { st - $0 } })
            // The stride's tilt, matched by its IC time (tilts and steps come from the same contacts).
            while tiltIndex < sortedTilts.count, sortedTilts[tiltIndex].icSeconds < a.t - 0.001 { tiltIndex += 1 }
            let tilt = tiltIndex < sortedTilts.count && abs(sortedTilts[tiltIndex].icSeconds - a.t) <= 0.001
                ? sortedTilts[tiltIndex] : nil
            addOptional(w, tilt?.meanDeg)
            addOptional(w, tilt?.romDeg)
            addOptional(w, tilt?.obliquityRomDeg)
            addOptional(w, tilt?.rotationRomDeg)
            addOptional(w, times.strideLengthM)
            addOptional(w, times.strideLengthM.map { $0 / times.strideSeconds })
            try w.endRow()
        }
        try w.finish()
    }

    static func writePops(_ pops: [PopEvent], to path: String) throws {
        let w = try CSVTableWriter(path: path, columns: [
            .init("t_seconds", decimals: 4), .init("kind"), .init("confidence", decimals: 2),
            .init("duration_seconds", decimals: 4), .init("level_dbfs", decimals: 1), .init("snr_db", decimals: 1),
            .init("stance_leg"), .init("cycle_percent", decimals: 1), .init("left_cycle_percent", decimals: 1),
            .init("phase"), .init("left_leg"),
        ])
        for p in pops.sorted(by: { $0.tSeconds < $1.tSeconds }) {
            w.add(p.tSeconds)
            w.add(p.kind.rawValue)
            w.add(p.confidence)
            w.add(p.durationSeconds)
            w.add(p.levelDbfs)
            w.add(p.snrDb)
            addOptional(w, p.phase?.stanceLeg?.rawValue)
            addOptional(w, p.phase?.cyclePercent)
            addOptional(w, p.phase?.leftCyclePercent ?? p.phase?.cyclePercent)
            addOptional(w, p.phase?.phase.rawValue)
            addOptional(w, p.phase?.leftLeg.rawValue)
            try w.endRow()
        }
        try w.finish()
    }

    /// Device markers (button, pain button) and the wearer's host marks (pain key, typed notes), in time order.
    static func writeMarkers(_ markers: [MarkerEvent], notes: [WalkReport.WearerNote], to path: String) throws {
        let w = try CSVTableWriter(path: path, columns: [
            .init("t_seconds"), .init("source"), .init("kind"), .init("marker_id", decimals: 0), .init("text"),
        ])
        var rows: [(Double, [CSVTableWriter.Cell])] = markers.map {
            ($0.tSeconds, [.number($0.tSeconds), .text("device"), .text($0.kind.map { "\($0)" } ?? "other"),
                           .number(Double($0.markerID)), .empty])
        }
        rows += notes.map { ($0.tSeconds, [.number($0.tSeconds), .text("host"), .text($0.kind), .empty,
                                           $0.text.map { .text($0) } ?? .empty]) }
        for (_, cells) in rows.sorted(by: { $0.0 < $1.0 }) { try w.writeRow(cells) }
        try w.finish()
    }

    static func writeAlerts(_ alerts: [WalkAlert], to path: String) throws {
        let w = try CSVTableWriter(path: path, columns: [
            .init("t_seconds"), .init("rule"), .init("severity"), .init("message"), .init("evidence_seconds"),
        ])
        for a in alerts.sorted(by: { $0.t < $1.t }) {
            w.add(a.t)
            w.add(a.rule.rawValue)
            w.add(a.severity.rawValue)
            w.add(a.message)
            w.add(a.evidence.map { String(format: "%.3f", $0) }.joined(separator: ";"))
            try w.endRow()
        }
        try w.finish()
    }

    private static func addOptional(_ w: CSVTableWriter, _ v: Double?) {
        if let v, v.isFinite { w.add(v) } else { w.addEmpty() }
    }

    private static func addOptional(_ w: CSVTableWriter, _ v: String?) {
        if let v { w.add(v) } else { w.addEmpty() }
    }
}
