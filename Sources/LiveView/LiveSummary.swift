import Analysis
import Foundation
import SensorDevice

/// The lines printed when a live session or replay stops (q, Ctrl-C, --duration): how long, what was seen, what
/// was kept — as `record` does, so nobody has to open the report to know the session was saved.
public enum LiveSummary {
    public static func lines(status: AnalysisStatus, link: LinkStats?, alerts: Int, painMarks: Int, notes: Int,
                             recording: String?) -> [String] {
        var s: [String] = []
        let pops = status.popsByKind.values.reduce(0, +)
        let kinds = status.popsByKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        s.append(String(format: "stopped at %.1f s: %d steps%@, %d pop%@%@, %d alert%@, %d pain mark%@, %d note%@",
                        status.tSeconds, status.steps,
                        status.cadenceStepsPerMin.map { String(format: " (last cadence %.0f steps/min)", $0) } ?? "",
                        pops, pops == 1 ? "" : "s", kinds.isEmpty ? "" : " (\(kinds))",
                        alerts, alerts == 1 ? "" : "s", painMarks, painMarks == 1 ? "" : "s", notes,
                        notes == 1 ? "" : "s"))
        if let l = link {
            s.append(String(format: "link: %d frames, %d CRC errors, %d frames lost, %d samples dropped, %d reconnects",
                            l.decoder.frames, l.decoder.crcErrors, l.decoder.lostFrames, l.droppedSamples,
                            l.reconnects))
        }
        if let r = recording {
            s.append("recording: \((r as NSString).lastPathComponent) (gaitpop report / replay / inspect it)")
        }
        return s
    }
}
