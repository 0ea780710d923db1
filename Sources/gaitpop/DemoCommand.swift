import ArgumentParser
import Foundation
import Pipeline
import Recording
import SensorDevice
import Simulation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Zero-hardware first run: virtual sensor → live recording → inspection.",
        discussion: """
            Starts the virtual sensor on a pseudo-terminal, records from it through the same device session a USB
            sensor uses (with a pain-button press), then prints what the recording holds.
            """)

    @Option(help: "Seconds to record.") var duration = 8.0
    @Option(help: "Folder for the demo's files.") var dir = "gaitpop-demo"

    func run() throws {
        try runReportingErrors {
            StopSignal.install()
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let out = (dir as NSString).appendingPathComponent("demo.gpsession")
            let sensor = try PseudoTerminalSensor(firmware: VirtualFirmware(source: StillSource(seed: 7)))
            sensor.start()
            defer { sensor.stop() }
            print("virtual sensor on \(sensor.devicePath)")
            var pressed = false
            let summary = try Recorder.record(
                path: sensor.devicePath, out: out, options: DeviceSession.Options(), duration: duration,
                note: "gaitpop demo", progress: stdoutIsTerminal,
                during: { _, t in
                    if !pressed && t >= duration / 2 { sensor.pressMarker(.pain); pressed = true }
                })
            print(summary)
            print("")
            print(try SessionSummary.read(path: out).text)
            print("")
            print("recording: \(out)   (look again with: gaitpop inspect \(out))")
        }
    }
}
