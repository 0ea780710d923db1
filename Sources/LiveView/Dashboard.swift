import Analysis
import Foundation
import SensorDevice

/// The live dashboard's state and its drawing: elapsed time, link health, steps and cadence, pelvic tilt against
/// neutral with a bar, pops by kind with the last one's phase, alerts, and the event log in time order.
///
/// `lines(width:height:)` fits the screen: no line is longer than the terminal is wide (cut, never wrapped), and on
/// a short terminal the event log gives way first, then the alerts, so the header (time, link) and the footer (keys,
/// the disclaimer) always stay visible. Pure: state in, lines out; tests read it at any size.
public final class Dashboard {
    public struct Alert: Equatable, Sendable {
        public var tSeconds: Double
        public var text: String
        /// An alert (red) rather than a caution (yellow).
        public var urgent: Bool
        public init(tSeconds: Double, text: String, urgent: Bool) {
            self.tSeconds = tSeconds
            self.text = text
            self.urgent = urgent
        }
    }

    public var title = "gaitpop live"
    public var style: TerminalStyle
    public var link = LinkStats()
    public var status = AnalysisStatus()
    public var alerts: [Alert] = []
    /// The last pop in words ("snap at 12.3 s, 14 % of stride (loading response)").
    public var lastPop: String?
    public var log = EventLog()
    /// The note being typed, shown in the footer while open.
    public var notePrompt: String?
    /// A short confirmation ("note saved at 12.3 s") shown in the footer until `messageUntil` (seconds of session).
    public private(set) var message: String?
    private var messageUntil = 0.0
    public var footer = "p: pain now   n: add a note   q: stop (recording is finalised)"
    public static let disclaimer = "gaitpop informs; it does not diagnose."

    public init(style: TerminalStyle) { self.style = style }

    /// Shows `text` in the footer for `seconds` from `nowSeconds`.
    public func flash(_ text: String, nowSeconds: Double, seconds: Double = 4) {
        message = text
        messageUntil = nowSeconds + seconds
    }

    public func addAlert(_ a: Alert) {
        alerts.append(a)
        if alerts.count > 32 { alerts.removeFirst(alerts.count - 32) }
    }

    /// The tilt line's bar: −15° … +15° around neutral, its width fitted to the terminal.
    func tiltBar(_ deg: Double?, width: Int) -> String {
        guard let d = deg else { return "(waiting for walking)" }
        let cells = max(11, min(31, width - 34)) | 1
        let mid = cells / 2
        let perCell = 15.0 / Double(mid)
        let pos = max(0, min(cells - 1, mid + Int((d / perCell).rounded())))
        var bar = Array(repeating: "·", count: cells)
        bar[mid] = "|"
        bar[pos] = "█"
        let paint: TerminalStyle.Paint = d > 10 ? .red : (d > 5 ? .yellow : .green)
        return String(format: "%+5.1f° ", d) + "posterior " + style.paint(bar.joined(), paint) + " anterior"
    }

    /// The screen: at most `height` lines, none wider than `width` columns.
    public func lines(width: Int, height: Int, nowSeconds: Double? = nil) -> [String] {
        let now = nowSeconds ?? max(link.elapsedSeconds, status.tSeconds)
        let header = headerLines(now: now)
        let footer = footerLines(now: now)
        let room = height - header.count - footer.count
        guard room >= 0 else {
            // A tiny terminal: the header first, then as much of the footer as fits.
            let h = Array(header.prefix(max(0, height)))
            return (h + footer.prefix(max(0, height - h.count))).map { LineFitting.fit($0, width: width) }
        }
        var body = bodyLines(width: width)
        if body.count > room { body = dropAlerts(body, toFit: room) }
        let spare = room - body.count
        var logLines: [String] = []
        if spare >= 2 {
            logLines = [""] + log.last(spare - 1).map { "  " + $0.text }
        }
        return (header + body + logLines + footer).map { LineFitting.fit($0, width: width) }
    }

    /// Fewer alert lines (the newest kept) until the body fits; then the body's tail is cut.
    private func dropAlerts(_ body: [String], toFit room: Int) -> [String] {
        var b = body
        while b.count > room, let first = b.firstIndex(where: isAlertLine),
              b.filter(isAlertLine).count > 1 {
            b.remove(at: first)
        }
        return Array(b.prefix(room))
    }

    private func isAlertLine(_ line: String) -> Bool {
        line.hasPrefix("ALERT") || line.hasPrefix("\u{1B}[1;31mALERT") || line.hasPrefix("\u{1B}[1;33mALERT")
    }

    private func headerLines(now: Double) -> [String] {
        let conn = link.connected ? style.paint("connected", .green) : style.paint("reconnecting…", .yellow)
        return [
            style.paint(title, .bold),
            String(format: "elapsed %6.1f s   link %@  %@  %.1f kB/s  %.0f frames/s", now, conn, link.link,
                   link.bytesPerSecond / 1000, link.framesPerSecond),
            "        crc errors \(link.decoder.crcErrors)  lost frames \(link.decoder.lostFrames)  dropped samples "
                + "\(link.droppedSamples)  reconnects \(link.reconnects)",
        ]
    }

    private func bodyLines(width: Int) -> [String] {
        var s: [String] = []
        s.append("steps   \(status.steps)   cadence "
                 + (status.cadenceStepsPerMin.map { String(format: "%.0f steps/min", $0) } ?? "—")
                 + (status.walking ? "   walking" : "   not walking"))
        s.append("tilt    " + tiltBar(status.tiltDeg, width: width))
        let pops = status.popsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  ")
        s.append("pops    " + (pops.isEmpty ? "none yet" : pops))
        if let p = lastPop { s.append("        last: " + p) }
        if alerts.isEmpty {
            s.append("alerts  none")
        } else {
            for a in alerts.suffix(4) {
                let text = String(format: "ALERT %6.1f s  %@", a.tSeconds, a.text)
                s.append(style.colour ? style.paint(text, a.urgent ? .boldRed : .boldYellow) : text)
            }
        }
        return s
    }

    private func footerLines(now: Double) -> [String] {
        let first: String
        if let n = notePrompt {
            first = "note: \(n)_   (Enter saves, Esc cancels)"
        } else if let m = message, now < messageUntil {
            first = style.paint(m, .green)
        } else {
            first = footer
        }
        return [first, Self.disclaimer]
    }
}
