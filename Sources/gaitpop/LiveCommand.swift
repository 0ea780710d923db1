import Analysis
import ArgumentParser
import Foundation
import Pipeline
import PopEvents
import Recording
import SensorDevice
import SensorProtocol

struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Stream from the sensor: live steps, cadence, pelvic tilt, pops and alerts.",
        discussion: """
            A dashboard refreshing a few times a second (keys: p = pain now, n = note, q = stop). With --json or
            when stdout is not a terminal: JSON lines only (docs/OUTPUT.md). Unplugging the sensor shows
            "reconnecting…" and carries on; --record keeps everything losslessly.

            Examples:
              gaitpop live --port auto --record walk.gpsession
              gaitpop live --port /dev/pts/3 --json --duration 60
            """)

    @Option(help: "Serial port path, or 'auto'.") var port: String
    @Option(help: "Also record to this file.") var record: String?
    @Flag(help: "JSON lines only.") var json = false
    @Option(help: "Stop after this many seconds.") var duration: Double?
    @Option(help: "Baud rate for UART sensors (ignored on USB).") var baud = 921_600
    @OptionGroup var analysisOptions: AnalysisOptions

    func run() throws {
        try runReportingErrors {
            StopSignal.install()
            let path = port == "auto" ? try PortDiscovery.auto(baudRate: baud) : port
            var o = DeviceSession.Options()
            o.baudRate = baud
            _ = try LiveRun.run(path: path, record: record, json: json || !stdoutIsTerminal, duration: duration,
                                options: o, title: "gaitpop live — \(path)",
                                analysis: StreamingAnalysis(gaitConfig: analysisOptions.gaitConfig(),
                                                            popConfig: analysisOptions.popConfig(),
                                                            alertConfig: try analysisOptions.alertConfig(),
                                                            calibration: try analysisOptions.tiltCalibration()))
        }
    }
}

/// The live loop shared by `live` and `demo`.
enum LiveRun {
    struct Outcome {
        var stats: LinkStats
        var status: AnalysisStatus
        var recording: String?
    }

    static func run(path: String, record: String?, json: Bool, duration: Double?, options: DeviceSession.Options,
                    title: String, plainText: Bool = false, analysis: StreamingAnalysis = StreamingAnalysis(),
                    during: ((DeviceSession, Double) -> Void)? = nil) throws -> Outcome {
        let session = DeviceSession(path: path, options: options)
        let info = try session.connect()
        let analysisSink = AnalysisSink(analysis: analysis)
        var sinks: [SessionSink] = [analysisSink]
        var recorder: RecordingSink?
        if let record {
            let w = try SessionWriter(path: record, header: SessionHeader(software: "gaitpop \(Gaitpop.version)", device: info,
                                                                          source: path))
            recorder = RecordingSink(writer: w)
            sinks.insert(recorder!, at: 0)
        }
        let out = LineWriter()
        let dash = json || plainText ? nil : Dashboard()
        dash?.title = title
        let term = json || plainText ? nil : RawTerminal()
        defer { term?.restore() }
        analysis.onEvent = { e in
            if json { out.line(e.jsonLine); return }
            if plainText {
                if let t = TextEvent.describe(e) { out.line(t); out.flush() }
                return
            }
            guard let d = dash else { return }
            switch e {
            case .pop(let p):
                d.lastPop = p
                if let t = TextEvent.describe(e) { d.note(t) }
            case .alert(let a):
                d.recentAlerts.append((a.t, a.message, a.severity))
                term?.bell()
            default:
                if let t = TextEvent.describe(e) { d.note(t) }
            }
        }
        var lastDraw = 0.0
        var lastStatus = 0.0
        var stopByKey = false
        var noteText: String?
        func hostNote(_ kind: NoteRecord.Kind, _ text: String?) {
            let t = analysis.status.tSeconds
            try? recorder?.note(NoteRecord(kind: kind, text: text), hostNanos: session.hostNanos)
            if json {
                var j = JSONLine(type: "note"); j.add("t", t); j.add("kind", kind.rawValue); j.add("text", text)
                out.line(j.text)
            } else {
                dash?.note(String(format: "%8.2f s  %@%@", t, kind == .pain ? "PAIN marked" : "note", text.map { ": \($0)" } ?? ""))
            }
            if kind == .pain { analysis.marker(MarkerEvent(tSeconds: t, kind: .pain, markerID: -1)) }
        }
        var runError: Error?
        do {
            try session.run(sink: FanoutSink(sinks)) {
                let t = Double(session.hostNanos) / 1e9
                during?(session, t)
                if let term {
                    while let k = term.key() {
                        if var n = noteText {
                            if k == "\n" || k == "\r" { hostNote(.note, n); noteText = nil }
                            else if k == "\u{1B}" { noteText = nil }
                            else if k == "\u{7F}" { if !n.isEmpty { n.removeLast() }; noteText = n }
                            else { n.append(k); noteText = n }
                        } else if k == "q" { stopByKey = true }
                        else if k == "p" { hostNote(.pain, nil) }
                        else if k == "n" { noteText = "" }
                    }
                    dash?.notePrompt = noteText
                }
                if let d = dash, t - lastDraw >= 0.25 {
                    d.link = analysisSink.link
                    d.status = analysis.status
                    term?.draw(d.lines())
                    lastDraw = t
                }
                if json, t - lastStatus >= 1 {
                    out.line(analysis.status.jsonLine)
                    out.flush()
                    lastStatus = t
                }
                return stopByKey || StopSignal.requested || (duration.map { t >= $0 } ?? false)
            }
        } catch {
            runError = error
        }
        analysis.finish()
        out.flush()
        term?.restore()
        if let r = recorder {
            if runError is RecordingError { r.writer.close() } else {
                try? r.finish(stats: session.stats, hostNanos: session.hostNanos)
            }
        }
        if let e = runError { throw e }
        return Outcome(stats: session.stats, status: analysis.status, recording: record)
    }
}
