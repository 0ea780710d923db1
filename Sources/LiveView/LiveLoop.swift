import Analysis
import Foundation
import Pipeline
import Recording
import SensorDevice
import SensorProtocol

/// The live loop shared by `live` and `demo`: a device session feeds the analysis (and a recorder when asked); the
/// screen shows events; the wearer's keys mark pain, save notes (into the recording, between the bytes around them)
/// or stop. Whatever ends the loop — q, a stop request, --duration, an unplug that never comes back, a full disk —
/// the recording is finalised (or cut back to whole records) and the summary is returned.
public enum LiveLoop {
    public struct Settings {
        public var path: String
        public var record: String?
        /// Replace an existing recording at `record` (--force).
        public var overwriteRecording = false
        public var mode: LiveScreen.Mode
        public var style: TerminalStyle
        public var duration: Double?
        public var options: DeviceSession.Options
        public var title: String
        /// Written into the recording's header ("gaitpop 1.2").
        public var software: String

        public init(path: String, record: String?, mode: LiveScreen.Mode, style: TerminalStyle, duration: Double?,
                    options: DeviceSession.Options, title: String, software: String) {
            self.path = path
            self.record = record
            self.mode = mode
            self.style = style
            self.duration = duration
            self.options = options
            self.title = title
            self.software = software
        }
    }

    public struct Outcome {
        public var stats: LinkStats
        public var status: AnalysisStatus
        public var recording: String?
        public var summary: [String]
    }

    /// Runs until stopped. `stopRequested` is polled every loop turn (Ctrl-C, SIGTERM); `during` lets a caller
    /// (tests, the demo) act at session time t.
    public static func run(_ s: Settings, analysis: StreamingAnalysis = StreamingAnalysis(),
                           stopRequested: @escaping () -> Bool,
                           during: ((DeviceSession, Double) -> Void)? = nil) throws -> Outcome {
        let session = DeviceSession(path: s.path, options: s.options)
        let info = try session.connect()
        let analysisSink = AnalysisSink(analysis: analysis)
        var sinks: [SessionSink] = [analysisSink]
        var recorder: RecordingSink?
        if let record = s.record {
            // Written in place (a killed recording must stay readable at its name), so check it first: never an
            // input, never an existing recording without --force, a symlink replaced rather than followed.
            try OutputFile.prepareDirect(path: record, inputs: [s.path], force: s.overwriteRecording)
            let w = try SessionWriter(path: record, header: SessionHeader(software: s.software, device: info, source: s.path))
            recorder = RecordingSink(writer: w)
            sinks.insert(recorder!, at: 0)
        }
        let out = LineWriter()
        let terminal = s.mode == .dashboard ? RawTerminal() : nil
        let mode: LiveScreen.Mode = s.mode == .dashboard && terminal == nil ? .plain : s.mode
        let screen = LiveScreen(mode: mode, style: s.style, title: s.title, out: out, terminal: terminal)
        defer { screen.close() }
        if mode == .json { out.line(JSONLines.header(generatedBy: s.software, source: s.path)) }
        analysis.onEvent = { screen.handle($0) }
        var keys = KeyInput()
        var lastStatus = 0.0
        var stopByKey = false

        func hostNote(pain: Bool, text: String?) {
            let t = analysis.status.tSeconds
            try? recorder?.note(NoteRecord(kind: pain ? .pain : .note, text: text), hostNanos: session.hostNanos)
            screen.noted(pain: pain, text: text, tSeconds: t)
            if pain { analysis.marker(MarkerEvent(tSeconds: t, kind: .pain, markerID: -1)) }
        }

        var runError: Error?
        do {
            try session.run(sink: FanoutSink(sinks)) {
                let t = Double(session.hostNanos) / 1e9
                during?(session, t)
                if let term = terminal {
                    let bytes = term.readKeys()
                    for a in keys.feed(bytes) + keys.endOfRead() {
                        switch a {
                        case .quit: stopByKey = true
                        case .pain: hostNote(pain: true, text: nil)
                        case .noteSaved(let text): hostNote(pain: false, text: text)
                        case .noteOpened, .noteCancelled: break
                        }
                    }
                    screen.dashboard.notePrompt = keys.noteText
                }
                screen.refresh(link: analysisSink.link, status: analysis.status, nowSeconds: t)
                if mode == .json, t - lastStatus >= 1 {
                    out.line(analysis.status.jsonLine)
                    out.flush()
                    lastStatus = t
                }
                return stopByKey || stopRequested() || (s.duration.map { t >= $0 } ?? false)
            }
        } catch {
            runError = error
        }
        analysis.finish()
        screen.refresh(link: analysisSink.link, status: analysis.status, nowSeconds: analysis.status.tSeconds, force: true)
        screen.close()
        if let r = recorder {
            if runError is RecordingError { r.writer.close() } else {
                try? r.finish(stats: session.stats, hostNanos: session.hostNanos)
            }
        }
        if let e = runError { throw e }
        let summary = LiveSummary.lines(status: analysis.status, link: session.stats, alerts: screen.alertCount,
                                        painMarks: screen.painMarks, notes: screen.notesSaved, recording: s.record)
        return Outcome(stats: session.stats, status: analysis.status, recording: s.record, summary: summary)
    }
}
