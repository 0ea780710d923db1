import Foundation
import Gait

/// The pelvis over the gait cycle in the HTML report: tilt, obliquity and rotation against 0–100 % of the stride,
/// left (red, solid, round markers) and right (green, dashed, square markers) overlaid, each with a ±1 SD band, so
/// the sides stay apart without colour too.
extension ReportHTML {
    /// Typical peak-to-peak ranges in healthy adult walking, drawn as a grey band of that height centred on the mean
    /// of both sides: tilt ≈ 4°, obliquity ≈ 8°, rotation ≈ 10° (Perry & Burnfield, Gait Analysis: Normal and
    /// Pathological Function, 2nd ed., 2010, ch. 8 "Pelvis and trunk"). Only the range is published there, not a
    /// curve band, so only the range is drawn.
    static let typicalPelvisRangeDeg: [(name: String, rangeDeg: Double)] = [("tilt", 4), ("obliquity", 8), ("rotation", 10)]

    static func pelvisCycleSection(_ r: WalkReport) -> String {
        guard let c = r.pelvisCycle else {
            return "<h2>Pelvis over the gait cycle</h2><p class=\"muted\">Not available: needs a gyroscope and complete "
                + "strides.</p>"
        }
        var h = "<h2>Pelvis over the gait cycle</h2><p class=\"muted\">Each stride from a contact to the next contact of "
            + "the same foot, as 0–100 %; line = mean, band = ±1 SD across strides. Tilt: + anterior; obliquity: + right "
            + "crest up; rotation: + turning left. Grey: typical range in healthy walking (Perry &amp; Burnfield 2010).</p>"
        for (i, name) in ["tilt", "obliquity", "rotation"].enumerated() {
            h += cyclePanel(name: name, left: c.left.map { curve($0, i) }, right: c.right.map { curve($0, i) },
                            typical: typicalPelvisRangeDeg[i].rangeDeg)
        }
        h += "<p class=\"legend muted\"><span><span class=\"dot\" style=\"background:#dc2626\"></span>left ● solid"
            + " (\(c.left?.strides ?? 0) strides)</span><span><span class=\"dot\" style=\"background:#16a34a;border-radius:0\">"
            + "</span>right ■ dashed (\(c.right?.strides ?? 0) strides)</span></p>"
        return h
    }

    private static func curve(_ s: PelvisCycle.SideCycle, _ i: Int) -> PelvisCycle.Curve {
        [s.tilt, s.obliquity, s.rotation][i]
    }

    private static func cyclePanel(name: String, left: PelvisCycle.Curve?, right: PelvisCycle.Curve?,
                                   typical: Double) -> String {
        let W = 300.0, H = 200.0
        let all = [left, right].compactMap { $0 }
        let centre = all.map { $0.meanDeg.reduce(0, +) / Double($0.meanDeg.count) }.reduce(0, +) / Double(max(all.count, 1))
        var lo = centre - typical / 2, hi = centre + typical / 2
        for c in all {
            for (m, sd) in zip(c.meanDeg, c.sdDeg) { lo = min(lo, m - sd); hi = max(hi, m + sd) }
        }
        let pad = max(0.5, (hi - lo) * 0.08)
        lo -= pad; hi += pad
        func x(_ p: Int) -> Double { 40 + (W - 50) * Double(p) / 100 }
        func y(_ v: Double) -> Double { 15 + (H - 45) * (hi - v) / (hi - lo) }
        var s = "<svg viewBox=\"0 0 \(Int(W)) \(Int(H))\" width=\"32%\" role=\"img\" aria-label=\"pelvic \(name) over the gait cycle\">"
        s += String(format: "<rect x=\"40\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e5e7eb\"/>",
                    y(centre + typical / 2), W - 50, y(centre - typical / 2) - y(centre + typical / 2))
        for (c, colour, dash, marker) in [(left, "#dc2626", "", "circle"), (right, "#16a34a", "6 4", "rect")] {
            guard let c = c else { continue }
            var band = "", line = ""
            for p in 0..<c.meanDeg.count { band += String(format: "%.1f,%.1f ", x(p), y(c.meanDeg[p] + c.sdDeg[p])) }
            for p in (0..<c.meanDeg.count).reversed() { band += String(format: "%.1f,%.1f ", x(p), y(c.meanDeg[p] - c.sdDeg[p])) }
            for p in 0..<c.meanDeg.count { line += String(format: "%.1f,%.1f ", x(p), y(c.meanDeg[p])) }
            s += "<polygon points=\"\(band)\" fill=\"\(colour)\" fill-opacity=\"0.15\"/>"
            s += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\""
                + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>"
            for p in stride(from: 0, through: 100, by: 25) {
                s += marker == "circle"
                    ? String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\"/>", x(p), y(c.meanDeg[p]), colour)
                    : String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\" fill=\"%@\"/>", x(p) - 3, y(c.meanDeg[p]) - 3, colour)
            }
        }
        s += String(format: "<text x=\"40\" y=\"11\" font-size=\"12\">%@ (°)</text>", name)
        s += String(format: "<text x=\"36\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%+.1f</text>", y(hi) + 4, hi)
        s += String(format: "<text x=\"36\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%+.1f</text>", y(lo), lo)
        for p in stride(from: 0, through: 100, by: 50) {
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"%@\">%d %%</text>", x(p), H - 12,
                        p == 100 ? "end" : "middle", p) // "100 %" ends at the edge instead of running past it
        }
        return s + "</svg>"
    }
}
