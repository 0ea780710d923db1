import Analysis
import ArgumentParser
import Foundation
import LiveView
import Pipeline
import Recording
import SensorDevice
import Simulation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Zero-hardware first run: the virtual sensor, a live walk with a few pops, the recording and report.",
        discussion: """
            Starts the virtual sensor on a pseudo-terminal, runs `live` on it for a short walk (through the same
            serial link, decoder, gait engine and pop detector a USB sensor uses), then writes the recording and the
            per-walk report (HTML and JSON) and says where they are.
            """)

    @Option(help: "Seconds of the walk to stream.") var duration = 32.0
    @Option(help: "Folder for the demo's files.") var dir = "gaitpop-demo"
    @Option(help: "Playback of the virtual walk: 1 = real time; higher is faster.") var speed = 1.0

    func validate() throws {
        try FlagCheck.number(duration, "--duration", 8...86_400, unit: "s")
        try FlagCheck.number(speed, "--speed", 0.01...10)
        if duration < 8 { throw UserError("--duration must be at least 8 s (the walk starts after 5 s)") }
        if speed <= 0 || speed > 10 { throw UserError("--speed must be in (0, 10]") }
    }

    func run() throws {
        try runReportingErrors {
            StopSignal.install()
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let rec = (dir as NSString).appendingPathComponent("demo-walk.gpsession")
            let html = (dir as NSString).appendingPathComponent("demo-walk.report.html")
            let json = (dir as NSString).appendingPathComponent("demo-walk.report.json")
            var sc = Scenario.preset("demo")!
            sc.durationSeconds = max(sc.durationSeconds, duration + 5)
            let firmware = VirtualFirmware(scenario: sc, seed: 2026)
            let sensor = try PseudoTerminalSensor(firmware: firmware, timeScale: speed)
            sensor.start()
            defer { sensor.stop() }
            let terminal = stdoutIsTerminal
            if !terminal {
                print("gaitpop demo: virtual sensor on \(sensor.devicePath); streaming a \(Int(duration)) s walk …")
            }
            let style = TerminalStyle.detect(isTerminal: terminal)
            var settings = LiveLoop.Settings(path: sensor.devicePath, record: rec,
                                             mode: terminal && style.redraw ? .dashboard : .plain, style: style,
                                             duration: duration / speed, options: DeviceSession.Options(),
                                             title: "gaitpop demo — virtual sensor on \(sensor.devicePath)",
                                             software: "gaitpop \(Gaitpop.version)")
            settings.overwriteRecording = true // the demo's own file, remade each run
            let outcome = try LiveLoop.run(settings, stopRequested: { StopSignal.requested })
            let report = try WalkAnalysis.analyze(path: rec, software: "gaitpop \(Gaitpop.version)")
            try OutputFile.write(Data(ReportHTML.render(report).utf8), to: html, inputs: [rec])
            try OutputFile.write(try ReportJSON.encode(report), to: json, inputs: [rec])
            print("")
            print(ReportMarkdown.render(report))
            print("")
            print(String(format: "streamed %.0f s: %d frames, %d CRC errors, %d steps, %d pops", outcome.stats.elapsedSeconds,
                         outcome.stats.decoder.frames, outcome.stats.decoder.crcErrors, outcome.status.steps,
                         outcome.status.popsByKind.values.reduce(0, +)))
            print("recording:   \(rec)   (gaitpop inspect / replay / export it)")
            print("report:      \(html)   (open it in a browser)")
            print("report JSON: \(json)")
        }
    }
}
