import Foundation
import Gait

/// The numbers behind the patient's text, for a physiotherapist or researcher: every gait measure with its
/// assessment, and the circular statistics of each pop kind (mean phase, resultant length R, Rayleigh test). The
/// patient's sections say the same in plain words (`ReportWording`); nothing here is needed to read them.
extension ReportHTML {
    static func researcherSection(_ r: WalkReport) -> String {
        var h = "<details id=\"for-researchers\"><summary><h2 style=\"display:inline\">For researchers</h2></summary>"
            + "<p class=\"muted\">The statistics behind the text above. Definitions: docs/GAIT.md, docs/POPS.md; ranges and "
            + "minimum strides: docs/NORMATIVE-RANGES.md; every field: docs/REPORT-FORMAT.md.</p>"
        let assessed = GaitAssessment.assess(r)
        if !assessed.isEmpty {
            h += "<h3>Gait measures</h3><table><tr><th>measure (JSON key)</th><th>value</th><th>assessment</th>"
                + "<th>typical range</th><th>strides / minimum</th></tr>"
            for a in assessed {
                let range = a.typicalLower.map { lo in String(format: "%.4g–%.4g", lo, a.typicalUpper ?? lo) + (a.source.map { " (\(esc($0)))" } ?? "") } ?? "—"
                let strides = a.strides.map { "\($0) / \(a.minimumStrides ?? 0)" } ?? "—"
                h += "<tr><td><code>\(esc(a.measure))</code></td><td>\(n(a.value, "%.4g"))</td><td>\(a.assessment.rawValue)</td>"
                    + "<td>\(range)</td><td>\(strides)</td></tr>"
            }
            h += "</table>"
        }
        let withPhase = r.patterns.kinds.filter { $0.phase != nil }
        if !withPhase.isEmpty {
            h += "<h3>Pop phase statistics</h3><table><tr><th>kind</th><th>n</th><th>per 100 steps</th><th>mean cycle %</th>"
                + "<th>R</th><th>circular SD %</th><th>Rayleigh z</th><th>Rayleigh p</th><th>cluster strides</th></tr>"
            for k in withPhase {
                let p = k.phase!
                h += "<tr><td>\(esc(k.kind))</td><td>\(p.count)</td><td>\(n(k.per100Steps, "%.1f"))</td>"
                    + String(format: "<td>%.1f</td><td>%.2f</td><td>%.1f</td><td>%.2f</td><td>%.2g</td>", p.meanCyclePercent,
                             p.resultantLength, p.circularSdPercent, p.rayleighZ, p.rayleighP)
                    + "<td>\(k.clusterStrides.map { "\($0) of \(k.totalStrides ?? 0)" } ?? "—")</td></tr>"
            }
            h += "</table>"
        }
        if !r.alerts.isEmpty {
            h += "<h3>Alert rules that fired</h3><ul>" + r.alerts.map {
                "<li><code>\($0.rule.rawValue)</code> (\($0.severity.rawValue)) at " + String(format: "%.2f s", $0.t)
                    + "; evidence " + $0.evidence.map { String(format: "%.2f", $0) }.joined(separator: ", ") + " s</li>"
            }.joined() + "</ul>"
        }
        h += "<p class=\"muted\">Recording: \(esc(r.session.startedUtc)) (UTC), \(esc(r.session.source)); IMU "
            + "\(n(r.session.imuRateHz, "%.0f")) Hz, microphone \(n(r.session.audioRateHz, "%.0f")) Hz, gyroscope "
            + "\(r.session.hasGyroscope ? "yes" : "no").</p>"
        return h + "</details>"
    }
}
