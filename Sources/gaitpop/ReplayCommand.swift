import Analysis
import ArgumentParser
import Foundation
import LiveView
import Recording
import SensorDevice
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
            throw UserError("--speed takes a positive number or 'max'")
        }
    }

    func run() throws {
        try runReportingErrors {
            StopSignal.install()
            let analysis = StreamingAnalysis(gaitConfig: analysisOptions.gaitConfig(), popConfig: analysisOptions.popConfig(),
                                             alertConfig: try analysisOptions.alertConfig(),
                                             calibration: try analysisOptions.tiltCalibration())
            let player = try RecordingPlayer(path: file, analysis: analysis)
            let style = TerminalStyle.detect(isTerminal: stdoutIsTerminal)
            let mode: LiveScreen.Mode = json || !stdoutIsTerminal ? .json : (style.redraw ? .dashboard : .plain)
            let out = LineWriter()
            // On a terminal: the same dashboard as `live` (q stops), fed from the file.
            let terminal = mode == .dashboard ? RawTerminal() : nil
            let screen = LiveScreen(mode: mode, style: style,
                                    title: "gaitpop replay — \((file as NSString).lastPathComponent) at "
                                        + (speed == "max" ? "maximum speed" : speed + "×"),
                                    out: out, terminal: terminal)
            defer { screen.close() }
            screen.dashboard.footer = "q: stop"
            if mode == .json { out.line(JSONLines.header(generatedBy: "gaitpop \(Gaitpop.version)", source: file)) }
            analysis.onEvent = { screen.handle($0) }
            player.onNote = { n, t in screen.noted(pain: n.kind == .pain, text: n.text, tSeconds: t) }
            var keys = KeyInput()
            var quit = false
            var link = LinkStats()
            link.connected = true
            link.link = "recording"
            player.play(speed: speed == "max" ? nil : Double(speed)) {
                let t = analysis.status.tSeconds
                if let term = terminal {
                    for a in keys.feed(term.readKeys()) + keys.endOfRead() where a == .quit { quit = true }
                }
                link.elapsedSeconds = t
                screen.refresh(link: link, status: analysis.status, nowSeconds: t)
                return quit || StopSignal.requested
            }
            screen.refresh(link: link, status: analysis.status, nowSeconds: analysis.status.tSeconds, force: true)
            if mode == .json { out.line(analysis.status.jsonLine) }
            screen.close()
            if mode != .json {
                for line in LiveSummary.lines(status: analysis.status, link: nil, alerts: screen.alertCount,
                                              painMarks: screen.painMarks, notes: screen.notesSaved, recording: nil) {
                    print(line)
                }
            }
            for w in player.replay.damageWarnings { printErr("warning: \(TerminalText.clean(w))") }
        }
    }
}
