import Foundation
import Gait
import PopEvents
import GaitVocabulary

/// The per-walk report as one self-contained HTML file: inline SVG charts, inline CSS, no script, no network —
/// it opens anywhere and can be mailed to a physiotherapist as is.
public enum ReportHTML {
    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func n(_ v: Double?, _ fmt: String) -> String { v.map { String(format: fmt, $0) } ?? "—" }

    static let kindColour = ["cavitation": "#2563eb", "snap": "#ea580c", "grind": "#9333ea", "unknown": "#6b7280"]

    public static func render(_ r: WalkReport) -> String {
        var h = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>gaitpop walk report — \(esc((r.session.path as NSString).lastPathComponent))</title>
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1f2937;line-height:1.45}
        h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #e5e7eb;padding-bottom:.2em}
        .muted{color:#6b7280} .box{background:#f9fafb;border:1px solid #e5e7eb;border-radius:8px;padding:.8em 1em;margin:1em 0}
        .warn{background:#fff7ed;border-color:#fdba74} .alert{background:#fef2f2;border-color:#fca5a5}
        table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #e5e7eb;padding:.35em .5em;text-align:left}
        th{background:#f3f4f6} .out{color:#b45309;font-weight:600} .few{color:#374151;font-style:italic} svg{max-width:100%;height:auto;background:#fff}
        .legend span{display:inline-block;margin-right:1.2em} .dot{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.3em;vertical-align:middle}
        </style></head><body>
        <h1>Walk report</h1>
        <p class="muted">\(esc(ReportWording.fileName(r))) · recorded \(esc(ReportWording.localTime(r.session.startedUtc))) · \(String(format: "%.0f", r.session.durationSeconds)) s · \(esc(r.session.device?.model ?? r.session.source)) · \(esc(r.generatedBy))</p>
        <div class="box warn">\(esc(r.disclaimer).replacingOccurrences(of: "gaitpop informs; it does not diagnose.", with: "<strong>gaitpop informs; it does not diagnose.</strong>"))</div>
        """
        if !r.session.warnings.isEmpty {
            h += "<h2>Warnings about this recording</h2><div class=\"box warn\"><ul>"
                + r.session.warnings.map { "<li>\(esc($0))</li>" }.joined() + "</ul></div>"
        }
        h += "<h2>Summary</h2><div class=\"box\">" + summary(r).map { "<p>\(esc($0))</p>" }.joined() + "</div>"
        h += alertsSection(r)
        h += gaitTable(r)
        h += sideTableSection(r)
        h += "<h2>Pelvic tilt</h2><p class=\"muted\">Degrees relative to your neutral standing posture; + means the pelvis tips forward (anterior). "
            + esc(r.tilt.neutralFrom) + ".</p>" + tiltChart(r)
        h += pelvisCycleSection(r)
        h += "<h2>Timeline</h2>" + timeline(r)
        // Without a microphone there is nothing to place on the cycle: say so instead of drawing an empty clock.
        h += "<h2>Pops in the gait cycle</h2>" + (r.session.audioRateHz == nil
            ? "<p class=\"muted\">No microphone in this recording: pops could not be listened for.</p>"
            : cycleChart(r)
                + (r.patterns.kinds.isEmpty ? "" : "<ul>" + r.patterns.kinds.map { "<li>\(esc(ReportWording.plainPattern($0)))</li>" }.joined() + "</ul>")
                + popTable(r))
        h += reading(r)
        h += researcherSection(r)
        h += "<p class=\"muted\">Report schema gaitpop-report v\(r.schemaVersion). Notes: \(esc(r.notes.joined(separator: " ")))</p>"
        h += "</body></html>\n"
        return h
    }

    // MARK: - text

    static func summary(_ r: WalkReport) -> [String] {
        var s: [String] = []
        if let g = r.gait, g.stepCount > 0 {
            let usual = r.normativeRange(for: .cadenceStepsPerMin).map { "; \($0.groupPhrase) usually walk at \($0.text)" } ?? ""
            s.append(String(format: "You walked %d steps in %d bout%@ (%.0f s of walking) at %@ steps per minute%@.",
                            g.stepCount, g.boutCount, g.boutCount == 1 ? "" : "s", g.walkingSeconds,
                            n(g.cadenceStepsPerMin, "%.0f"), usual))
            if let few = GaitAssessment.of("step_time_asymmetry_percent", in: r)?.tooFewText {
                s.append("This walk was too short to compare your left and right steps reliably: \(few).")
            } else if let a = g.stepTimeAsymmetryPercent {
                s.append(abs(a) <= 5 ? "Your left and right steps were about equally long."
                                     : String(format: "Your %@ steps took %.0f %% longer than the other side's.", a > 0 ? "left" : "right", abs(a)))
            }
        } else {
            s.append("No walking was found in this recording. " + r.notes.joined(separator: " "))
        }
        if let t = r.tilt.meanDeg {
            let desc = t > 10 ? "markedly tipped forward" : (t > 5 ? "tipped forward" : (t < -5 ? "tipped backward" : "close to neutral"))
            s.append(String(format: "While walking your pelvis was %@: %+.1f° on average compared with standing.", desc, t))
        }
        if r.session.audioRateHz == nil {
            s.append("This recording has no microphone, so pops could not be listened for.")
        } else if r.pops.isEmpty {
            s.append("No pops were heard.")
        } else {
            var byKind: [String: Int] = [:]
            for p in r.pops { byKind[p.kind.rawValue, default: 0] += 1 }
            let list = byKind.sorted { $0.value > $1.value }.map { "\($0.value) \(label($0.key, $0.value))" }
            s.append("gaitpop heard " + list.joined(separator: ", ") + ".")
            if let c = dominantPhase(r) { s.append(c) }
        }
        let pain = r.painSeconds.count
        if pain > 0 { s.append("You marked pain \(pain) time\(pain == 1 ? "" : "s").") }
        let typed = (r.wearerNotes ?? []).filter { $0.kind == "note" }.count
        if typed > 0 { s.append("You wrote \(typed) note\(typed == 1 ? "" : "s") during the walk (listed under the timeline).") }
        return s
    }

    static func label(_ kind: String, _ n: Int) -> String {
        switch kind {
        case "cavitation": n == 1 ? "joint click (cavitation)" : "joint clicks (cavitation)"
        case "snap": n == 1 ? "soft-tissue snap" : "soft-tissue snaps"
        case "grind": n == 1 ? "grinding sound" : "grinding sounds"
        default: n == 1 ? "unclassified pop" : "unclassified pops"
        }
    }

    /// "Most snaps came at 12 % of the stride (loading response)." when a kind clusters in phase.
    static func dominantPhase(_ r: WalkReport) -> String? {
        let snaps = r.pops.compactMap { p -> (String, Double, String)? in
            guard let ph = p.phase else { return nil }
            return (p.kind.rawValue, ph.cyclePercent, ph.phase.humanName)
        }
        var best: (String, Double, String, Int)?
        for kind in Set(snaps.map(\.0)) {
            let ps = snaps.filter { $0.0 == kind }
            guard ps.count >= 4 else { continue }
            // Circular mean and concentration.
            var c = 0.0, s = 0.0
            for p in ps { c += cos(p.1 / 100 * 2 * .pi); s += sin(p.1 / 100 * 2 * .pi) }
            let rlen = sqrt(c * c + s * s) / Double(ps.count)
            guard rlen > 0.7 else { continue }
            var mean = atan2(s, c) / (2 * .pi) * 100
            if mean < 0 { mean += 100 }
            let phaseName = ps.min { abs($0.1 - mean) < abs($1.1 - mean) }!.2
            if best == nil || ps.count > best!.3 { best = (kind, mean, phaseName, ps.count) }
        }
        guard let b = best else { return nil }
        return String(format: "Most %@ came at the same point of your stride: about %.0f %% (%@) — %@.",
                      label(b.0, 2), b.1, b.2, phaseLockedMeaning(PopKind(rawValue: b.0) ?? .unknown))
    }

    static func alertsSection(_ r: WalkReport) -> String {
        guard !r.alerts.isEmpty else { return "<h2>Alerts</h2><p>None.</p>" }
        return "<h2>Alerts</h2>" + r.alerts.map { a in
            "<div class=\"box \(a.severity == .alert ? "alert" : "warn")\"><strong>\(esc(ReportWording.title(a.rule)))</strong> "
                + String(format: "at %.1f s: ", a.t) + esc(a.message)
                + "<br><span class=\"muted\">evidence: " + a.evidence.map { String(format: "%.1f s", $0) }.joined(separator: ", ") + "</span></div>"
        }.joined()
    }

    static func gaitTable(_ r: WalkReport) -> String {
        guard let g = r.gait, g.stepCount > 0 else { return "<h2>Gait</h2><p>No walking found.</p>" }
        // Typical text and highlight come from the report's assessments (GaitAssessment: the sourced range for the
        // wearer's age and sex, docs/NORMATIVE-RANGES.md, plus the minimum-stride rule); measures without a published
        // range show none and are never flagged, and variability/symmetry from too few strides is shown but not flagged.
        let assessed = GaitAssessment.assess(r)
        func row(_ name: String, _ v: Double?, _ fmt: String, _ q: GaitQuantity? = nil, key: String? = nil) -> String {
            let a = key.flatMap { k in assessed.first { $0.measure == k } }
            let norm = q.flatMap { r.normativeRange(for: $0) }
            let out = a?.isFlagged == true ? " class=\"out\"" : ""
            let shown = norm.map { nr in v.map(nr.format) ?? "—" } ?? n(v, fmt)
            var typical = norm.map { "\($0.text) <small>(\(esc($0.bandAndSource)))</small>" } ?? "no sourced range"
            if let few = a?.tooFewText { typical += "<br><span class=\"few\">\(esc(few))</span>" }
            return "<tr><td>\(name)</td><td\(out)>\(shown)</td><td class=\"muted\">\(typical)</td></tr>"
        }
        var t = "<h2>Gait</h2><table><tr><th>measure</th><th>this walk</th><th>typical adult</th></tr>"
        t += "<tr><td>steps / walking bouts</td><td>\(g.stepCount) / \(g.boutCount)</td><td></td></tr>"
        t += row("cadence (steps/min)", g.cadenceStepsPerMin, "%.0f", .cadenceStepsPerMin, key: "cadence_steps_per_min")
        t += row("step time (s)", g.stepTimeSeconds, "%.2f", .stepTimeSeconds, key: "step_time_seconds")
        t += row("stride time (s)", g.strideTimeSeconds, "%.2f", .strideTimeSeconds, key: "stride_time_seconds")
        t += row("stance (% of stride)", g.stancePercent, "%.0f", .stancePercent, key: "stance_percent")
        t += row("swing (% of stride)", g.swingPercent, "%.0f", .swingPercent, key: "swing_percent")
        t += row("double support (% of stride)", g.doubleSupportPercent, "%.0f", .doubleSupportPercent, key: "double_support_percent")
        t += row("step-time variability (CV %)", g.stepTimeCVPercent, "%.1f", .stepTimeCVPercent, key: "step_time_cv_percent")
        t += row("stride-time variability (CV %)", g.strideTimeCVPercent, "%.1f", .strideTimeCVPercent, key: "stride_time_cv_percent")
        t += row("left/right step asymmetry (%)", g.stepTimeAsymmetryPercent, "%+.1f", .stepTimeAsymmetryPercent, key: "step_time_asymmetry_percent")
        t += row("step regularity (0–1)", g.stepRegularity, "%.2f")
        t += row("stride regularity (0–1)", g.strideRegularity, "%.2f")
        t += row("pelvic tilt while walking (°)", r.tilt.meanDeg, "%+.1f")
        t += row("tilt range in a stride (°)", g.tiltRomDeg, "%.1f", .tiltRomDeg, key: "tilt_rom_deg")
        t += row("obliquity range (°)", g.obliquityRomDeg, "%.1f", .obliquityRomDeg, key: "obliquity_rom_deg")
        t += row("rotation range (°)", g.rotationRomDeg, "%.1f", .rotationRomDeg, key: "rotation_rom_deg")
        if g.stepLengthM != nil {   // only with --leg-length-cm (inverted-pendulum model, docs/GAIT.md)
            t += row("step length (m, estimated)", g.stepLengthM, "%.2f")
            t += row("walking speed (m/s, estimated)", g.speedMPerS, "%.2f")
        }
        return t + "</table>"
    }

    static func popTable(_ r: WalkReport) -> String {
        guard !r.pops.isEmpty else { return "" }
        var t = "<table><tr><th>time</th><th>kind</th><th>confidence</th><th>stride %</th><th>phase</th><th>level above noise</th></tr>"
        for p in r.pops.prefix(200) {
            t += String(format: "<tr><td>%.2f s</td><td><span class=\"dot\" style=\"background:%@\"></span>%@</td><td>%.0f %%</td><td>%@</td><td>%@</td><td>%.0f dB</td></tr>",
                        p.tSeconds, kindColour[p.kind.rawValue] ?? "#000", p.kind.rawValue, p.confidence * 100,
                        n(p.phase?.cyclePercent, "%.0f"), esc(p.phase?.phase.humanName ?? "—"), p.snrDb)
        }
        return t + "</table>"
    }

    static func reading(_ r: WalkReport) -> String {
        """
        <h2>What this means</h2>
        <div class="box"><p><strong>Usually harmless:</strong> pops that are painless, infrequent and do not limit movement are normally
        the joint's own mechanics — a gas bubble collapsing in a facet joint (cavitation) or a tendon briefly moving over bone.</p>
        <p><strong>Worth a professional's look:</strong> pops that come with pain; grinding rather than a clean pop; numbness or tingling
        down the leg; swelling or a reduced range of movement after a noise; any noise that started after a fall or injury.</p></div>
        """ + advice(r)
    }

    /// Exercise advice only when nothing in the walk is a reason to see a professional; otherwise the reasons and
    /// "stop and see a professional" instead (the article's warning signs, docs/REPORT-FORMAT.md "Wording").
    static func advice(_ r: WalkReport) -> String {
        let signs = ReportWording.warningSigns(r)
        guard signs.isEmpty else {
            return "<h2>What to do now</h2><div class=\"box alert\" id=\"see-a-professional\"><p><strong>Stop the "
                + "exercises and see a professional</strong> (a physiotherapist or your doctor) before you go on: "
                + esc(signs.joined(separator: "; ")) + ". Take this report with you.</p>"
                + "<p>See someone soon if you also have numbness or tingling down a leg, swelling, or less movement than "
                + "usual, or if the noises began after a fall or an injury.</p></div>"
        }
        return """
        <h2>What you can do</h2>
        <ul id="exercises">
        <li><strong>Core stability.</strong> Strong deep abdominal and back muscles keep the spine aligned as weight shifts from leg to leg:
        planks and bird-dogs, a few minutes a day.</li>
        <li><strong>Walking posture.</strong> Avoid letting the pelvis tip forward (exaggerated anterior tilt); engaging the abdominal
        muscles slightly while walking keeps the spine's natural curve and takes load off the facet joints.</li>
        <li><strong>Gentle mobility.</strong> Cat-cow stretches and pelvic tilts move the spine through its range and keep the soft
        tissues supple.</li>
        </ul>
        <p class="muted">Stop any exercise that hurts, and see a professional if pain comes with the noises.</p>
        """
    }

    // MARK: - charts (inline SVG)

    static func xScale(_ t: Double, _ r: WalkReport, width: Double) -> Double {
        let d = max(r.session.durationSeconds, 1)
        return 50 + (width - 60) * min(max(t / d, 0), 1)
    }

    static func tiltChart(_ r: WalkReport) -> String {
        let W = 900.0, H = 260.0
        guard !r.strides.isEmpty else { return "<p>No strides to chart.</p>" }
        let lo = min(-5, (r.strides.map { $0.meanDeg - ($0.romDeg ?? 0) / 2 }.min() ?? 0) - 1)
        let hi = max(15, (r.strides.map { $0.meanDeg + ($0.romDeg ?? 0) / 2 }.max() ?? 0) + 1)
        func y(_ v: Double) -> Double { 20 + (H - 50) * (hi - v) / (hi - lo) }
        var s = "<svg viewBox=\"0 0 \(Int(W)) \(Int(H))\" role=\"img\" aria-label=\"pelvic tilt per stride over the walk\">"
        s += String(format: "<rect x=\"50\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fef3c7\"/>", y(hi), W - 60, max(0, y(10) - y(hi)))
        for v in stride(from: (lo / 5).rounded(.down) * 5, through: hi, by: 5) {
            s += String(format: "<line x1=\"50\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e7eb\"/><text x=\"44\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%+.0f°</text>",
                        W - 10, y(v), y(v), y(v) + 4, v)
        }
        s += String(format: "<line x1=\"50\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#374151\" stroke-dasharray=\"4 3\"/><text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">neutral</text>",
                    W - 10, y(0), y(0), W - 12, y(0) - 4)
        for st in r.strides {
            let x = xScale(st.icSeconds, r, width: W)
            if let rom = st.romDeg {
                s += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#93c5fd\" stroke-width=\"3\"/>", x, x, y(st.meanDeg + rom / 2), y(st.meanDeg - rom / 2))
            }
            s += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\" fill=\"%@\"/>", x, y(st.meanDeg), st.meanDeg > 10 ? "#dc2626" : "#1d4ed8")
        }
        s += axisTime(r, W: W, yBase: H - 22)
        s += "</svg><p class=\"legend muted\"><span><span class=\"dot\" style=\"background:#1d4ed8\"></span>mean tilt of a stride</span><span><span class=\"dot\" style=\"background:#93c5fd\"></span>range within the stride</span><span><span class=\"dot\" style=\"background:#fef3c7\"></span>exaggerated anterior tilt (&gt; 10°)</span></p>"
        return s
    }

    static func axisTime(_ r: WalkReport, W: Double, yBase: Double) -> String {
        var s = String(format: "<line x1=\"50\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#9ca3af\"/>", W - 10, yBase, yBase)
        let d = max(r.session.durationSeconds, 1)
        let step = [5.0, 10, 30, 60, 120, 300, 600, 1200].first { d / $0 <= 12 } ?? 1800
        for t in stride(from: 0.0, through: d, by: step) {
            let x = xScale(t, r, width: W)
            s += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#9ca3af\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%.0f s</text>",
                        x, x, yBase, yBase + 4, x, yBase + 16, t)
        }
        return s
    }

    /// Every mark the wearer made, device button or host key or typed note, in time order.
    static func wearerNotesList(_ r: WalkReport) -> String {
        var items: [(Double, String)] = r.markers.map {
            ($0.tSeconds, String(format: "%.1f s — %@ (sensor button)", $0.tSeconds, $0.kind.map { "\($0)" } ?? "button"))
        }
        items += (r.wearerNotes ?? []).map {
            ($0.tSeconds, String(format: "%.1f s — %@", $0.tSeconds, $0.kind == "pain" ? "pain (key)" : "note") + ($0.text.map { ": " + $0 } ?? ""))
        }
        guard !items.isEmpty else { return "" }
        return "<h3>Your marks and notes</h3><ul>" + items.sorted { $0.0 < $1.0 }.map { "<li>\(esc($0.1))</li>" }.joined() + "</ul>"
    }

    static func timeline(_ r: WalkReport) -> String {
        let W = 900.0, H = 170.0
        var s = "<svg viewBox=\"0 0 \(Int(W)) \(Int(H))\" role=\"img\" aria-label=\"timeline of steps, pops and markers\">"
        for b in r.bouts {
            let x0 = xScale(b.startSeconds, r, width: W), x1 = xScale(b.endSeconds, r, width: W)
            s += String(format: "<rect x=\"%.1f\" y=\"10\" width=\"%.1f\" height=\"120\" fill=\"#ecfdf5\"/>", x0, max(1, x1 - x0))
        }
        s += "<text x=\"44\" y=\"38\" font-size=\"11\" text-anchor=\"end\" fill=\"\(leftColour)\">left ●</text>"
            + "<text x=\"44\" y=\"62\" font-size=\"11\" text-anchor=\"end\" fill=\"\(rightColour)\">right ■</text>"
        s += "<text x=\"44\" y=\"96\" font-size=\"11\" text-anchor=\"end\">pops</text><text x=\"44\" y=\"124\" font-size=\"11\" text-anchor=\"end\">marks</text>"
        // Gait-lab convention: left red, right green; and, for colour-blind readers, left solid with a round head,
        // right dashed with a square head (as in the pelvis-cycle curves).
        for st in r.steps {
            let x = xScale(st.t, r, width: W)
            switch st.side {
            case .left:
                s += String(format: "<line class=\"ic-left\" x1=\"%.1f\" x2=\"%.1f\" y1=\"28\" y2=\"42\" stroke=\"%@\" stroke-width=\"1.5\"/>"
                            + "<circle cx=\"%.1f\" cy=\"28\" r=\"2.2\" fill=\"%@\"/>", x, x, leftColour, x, leftColour)
            case .right:
                s += String(format: "<line class=\"ic-right\" x1=\"%.1f\" x2=\"%.1f\" y1=\"52\" y2=\"66\" stroke=\"%@\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"/>"
                            + "<rect x=\"%.1f\" y=\"50\" width=\"4\" height=\"4\" fill=\"%@\"/>", x, x, rightColour, x - 2, rightColour)
            case .unknown:
                s += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"40\" y2=\"54\" stroke=\"#6b7280\" stroke-width=\"1.5\"/>", x, x)
            }
        }
        for p in r.pops {
            s += String(format: "<circle cx=\"%.1f\" cy=\"92\" r=\"4\" fill=\"%@\"><title>%@ at %.2f s</title></circle>",
                        xScale(p.tSeconds, r, width: W), kindColour[p.kind.rawValue] ?? "#000", p.kind.rawValue, p.tSeconds)
        }
        for m in r.markers {
            let x = xScale(m.tSeconds, r, width: W)
            s += String(format: "<path d=\"M%.1f 112 l6 12 h-12 z\" fill=\"#b91c1c\"><title>%@ marker at %.1f s</title></path>", x,
                        m.kind.map { "\($0)" } ?? "button", m.tSeconds)
        }
        // The wearer's own marks from the host (pain key, typed notes): an outlined triangle, the note in its title.
        for n in r.wearerNotes ?? [] {
            let x = xScale(n.tSeconds, r, width: W)
            s += String(format: "<path d=\"M%.1f 112 l6 12 h-12 z\" fill=\"%@\" stroke=\"#b91c1c\"><title>%@ at %.1f s%@</title></path>", x,
                        n.kind == "pain" ? "#b91c1c" : "#ffffff", esc(n.kind), n.tSeconds, esc(n.text.map { ": " + $0 } ?? ""))
        }
        s += axisTime(r, W: W, yBase: H - 30)
        s += "</svg>" + legend() + wearerNotesList(r)
        return s
    }

    /// Left red, right green: the gait-lab convention, always paired with a second cue (shape, dash).
    static let leftColour = "#dc2626", rightColour = "#16a34a"

    static func legend() -> String {
        "<p class=\"legend muted\"><span style=\"color:\(leftColour)\">● left contact (red, solid)</span>"
            + "<span style=\"color:\(rightColour)\">■ right contact (green, dashed)</span>" + ["cavitation", "snap", "grind", "unknown"].map {
            "<span><span class=\"dot\" style=\"background:\(kindColour[$0]!)\"></span>\($0)</span>"
        }.joined() + "<span>▲ wearer marker</span><span style=\"background:#ecfdf5\">walking bout</span></p>"
    }

    /// Polar chart: the stride as a clock face from left initial contact (top, 0 %) clockwise; each pop a dot at
    /// its stride percent, one ring per kind; Perry's phases as sectors.
    static func cycleChart(_ r: WalkReport) -> String {
        let S = 420.0, c = S / 2, R = 170.0
        // 50 units of margin left and right: the phase names outside the circle must not be cut off.
        var s = "<svg viewBox=\"-50 0 \(Int(S) + 100) \(Int(S))\" width=\"520\" role=\"img\" aria-label=\"pops by gait-cycle percent\">"
        let phases: [(String, Double, Double)] = [("loading", 0, 12), ("mid-stance", 12, 31), ("terminal stance", 31, 50),
                                                  ("pre-swing", 50, 62), ("initial swing", 62, 75), ("mid-swing", 75, 87),
                                                  ("terminal swing", 87, 100)]
        func pt(_ pct: Double, _ rad: Double) -> (Double, Double) {
            let a = pct / 100 * 2 * .pi - .pi / 2
            return (c + rad * cos(a), c + rad * sin(a))
        }
        for (i, ph) in phases.enumerated() {
            let (x0, y0) = pt(ph.1, R), (x1, y1) = pt(ph.2, R)
            let large = ph.2 - ph.1 > 50 ? 1 : 0
            s += String(format: "<path d=\"M%.1f %.1f L%.1f %.1f A%.0f %.0f 0 %d 1 %.1f %.1f Z\" fill=\"%@\" stroke=\"#fff\"/>",
                        c, c, x0, y0, R, R, large, x1, y1, ph.1 < 62 ? (i % 2 == 0 ? "#f0fdf4" : "#dcfce7") : (i % 2 == 0 ? "#eff6ff" : "#dbeafe"))
            let (tx, ty) = pt((ph.1 + ph.2) / 2, R + 18)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%@</text>", tx, ty, ph.0)
        }
        for k in [0.0, 25, 50, 75] {
            let (tx, ty) = pt(k, R * 0.35)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#6b7280\" text-anchor=\"middle\">%.0f%%</text>", tx, ty, k)
        }
        let rings = ["cavitation": 0.55, "snap": 0.7, "grind": 0.85, "unknown": 0.95]
        for p in r.pops {
            guard let cp = p.phase?.cyclePercent else { continue }
            let (x, y) = pt(cp, R * (rings[p.kind.rawValue] ?? 0.9))
            s += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%@\" fill-opacity=\"0.75\"><title>%@ at %.0f %%</title></circle>",
                        x, y, kindColour[p.kind.rawValue] ?? "#000", p.kind.rawValue, cp)
        }
        s += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"middle\">left heel strike</text>", c, c - R - 4 - 18)
        s += "</svg><p class=\"muted\">The stride as a clock: top = left heel strike, clockwise through stance (green) and swing (blue). Each dot is a pop.</p>"
        return s
    }
}
