import Foundation
import Gait
import PopEvents
import GaitVocabulary

/// The terminal summary of a report (`gaitpop report --md`): what a person reads first.
public enum ReportMarkdown {
    static func f(_ v: Double?, _ fmt: String, _ unit: String = "") -> String {
        guard let v else { return "—" }
        return String(format: fmt, v) + unit
    }

    public static func render(_ r: WalkReport) -> String {
        (header(r) + gaitSection(r) + tiltSection(r) + popsSection(r) + closing(r) + researchers(r)).joined(separator: "\n")
    }

    /// Title, when and where from, then any damage: a reader must not take numbers from a damaged or interrupted
    /// recording at face value.
    static func header(_ r: WalkReport) -> [String] {
        var s: [String] = []
        s.append("# Walk report: \(ReportWording.fileName(r))")
        s.append("")
        s.append(String(format: "Recorded %@, %.0f s, from %@.", ReportWording.localTime(r.session.startedUtc), r.session.durationSeconds,
                        r.session.source))
        s.append("")
        if !r.session.warnings.isEmpty {
            s.append("## Warnings about this recording")
            for w in r.session.warnings { s.append("- \(w)") }
            s.append("")
        }
        return s
    }

    /// The gait table, its typical column from the sourced ranges (docs/NORMATIVE-RANGES.md).
    static func gaitSection(_ r: WalkReport) -> [String] {
        var s: [String] = []
        let g = r.gait
        s.append("## Gait")
        if let g, g.stepCount > 0 {
            s.append("| measure | value | typical adult |")
            s.append("|---|---|---|")
            s.append("| steps | \(g.stepCount) in \(g.boutCount) walking bout\(g.boutCount == 1 ? "" : "s") | |")
            // The typical column comes from the same sourced table as the HTML report (docs/NORMATIVE-RANGES.md).
            func typical(_ q: GaitQuantity) -> String {
                r.normativeRange(for: q).map { "\($0.text) (\($0.bandAndSource))" } ?? "no sourced range"
            }
            s.append("| cadence | \(f(g.cadenceStepsPerMin, "%.0f", " steps/min")) | \(typical(.cadenceStepsPerMin)) |")
            s.append("| step time | \(f(g.stepTimeSeconds, "%.2f", " s")) | \(typical(.stepTimeSeconds)) s |")
            s.append("| stance / swing | \(f(g.stancePercent, "%.0f", " %")) / \(f(g.swingPercent, "%.0f", " %")) | "
                     + "\(typical(.stancePercent)) / \(typical(.swingPercent)) % |")
            s.append("| double support | \(f(g.doubleSupportPercent, "%.0f", " %")) | \(typical(.doubleSupportPercent)) % |")
            // Variability and symmetry: flagged (**bold**) only from enough strides, else "too few strides".
            let assessed = GaitAssessment.assess(r)
            func judged(_ key: String, _ v: Double?, _ fmt: String, _ q: GaitQuantity) -> String {
                let a = assessed.first { $0.measure == key }
                let shown = f(v, fmt, " %")
                return (a?.isFlagged == true ? "**\(shown)** (outside)" : shown) + " | " + typical(q)
                    + (a?.tooFewText.map { "; " + $0 } ?? "")
            }
            s.append("| step-time variability (CV) | " + judged("step_time_cv_percent", g.stepTimeCVPercent, "%.1f", .stepTimeCVPercent) + " |")
            s.append("| stride-time variability (CV) | " + judged("stride_time_cv_percent", g.strideTimeCVPercent, "%.1f", .strideTimeCVPercent) + " |")
            s.append("| left/right step asymmetry | " + judged("step_time_asymmetry_percent", g.stepTimeAsymmetryPercent, "%+.1f", .stepTimeAsymmetryPercent) + " |")
            s.append("| step regularity | \(f(g.stepRegularity, "%.2f")) | no sourced range |")
        } else {
            s.append("No walking found. " + r.notes.joined(separator: " "))
        }
        s.append("")
        return s
    }

    /// Pelvic tilt against the neutral, the wearer's own range, sustained anterior tilt.
    static func tiltSection(_ r: WalkReport) -> [String] {
        var s: [String] = []
        s.append("## Pelvic tilt (+ = anterior, relative to your neutral standing)")
        s.append("- while walking: \(f(r.tilt.meanDeg, "%+.1f", "°")) on average"
                 + (r.tilt.strideMeanMinDeg.map { String(format: " (strides from %+.1f° to %+.1f°)", $0, r.tilt.strideMeanMaxDeg ?? $0) } ?? ""))
        if let rom = r.tilt.romDeg {
            s.append(String(format: "- tilt range within a stride: %.1f°", rom)
                     + (r.normativeRange(for: .tiltRomDeg).map { " (typical \($0.text)°, \($0.bandAndSource))" } ?? ""))
        }
        let shares = r.strides.compactMap(\.meanPercentOfRange)
        if !shares.isEmpty, let c = r.tilt.calibration, let a = c.anteriorLimitDeg {
            s.append(String(format: "- that is %.0f %% of your own forward range (%+.1f°, from calibration)",
                            shares.reduce(0, +) / Double(shares.count), a))
        }
        s.append("- neutral from: \(r.tilt.neutralFrom)")
        for p in r.postureEvents {
            s.append(String(format: "- sustained anterior tilt from %.0f s to %.0f s (mean %+.1f°)", p.startSeconds,
                            p.endSeconds, p.meanTiltDeg))
        }
        s.append("")
        return s
    }

