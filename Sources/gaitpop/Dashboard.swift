import Analysis
import Foundation
import Gait
import PopEvents
import SensorDevice

/// The live dashboard's state and its drawing: elapsed time, link health, steps and cadence, pelvic tilt against
/// neutral with a bar, pops by kind with the last one's phase, and alerts highlighted.
final class Dashboard {
    var title = "gaitpop live"
    var link = LinkStats()
    var status = AnalysisStatus()
    var recentAlerts: [(t: Double, text: String, severity: String)] = []
    var lastPop: PopEvent?
    var lastEvents: [String] = []
    var notePrompt: String?
    var footer = "p: pain now   n: add a note   q: stop (recording is finalised)"

    func note(_ line: String) {
        lastEvents.append(line)
        if lastEvents.count > 6 { lastEvents.removeFirst() }
    }

    func tiltBar(_ deg: Double?) -> String {
        guard let d = deg else { return "   (waiting for walking)" }
        // −15° … +15°, centre = neutral.
        let width = 31, mid = 15
        let pos = max(0, min(width - 1, mid + Int((d).rounded())))
        var bar = Array(repeating: "·", count: width)
        bar[mid] = "|"
        bar[pos] = "█"
        let colour = d > 10 ? "\u{1B}[31m" : (d > 5 ? "\u{1B}[33m" : "\u{1B}[32m")
        return String(format: "%+5.1f° ", d) + "posterior " + colour + bar.joined() + "\u{1B}[0m anterior"
    }

    func lines() -> [String] {
        var s: [String] = []
        s.append("\u{1B}[1m\(title)\u{1B}[0m")
        let conn = link.connected ? "\u{1B}[32mconnected\u{1B}[0m" : "\u{1B}[33mreconnecting…\u{1B}[0m"
        s.append(String(format: "elapsed %6.1f s   link %@  %@  %.1f kB/s  %.0f frames/s", max(link.elapsedSeconds, status.tSeconds),
                        conn, link.link, link.bytesPerSecond / 1000, link.framesPerSecond))
        s.append("        crc errors \(link.decoder.crcErrors)  lost frames \(link.decoder.lostFrames)  dropped samples "
                 + "\(link.droppedSamples)  reconnects \(link.reconnects)")
        s.append("")
        s.append("steps   \(status.steps)   cadence " + (status.cadenceStepsPerMin.map { String(format: "%.0f steps/min", $0) } ?? "—")
                 + (status.walking ? "   walking" : "   not walking"))
        s.append("tilt    " + tiltBar(status.tiltDeg))
        let pops = status.popsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  ")
        s.append("pops    " + (pops.isEmpty ? "none yet" : pops))
        if let p = lastPop {
            s.append(String(format: "        last: %@ at %.1f s, %@", p.kind.rawValue, p.tSeconds,
                            p.phase.map { String(format: "%.0f %% of stride (%@)", $0.cyclePercent,
                                                 $0.phase.replacingOccurrences(of: "_", with: " ")) } ?? "no gait phase"))
        }
        s.append("")
        if recentAlerts.isEmpty {
            s.append("alerts  none")
        } else {
            for a in recentAlerts.suffix(4) {
                let c = a.severity == "alert" ? "\u{1B}[1;31m" : "\u{1B}[1;33m"
                s.append(String(format: "%@ALERT %6.1f s  %@\u{1B}[0m", c, a.t, a.text))
            }
        }
        s.append("")
        for e in lastEvents { s.append("  " + e) }
        s.append("")
        if let n = notePrompt { s.append("note: \(n)_   (Enter saves, Esc cancels)") } else { s.append(footer) }
        s.append("gaitpop informs; it does not diagnose.")
        return s
    }
}
