import Foundation

/// Trends across walks: a text table for the terminal and a self-contained HTML page with inline SVG charts.
public enum HistoryRender {
    static func f(_ v: Double?, _ fmt: String) -> String { v.map { String(format: fmt, $0) } ?? "—" }

    /// Every string that came from a recording or a flag (start time, file name) goes through this before it
    /// enters the page: a header field such as `<script>…` must show as text, never run.
    static func esc(_ s: String) -> String {
        var o = ""
        o.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&#39;"
            default: o.append(c)
            }
        }
        return o
    }

    public static func table(_ walks: [HistoryStore.Walk]) -> String {
        guard !walks.isEmpty else { return "no walks in the history yet: run `gaitpop report` on a recording" }
        var rows = [["started (UTC)", "min", "steps", "cadence", "tilt °", "cav/100", "snap/100", "grind/100", "pain", "recording"]]
        for w in walks {
            rows.append([String(w.startedUtc.prefix(16)), String(format: "%.1f", w.durationSeconds / 60), "\(w.steps)",
                         f(w.cadence, "%.0f"), f(w.tiltMeanDeg, "%+.1f"), f(w.per100(w.popsCavitation), "%.1f"),
                         f(w.per100(w.popsSnap), "%.1f"), f(w.per100(w.popsGrind), "%.1f"), "\(w.painMarkers)",
                         (w.recording as NSString).lastPathComponent])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { r in zip(r, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ") }
            .joined(separator: "\n")
    }

    public static func html(_ walks: [HistoryStore.Walk]) -> String {
        func chart(_ title: String, _ series: [(String, String, [Double?])], unit: String) -> String {
            let W = 860.0, H = 220.0
            let values = series.flatMap { $0.2.compactMap { $0 } }
            guard !values.isEmpty, walks.count > 0 else { return "<h2>\(title)</h2><p>No data.</p>" }
            let lo = min(0, values.min()!), hi = max(values.max()! * 1.1, lo + 1)
            func x(_ i: Int) -> Double { 50 + (W - 70) * (walks.count == 1 ? 0.5 : Double(i) / Double(walks.count - 1)) }
            func y(_ v: Double) -> Double { 15 + (H - 45) * (hi - v) / (hi - lo) }
            var s = "<h2>\(title)</h2><svg viewBox=\"0 0 \(Int(W)) \(Int(H))\" role=\"img\" aria-label=\"\(title)\">"
            for k in 0...4 {
                let v = lo + (hi - lo) * Double(k) / 4
                s += String(format: "<line x1=\"50\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e7eb\"/><text x=\"44\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.1f</text>", W - 20, y(v), y(v), y(v) + 4, v)
            }
            for (name, colour, vals) in series {
                let pts = vals.enumerated().compactMap { i, v in v.map { String(format: "%.1f,%.1f", x(i), y($0)) } }
                s += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(pts.joined(separator: " "))\"><title>\(name)</title></polyline>"
                for (i, v) in vals.enumerated() { if let v { s += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\"/>", x(i), y(v), colour) } }
            }
            for (i, w) in walks.enumerated() where walks.count <= 12 || i % max(1, walks.count / 12) == 0 {
                s += String(format: "<text x=\"%.1f\" y=\"%.0f\" font-size=\"10\" text-anchor=\"middle\">%@</text>", x(i), H - 8, esc(String(w.startedUtc.prefix(10))))
            }
            s += "</svg><p>" + series.map { "<span style=\"color:\($0.1)\">■</span> \($0.0) (\(unit))" }.joined(separator: " &nbsp; ") + "</p>"
            return s
        }
        var h = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>gaitpop history</title>
        <style>body{font-family:system-ui,sans-serif;max-width:940px;margin:2em auto;padding:0 1em;color:#1f2937}
        svg{max-width:100%;height:auto} table{border-collapse:collapse} td,th{padding:.3em .6em;border-bottom:1px solid #e5e7eb}</style>
        </head><body><h1>Walk history</h1><p>\(walks.count) walk\(walks.count == 1 ? "" : "s"). gaitpop informs; it does not diagnose.</p>
        """
        h += chart("Pops per 100 steps", [("cavitation", "#2563eb", walks.map { $0.per100($0.popsCavitation) }),
                                          ("snap", "#ea580c", walks.map { $0.per100($0.popsSnap) }),
                                          ("grind", "#9333ea", walks.map { $0.per100($0.popsGrind) })], unit: "per 100 steps")
        h += chart("Pelvic tilt while walking", [("mean tilt", "#1d4ed8", walks.map(\.tiltMeanDeg))], unit: "° from neutral, + anterior")
        h += chart("Cadence", [("cadence", "#059669", walks.map(\.cadence))], unit: "steps/min")
        h += "<h2>Walks</h2><pre>" + esc(table(walks)) + "</pre></body></html>\n"
        return h
    }
}
