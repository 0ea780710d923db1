import Analysis
import Foundation
import PopEvents
import SensorDevice

/// What `live`, `replay` and `demo` show while a session runs, in one of three modes: JSON lines (docs/OUTPUT.md),
/// plain text lines (a pipe, `TERM=dumb`), or the dashboard redrawn in place on a terminal. Events from the analysis
/// and the wearer's keys come in; the screen or lines go out.
public final class LiveScreen {
    public enum Mode: Equatable, Sendable { case json, plain, dashboard }

    public let mode: Mode
    public let dashboard: Dashboard
    private let out: LineWriter
    private let terminal: RawTerminal?
    private var lastDrawSeconds = -Double.infinity
    /// Redraws at most this often (seconds of session time).
    public var redrawInterval = 0.25

    /// Everything shown so far, for the summary at the end.
    public private(set) var notesSaved = 0
    public private(set) var painMarks = 0
    public private(set) var alertCount = 0

    public init(mode: Mode, style: TerminalStyle, title: String, out: LineWriter, terminal: RawTerminal?) {
        self.mode = mode
        self.out = out
        self.terminal = mode == .dashboard ? terminal : nil
        dashboard = Dashboard(style: style)
        dashboard.title = title
    }

    /// An event from the analysis.
    public func handle(_ e: AnalysisEvent) {
        if case .alert = e { alertCount += 1 }
        switch mode {
        case .json:
            out.line(e.jsonLine)
        case .plain:
            if let t = TextEvent.describe(e, style: dashboard.style) { out.line(t); out.flush() }
        case .dashboard:
            switch e {
            case .pop(let p):
                dashboard.lastPop = TextEvent.popSummary(p)
            case .alert(let a):
                dashboard.addAlert(.init(tSeconds: a.t, text: a.message, urgent: a.severity == .alert))
                terminal?.bell()
            default:
                break
            }
            if let text = TextEvent.describe(e, style: .plain), let t = TextEvent.time(e) {
                dashboard.log.add(tSeconds: t, key: TextEvent.key(e), text: text)
            }
        }
    }

    /// A note or pain mark the wearer made at `tSeconds`: a JSON line, a text line, or a log line plus a footer
    /// confirmation.
    public func noted(pain: Bool, text: String?, tSeconds: Double) {
        if pain { painMarks += 1 } else { notesSaved += 1 }
        switch mode {
        case .json:
            out.line(JSONLines.line("note", WalkReport.WearerNote(tSeconds: tSeconds, kind: pain ? "pain" : "note",
                                                                  text: text)))
        case .plain, .dashboard:
            // A pain mark also reaches the analysis as a marker, whose event is logged: log only the note here.
            // Notes come from recordings too: no control characters reach the terminal.
            let line = pain ? nil : String(format: "%8.2f s  note: %@", tSeconds, TerminalText.clean(text ?? ""))
            if mode == .plain {
                if let line { out.line(line); out.flush() }
                return
            }
            if let line { dashboard.log.add(tSeconds: tSeconds, text: line) }
            dashboard.flash(pain ? String(format: "pain marked at %.1f s", tSeconds)
                                 : String(format: "note saved at %.1f s", tSeconds), nowSeconds: tSeconds)
        }
    }

    /// Redraws the dashboard when due (or when `force`); in JSON mode, nothing (status lines are the caller's).
    public func refresh(link: LinkStats, status: AnalysisStatus, nowSeconds: Double, force: Bool = false) {
        guard mode == .dashboard, let term = terminal else { return }
        guard force || nowSeconds - lastDrawSeconds >= redrawInterval else { return }
        dashboard.link = link
        dashboard.status = status
        let size = term.size
        term.draw(dashboard.lines(width: size.columns, height: size.rows, nowSeconds: nowSeconds))
        lastDrawSeconds = nowSeconds
    }

    /// Restores the terminal (before a summary is printed below the last screen).
    public func close() {
        terminal?.restore()
        out.flush()
    }
}
