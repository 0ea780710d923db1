import ArgumentParser
import Foundation
import Pipeline
import Recording
import SensorDevice
import SensorProtocol
import Simulation
#if canImport(Glibc)
import Glibc
#endif

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the virtual hip sensor on a pseudo-terminal, or write a simulated recording.",
        discussion: """
            --pty: opens a pseudo-terminal, prints its path, and behaves like the firmware (GET_INFO, START, STOP,
            CONFIGURE, PING) with a slightly drifting device clock, until --duration ends or Ctrl-C.
            --out F: writes a recording directly, faster than real time.

            Examples:
              gaitpop simulate --pty                 # then: gaitpop record --port <printed path> --out walk.gpsession
              gaitpop simulate --out sim.gpsession --duration 60
            """)

    @Flag(help: "Serve the virtual sensor on a pseudo-terminal.") var pty = false
    @Option(help: "Also make this symlink point at the pseudo-terminal (a stable name).") var link: String?
    @Option(help: "Write a recording here instead (faster than real time).") var out: String?
    @Option(help: "Seconds to run (default: until Ctrl-C with --pty, 60 with --out).") var duration: Double?
    @Option(help: "Random seed: the same seed gives the same bytes.") var seed: UInt64 = 1
    @Option(help: "Device clock error against the host, ppm.") var driftPpm = 20.0
    @Option(help: "Press the wearer's pain button every this many seconds (0 = never).") var markerEvery = 0.0

    func validate() throws {
        if pty == (out != nil) { throw ValidationError("give exactly one of --pty or --out FILE") }
        if let d = duration, d <= 0 { throw ValidationError("--duration must be positive") }
    }

    func run() throws {
        try runReportingErrors {
            StopSignal.install()
            let firmware = VirtualFirmware(source: StillSource(seed: seed), clockDriftPPM: driftPpm)
            if let out {
                let d = duration ?? 60
                try SimulatedRecording.write(firmware: firmware, to: out, durationSeconds: d,
                                             markerEverySeconds: markerEvery, provenance: ["seed": "\(seed)"])
                print(String(format: "wrote %.1f s of simulated sensor data to %@", d, out))
                return
            }
            let sensor = try PseudoTerminalSensor(firmware: firmware, linkPath: link)
            sensor.start()
            print(sensor.devicePath)
            fflush(stdout)
            if stdoutIsTerminal {
                printErr("virtual sensor running; in another terminal: gaitpop record --port \(sensor.devicePath) "
                         + "--out walk.gpsession   (Ctrl-C stops)")
            }
            let began = Date()
            var nextMarker = markerEvery
            while !StopSignal.requested {
                let t = Date().timeIntervalSince(began)
                if let d = duration, t >= d { break }
                if markerEvery > 0 && t >= nextMarker {
                    sensor.pressMarker(.pain)
                    nextMarker += markerEvery
                }
                usleep(20_000)
            }
            sensor.stop()
        }
    }
}
