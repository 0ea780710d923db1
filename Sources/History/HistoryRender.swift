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
        var rows = [["started (UTC)", "subject", "min", "steps", "cadence", "tilt °", "cav/100", "snap/100", "grind/100", "pain", "recording"]]
        for w in walks {
            rows.append([String(w.startedUtc.prefix(16)), w.subject ?? "—", String(format: "%.1f", w.durationSeconds / 60), "\(w.steps)",
                         f(w.cadence, "%.0f"), f(w.tiltMeanDeg, "%+.1f"), f(w.per100(w.popsCavitation), "%.1f"),
                         f(w.per100(w.popsSnap), "%.1f"), f(w.per100(w.popsGrind), "%.1f"), "\(w.painMarkers)",
                         (w.recording as NSString).lastPathComponent])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { r in zip(r, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ") }
            .joined(separator: "\n")
    }

    /// The history page. `pageFolder` is where the page will be written: links to each walk's report are made
    /// relative to it, so a folder holding both can be moved or mailed as a whole (absolute `file://` links without).
    public static func html(_ walks: [HistoryStore.Walk], subject: String? = nil, pageFolder: String? = nil) -> String {
        // Each walk at its date: x is proportional to time, not to the walk's rank.
        let dates = walks.map { HistoryAxes.date($0.startedUtc) }
        let axis = HistoryAxes.timeAxis(dates.compactMap { $0 })
        let W = 860.0, H = 240.0, left = 56.0, right = 24.0
        func x(_ i: Int) -> Double { left + (W - left - right) * (dates[i].map(axis.fraction) ?? 0) }
        func chart(_ title: String, _ series: [(String, String, [Double?])], unit: String, includeZero: Bool,
                   minSpan: Double) -> String {
            let values = series.flatMap { $0.2.compactMap { $0 } }
            guard !values.isEmpty else { return "<h2>\(title)</h2><p>No data.</p>" }
            let v = HistoryAxes.valueAxis(values, includeZero: includeZero, minSpan: minSpan)
            func y(_ value: Double) -> Double { 14 + (H - 50) * (v.hi - value) / (v.hi - v.lo) }
            var s = "<h2>\(title)</h2><svg class=\"trend\" viewBox=\"0 0 \(Int(W)) \(Int(H))\" role=\"img\" aria-label=\"\(title)\">"
            for t in v.ticks {
                s += String(format: "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e7eb\"/>", left, W - right, y(t), y(t))
                s += String(format: "<text class=\"ytick\" x=\"%.0f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%@</text>", left - 6, y(t) + 4, v.label(t))
            }
            let base = y(v.lo)
            s += String(format: "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#9ca3af\"/>", left, W - right, base, base)
            for (date, label) in axis.ticks {
                let tx = left + (W - left - right) * axis.fraction(date)
                // Labels near an edge are anchored inwards so none is cut off.
                let anchor = tx < left + 40 ? "start" : (tx > W - right - 40 ? "end" : "middle")
                s += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#9ca3af\"/>", tx, tx, base, base + 5)
                s += String(format: "<text class=\"xtick\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%@\">%@</text>", tx, base + 18, anchor, esc(label))
            }
            for (name, colour, vals) in series {
                let pts = vals.indices.compactMap { i in vals[i].map { String(format: "%.1f,%.1f", x(i), y($0)) } }
                s += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(pts.joined(separator: " "))\"><title>\(name)</title></polyline>"
                for (i, value) in vals.enumerated() {
                    guard let value else { continue }
                    s += String(format: "<circle class=\"walk\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%@\"><title>%@ %@: %@</title></circle>",
                                x(i), y(value), colour, esc(String(walks[i].startedUtc.prefix(16)).replacingOccurrences(of: "T", with: " ")),
                                name, v.label(value))
                }
            }
            s += "</svg><p class=\"legend\">" + series.map { "<span style=\"color:\($0.1)\">■</span> \($0.0) (\(unit))" }.joined(separator: " &nbsp; ") + "</p>"
            return s
        }
        let who = subject.map { " — \(esc($0))" } ?? ""
        var h = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>gaitpop history\(who)</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font-family:system-ui,sans-serif;max-width:940px;margin:2em auto;padding:0 1em;color:#1f2937}
        svg{max-width:100%;height:auto} table{border-collapse:collapse;width:100%;font-size:.88em}
        td,th{padding:.3em .5em;border-bottom:1px solid #e5e7eb;text-align:left} th{background:#f3f4f6}
        td.n{text-align:right;font-variant-numeric:tabular-nums} td.d{white-space:nowrap} .legend{color:#4b5563}</style>
        </head><body><h1>Walk history\(who)</h1><p>\(walks.count) walk\(walks.count == 1 ? "" : "s"), each drawn at its date (UTC). gaitpop informs; it does not diagnose.</p>
        """
        h += chart("Pops per 100 steps", [("cavitation", "#2563eb", walks.map { $0.per100($0.popsCavitation) }),
                                          ("snap", "#ea580c", walks.map { $0.per100($0.popsSnap) }),
                                          ("grind", "#9333ea", walks.map { $0.per100($0.popsGrind) })],
                   unit: "per 100 steps", includeZero: true, minSpan: 5)
        h += chart("Pelvic tilt while walking", [("mean tilt", "#1d4ed8", walks.map(\.tiltMeanDeg))],
                   unit: "° from neutral, + anterior", includeZero: true, minSpan: 2)
        h += chart("Cadence", [("cadence", "#059669", walks.map(\.cadence))], unit: "steps/min", includeZero: false, minSpan: 10)
        h += "<h2>Walks</h2>" + tableHTML(walks, pageFolder: pageFolder) + "</body></html>\n"
        return h
    }

    /// The walks as an HTML table (it wraps and scrolls like any table, unlike preformatted text), each row linking
    /// to that walk's report file when one was written.
    static func tableHTML(_ walks: [HistoryStore.Walk], pageFolder: String?) -> String {
        guard !walks.isEmpty else { return "<p>No walks yet: run <code>gaitpop report</code> on a recording.</p>" }
        // In a scrolling box: on a narrow screen the table scrolls sideways instead of running off the page.
        var t = "<div style=\"overflow-x:auto\"><table id=\"walks\"><tr><th>started (UTC)</th><th>subject</th><th>min</th><th>steps</th>"
            + "<th>cadence</th><th>tilt °</th><th title=\"cavitation per 100 steps\">cav. /100</th><th>snap /100</th>"
            + "<th>grind /100</th><th>pain</th><th>recording</th><th>report</th></tr>"
        for w in walks {
            let report = w.reportFile.map { "<a href=\"\(esc(link(to: $0, from: pageFolder)))\">\(esc(($0 as NSString).lastPathComponent))</a>" } ?? "—"
            t += "<tr><td class=\"d\">\(esc(String(w.startedUtc.prefix(16)).replacingOccurrences(of: "T", with: " ")))</td><td>\(esc(w.subject ?? "—"))</td>"
                + "<td class=\"n\">\(String(format: "%.1f", w.durationSeconds / 60))</td><td class=\"n\">\(w.steps)</td>"
                + "<td class=\"n\">\(f(w.cadence, "%.0f"))</td><td class=\"n\">\(f(w.tiltMeanDeg, "%+.1f"))</td>"
                + "<td class=\"n\">\(f(w.per100(w.popsCavitation), "%.1f"))</td><td class=\"n\">\(f(w.per100(w.popsSnap), "%.1f"))</td>"
                + "<td class=\"n\">\(f(w.per100(w.popsGrind), "%.1f"))</td><td class=\"n\">\(w.painMarkers)</td>"
                + "<td>\(esc((w.recording as NSString).lastPathComponent))</td><td>\(report)</td></tr>"
        }
        return t + "</table></div>"
    }

    /// A link to `file` from a page in `folder`: relative when the folder is known, else an absolute file URL.
    static func link(to file: String, from folder: String?) -> String {
        let target = URL(fileURLWithPath: file).standardizedFileURL
        guard let folder else { return target.absoluteString }
        let base = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL.pathComponents
        let parts = target.pathComponents
        var common = 0
        while common < min(base.count, parts.count - 1) && base[common] == parts[common] { common += 1 }
        let rel = Array(repeating: "..", count: base.count - common) + parts[common...]
        return rel.map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? $0 }.joined(separator: "/")
    }
}
