import Analysis
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recording through the live pipeline: steps, tilt, pops and alerts as they happen.",
        discussion: """
            The same decoder, gait engine, pop detector and alert rules as `live`, fed from a file. With --json (or
            when stdout is not a terminal) prints JSON lines (docs/OUTPUT.md): step, stride, posture, pop, alert,
            marker, status.

            Examples:
              gaitpop replay SampleData/walk-snapping-tendon.gpsession --speed max --json
              gaitpop replay walk.gpsession --speed 4
            """)

    @Argument(help: "A .gpsession file.") var file: String
    @Option(help: "Playback speed: a factor (1 = real time) or 'max'.") var speed = "1"
    @Flag(help: "JSON lines only.") var json = false
    @OptionGroup var analysisOptions: AnalysisOptions

    func validate() throws {
        if speed != "max", !((Double(speed) ?? 0) > 0 && (Double(speed) ?? 0).isFinite) {
            throw ValidationError("--speed takes a positive number or 'max'")
        }
    }

    func run() throws {
        try runReportingErrors {
            StopSignal.install()
            let analysis = StreamingAnalysis(gaitConfig: analysisOptions.gaitConfig(), popConfig: analysisOptions.popConfig(),
                                             alertConfig: try analysisOptions.alertConfig(),
                                             calibration: try analysisOptions.tiltCalibration())
            let player = try RecordingPlayer(path: file, analysis: analysis)
            let jsonOut = json || !stdoutIsTerminal
            let out = LineWriter()
            // On a terminal: the same dashboard as `live` (q stops), fed from the file.
            let dash = jsonOut ? nil : Dashboard()
            let term = jsonOut ? nil : RawTerminal()
            defer { term?.restore() }
            dash?.title = "gaitpop replay — \(file) at \(speed == "max" ? "maximum speed" : speed + "×")"
            dash?.footer = "q: stop"
            analysis.onEvent = { e in
                if jsonOut { out.line(e.jsonLine); return }
                guard let d = dash else { return }
                switch e {
                case .pop(let p): d.lastPop = p; if let t = TextEvent.describe(e) { d.note(t) }
                case .alert(let a): d.recentAlerts.append((a.t, a.message, a.severity)); term?.bell()
                default: if let t = TextEvent.describe(e) { d.note(t) }
                }
            }
            player.onNote = { n, t in
                if jsonOut {
                    var j = JSONLine(type: "note")
                    j.add("t", t)
                    j.add("kind", n.kind.rawValue)
                    j.add("text", n.text)
                    out.line(j.text)
                } else {
                    out.line(String(format: "%8.2f s  note (%@)%@", t, n.kind.rawValue, n.text.map { ": \($0)" } ?? ""))
                }
            }
            var lastDraw = Date.distantPast
            var quit = false
            player.play(speed: speed == "max" ? nil : Double(speed)) {
                if let d = dash, Date().timeIntervalSince(lastDraw) >= 0.25 {
                    d.status = analysis.status
                    d.link.connected = true
                    d.link.link = "recording"
                    d.link.elapsedSeconds = analysis.status.tSeconds
                    term?.draw(d.lines())
                    lastDraw = Date()
                    while let k = term?.key() { if k == "q" { quit = true } }
                }
                return quit || StopSignal.requested
            }
            if let d = dash { d.status = analysis.status; term?.draw(d.lines()); term?.restore() }
            if jsonOut { out.line(analysis.status.jsonLine) }
            out.flush()
            for w in player.replay.warnings { printErr("warning: \(w)") }
        }
    }
}

/// Buffered stdout for JSON lines: one write per batch rather than per line. A closed pipe (`| head`) ends the
/// program quietly, as Unix tools do, instead of crashing on a failed write.
final class LineWriter {
    private var buffer = ""
    func line(_ s: String) {
        buffer += s
        buffer += "\n"
        if buffer.utf8.count > 1 << 14 { flush() }
    }
    func flush() {
        guard !buffer.isEmpty else { return }
        var bytes = Array(buffer.utf8)
        buffer = ""
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + off, $0.count - off) }
            if n > 0 { off += n; continue }
            if n < 0 && errno == EINTR { continue }
            exit(0) // EPIPE: the reader went away
        }
        bytes.removeAll()
    }
}

/// One human line per event for a terminal (the dashboard replaces this in `live`).
enum TextEvent {
    static func describe(_ e: AnalysisEvent) -> String? {
        switch e {
        case .step(let s) where !s.provisional:
            return String(format: "%8.2f s  step %@", s.t, s.side.rawValue)
        case .stride(let s):
            return String(format: "%8.2f s  stride tilt %+.1f°", s.icSeconds, s.meanDeg)
        case .posture(let p):
            return String(format: "%8.2f s  posture: sustained anterior tilt %+.1f° for %.0f s", p.startSeconds,
                          p.meanTiltDeg, p.endSeconds - p.startSeconds)
        case .pop(let p):
            return String(format: "%8.2f s  POP %@ (%.0f%% sure) at %@, %.0f dB above floor", p.tSeconds, p.kind.rawValue,
                          p.confidence * 100,
                          p.phase.map { String(format: "%.0f%% of stride (%@)", $0.cyclePercent, $0.phase) } ?? "no gait phase",
                          p.snrDb)
        case .alert(let a):
            return String(format: "%8.2f s  \u{1B}[1;31mALERT\u{1B}[0m %@: %@", a.t, a.rule, a.message)
        case .marker(let m):
            return String(format: "%8.2f s  wearer marker (%@)", m.tSeconds, m.kind.map { "\($0)" } ?? "button")
        case .boutStarted(let t):
            return String(format: "%8.2f s  walking", t)
        case .boutEnded(let t):
            return String(format: "%8.2f s  stopped walking", t)
        default:
            return nil
        }
    }
}
