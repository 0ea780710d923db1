import Analysis
import ArgumentParser
import Foundation
import LiveView
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
    @Flag(help: "Replace an existing file at --record.") var force = false
    @OptionGroup var analysisOptions: AnalysisOptions

    func validate() throws {
        try FlagCheck.positive(duration, "--duration", max: 31 * 86_400, unit: "s")
        try FlagCheck.integer(baud, "--baud", FlagCheck.baudRange)
        try FlagCheck.port(port)
        try OutputFile.refuseStdout(record, flag: "--record", because: "standard output shows the live "
                                    + "output; record with `gaitpop record --out -`, or give a file name")
        if let record { try OutputFile.check(path: record, kind: .recording, inputs: port == "auto" ? [] : [port], force: force) }
    }

    func run() throws {
        try runReportingErrors {
            StopSignal.install()
            let path = port == "auto" ? try PortDiscovery.auto(baudRate: baud) : port
            var o = DeviceSession.Options()
            o.baudRate = baud
            let style = TerminalStyle.detect(isTerminal: stdoutIsTerminal)
            let mode: LiveScreen.Mode = json || !stdoutIsTerminal ? .json : (style.redraw ? .dashboard : .plain)
            var settings = LiveLoop.Settings(path: path, record: record, mode: mode, style: style, duration: duration,
                                             options: o, title: "gaitpop live — \(path)",
                                             software: "gaitpop \(Gaitpop.version)")
            settings.overwriteRecording = force
            let outcome = try LiveLoop.run(settings,
                                           analysis: StreamingAnalysis(gaitConfig: analysisOptions.gaitConfig(),
                                                                       popConfig: analysisOptions.popConfig(),
                                                                       alertConfig: try analysisOptions.alertConfig(),
                                                                       calibration: try analysisOptions.tiltCalibration()),
                                           stopRequested: { StopSignal.requested })
            // The summary goes where it does not mix with JSON lines.
            for line in outcome.summary { mode == .json ? printErr(line) : print(line) }
        }
    }
}
