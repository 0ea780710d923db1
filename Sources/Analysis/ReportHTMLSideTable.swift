import Foundation
import Gait

/// The per-side table in the HTML report: left and right columns (step time, stance, swing, single and double
/// support) and the symmetry index of each, SI = 100 · (L − R) / (½ (L + R)) (Robinson et al. 1987; `SideTable`).
/// A symmetry index from too few strides is shown without judgement and says so (`MinimumStrides.symmetry`).
extension ReportHTML {
    static func sideTableSection(_ r: WalkReport) -> String {
        guard let t = r.sideTable else { return "" }
        let assessed = GaitAssessment.assess(r)
        func si(_ key: String, _ v: Double?) -> String {
            let few = assessed.first { $0.measure == key }?.tooFewText
            return n(v, "%+.1f %%") + (few.map { "<br><span class=\"few\">\(esc($0))</span>" } ?? "")
        }
        func row(_ name: String, _ l: Double?, _ r: Double?, _ fmt: String, _ siKey: String?, _ siValue: Double?) -> String {
            "<tr><td>\(name)</td><td>\(n(l, fmt))</td><td>\(n(r, fmt))</td><td>\(siKey.map { si($0, siValue) } ?? "")</td></tr>"
        }
        var h = "<h2>Left and right</h2><table id=\"side-table\"><tr><th>measure</th>"
            + "<th style=\"color:\(leftColour)\">● left</th><th style=\"color:\(rightColour)\">■ right</th>"
            + "<th>symmetry index (+ = left longer)</th></tr>"
        h += "<tr><td>steps counted</td><td>\(t.left.steps)</td><td>\(t.right.steps)</td><td></td></tr>"
        h += row("step time (s)", t.left.stepTimeSeconds, t.right.stepTimeSeconds, "%.3f", "step_time_symmetry_percent", t.stepTimeSymmetryPercent)
        h += row("stance (s)", t.left.stanceSeconds, t.right.stanceSeconds, "%.3f", "stance_symmetry_percent", t.stanceSymmetryPercent)
        h += row("swing (s)", t.left.swingSeconds, t.right.swingSeconds, "%.3f", "swing_symmetry_percent", t.swingSymmetryPercent)
        h += row("single support (s)", t.left.singleSupportSeconds, t.right.singleSupportSeconds, "%.3f",
                 "single_support_symmetry_percent", t.singleSupportSymmetryPercent)
        h += row("initial double support (s)", t.left.doubleSupportSeconds, t.right.doubleSupportSeconds, "%.3f", nil, nil)
        h += row("stance (% of stride)", t.left.stancePercent, t.right.stancePercent, "%.1f", nil, nil)
        h += row("swing (% of stride)", t.left.swingPercent, t.right.swingPercent, "%.1f", nil, nil)
        return h + "</table><p class=\"muted\">Symmetry index 0 = both sides alike. No published range for healthy adults "
            + "could be read, so none is flagged (docs/NORMATIVE-RANGES.md).</p>"
    }
}