    /// Pops by kind (per 100 steps), the first dozen with their phase, and their patterns.
    static func popsSection(_ r: WalkReport) -> [String] {
        var s: [String] = []
        s.append("## Pops")
        if r.session.audioRateHz == nil {
            s.append("No microphone in this recording: pops could not be listened for.")
        } else if r.pops.isEmpty {
            s.append("No pops detected.")
        } else {
            var byKind: [String: Int] = [:]
            for p in r.pops { byKind[p.kind.rawValue, default: 0] += 1 }
            let per100 = (r.gait?.stepCount ?? 0) > 0 ? 100 / Double(r.gait!.stepCount) : 0
            for (k, n) in byKind.sorted(by: { $0.key < $1.key }) {
                s.append("- \(k): \(n)" + (per100 > 0 ? String(format: " (%.1f per 100 steps)", Double(n) * per100) : ""))
            }
            for p in r.pops.prefix(12) {
                s.append(String(format: "  - %.2f s %@ %@, %.0f dB above the noise floor", p.tSeconds, p.kind.rawValue,
                                p.phase.map { String(format: "at %.0f %% of stride (%@)", $0.cyclePercent, $0.phase.humanName) } ?? "(no gait phase)",
                                p.snrDb))
            }
            if r.pops.count > 12 { s.append("  - … \(r.pops.count - 12) more in the JSON report") }
        }
        for k in r.patterns.kinds where k.clusterStrides != nil { s.append("- pattern: " + ReportWording.plainPattern(k)) }
        return s
    }

    /// Alerts, wearer markers, notes and the disclaimer.
    static func closing(_ r: WalkReport) -> [String] {
        var s: [String] = []
        if !r.alerts.isEmpty {
            s.append("")
            s.append("## Alerts")
            for a in r.alerts { s.append(String(format: "- **%@** (%@, %.1f s): %@", ReportWording.title(a.rule), a.severity.rawValue, a.t, a.message)) }
        }
        if !r.markers.isEmpty {
            s.append("")
            s.append("Wearer markers: " + r.markers.map { String(format: "%.1f s (%@)", $0.tSeconds, $0.kind.map { "\($0)" } ?? "button") }
                .joined(separator: ", "))
        }
        if let wn = r.wearerNotes, !wn.isEmpty {
            s.append("")
            s.append("Your marks during the walk: " + wn.map { n in
                String(format: "%.1f s %@", n.tSeconds, n.kind) + (n.text.map { " \"\($0)\"" } ?? "")
            }.joined(separator: ", "))
        }
        if !r.notes.isEmpty {
            s.append("")
            s.append("Notes: " + r.notes.joined(separator: " "))
        }
        s.append("")
        let signs = ReportWording.warningSigns(r)
        if signs.isEmpty {
            s.append("## What you can do")
            s.append("- Core stability: planks and bird-dogs, a few minutes a day.")
            s.append("- Walking posture: keep the pelvis from tipping forward; engage the abdominal muscles slightly.")
            s.append("- Gentle mobility: cat-cow stretches and pelvic tilts.")
            s.append("- Stop any exercise that hurts, and see a professional if pain comes with the noises.")
        } else {
            s.append("## What to do now")
            s.append("**Stop the exercises and see a professional** (a physiotherapist or your doctor) before you go on: "
                     + signs.joined(separator: "; ") + ". Take this report with you.")
        }
        s.append("")
        s.append("> " + r.disclaimer)
        return s
    }

    /// The statistics behind the text, apart from it: the patient's sections above never need them.
    static func researchers(_ r: WalkReport) -> [String] {
        var s = ["", "## For researchers"]
        for a in GaitAssessment.assess(r) where a.value != nil {
            s.append("- `\(a.measure)` = \(String(format: "%.4g", a.value!)): \(a.assessment.rawValue)"
                     + (a.strides.map { " (\($0) strides, minimum \(a.minimumStrides ?? 0))" } ?? ""))
        }
        for k in r.patterns.kinds {
            guard let p = k.phase else { continue }
            s.append(String(format: "- %@ phase: n = %d, mean %.1f %% of stride, R = %.2f, circular SD %.1f %%, Rayleigh z = %.1f, p = %.2g",
                            k.kind, p.count, p.meanCyclePercent, p.resultantLength, p.circularSdPercent, p.rayleighZ, p.rayleighP))
        }
        s.append("- started \(r.session.startedUtc) (UTC)")
        return s
    }
}
