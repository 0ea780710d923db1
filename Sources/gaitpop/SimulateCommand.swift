import Analysis
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
        abstract: "The virtual hip sensor: a person walking, on a pseudo-terminal or straight into a recording.",
        discussion: """
            The walker has bouts and pauses, cadence and step-to-step variability, left/right asymmetry, heel-strike
            transients, turns, pelvic tilt and its oscillation, sensor noise, and a contact microphone with body
            noise, rustle, mains hum, heel thumps and scheduled pops (cavitation, snap, grind). A fixed --seed gives
            identical bytes. --truth writes the exact ground truth (docs/TRUTH-FORMAT.md).

            Scenarios: \(Scenario.presetNames.joined(separator: ", ")), or a JSON file with the fields of
            `gaitpop simulate --print-scenario healthy`.

            Examples:
              gaitpop simulate --pty                          # then: gaitpop record --port <printed path> --out w.gpsession
              gaitpop simulate --scenario grinding --out g.gpsession --truth g.truth.json
              gaitpop simulate --scenario my-walk.json --mount 180,0,90 --tilt 10 --out w.gpsession
              gaitpop simulate --scenario snapping-tendon --acoustic-family heldout --seed 7 --out h.gpsession --truth h.json
            """)

    @Flag(help: "Serve the virtual sensor on a pseudo-terminal, in real time.") var pty = false
    @Option(help: "Also make this symlink point at the pseudo-terminal (a stable name).") var link: String?
    @Option(help: "Write a recording here instead (faster than real time).") var out: String?
    @Option(help: "Write the ground truth JSON here.") var truth: String?
    @Option(help: "A preset name or a scenario JSON file.") var scenario = "healthy"
    @Option(help: "Seconds to simulate (default: the scenario's; with --pty also until Ctrl-C).") var duration: Double?
    @Option(help: "Random seed: the same seed gives the same bytes.") var seed: UInt64 = 1
    @Option(help: "With --out: the recording's start time, ISO 8601 UTC (default 2000-01-01T00:00:00Z, fixed so files repeat).") var startedUtc: String?
    @Option(help: "Sensor mounting as roll,pitch,yaw degrees (e.g. 180,0,90 = upside down, turned).") var mount: String?
    @Option(help: "Mean anterior pelvic tilt while walking, degrees from neutral.") var tilt: Double?
    @Option(help: "Peak-to-peak pelvic tilt oscillation within a stride, degrees.") var tiltRom: Double?
    @Option(help: "Device clock error against the host, ppm.") var driftPpm: Double?
    @Option(help: "IMU rate, Hz (25–1000).") var imuRate: Int?
    @Option(help: "Microphone rate, Hz (8000–48000).") var audioRate: Int?
    @Flag(help: "No gyroscope (accelerometer only).") var noGyro = false
    @Option(help: "With --pty: press the pain button every this many seconds (0 = never).") var markerEvery = 0.0
    @Option(help: "Print a preset's scenario JSON (a template for your own) and exit.") var printScenario: String?
    @Option(help: ArgumentHelp("Randomise the microphone's physics per walk from this family of ranges.",
                               discussion: "tuning: the ranges thresholds are chosen on; heldout: wider ranges and "
                                   + "other seeds, never tuned on (docs/POPS-VALIDATION.md).",
                               valueName: "tuning|heldout"))
    var acousticFamily: String?
    @Option(help: "Seed of the acoustic draw (default: --seed).") var acousticSeed: UInt64?

    @Flag(help: "Replace an existing recording at --out.") var force = false

    func validate() throws {
        if printScenario != nil { return }
        if pty == (out != nil) { throw UserError("give exactly one of --pty or --out FILE") }
        if truth != nil && out == nil { throw UserError("--truth goes with --out") }
        if let d = duration, !(d.isFinite && d > 0 && d <= 86_400) { throw UserError("--duration must be 0–86400 s") }
        if let d = driftPpm, !(d.isFinite && abs(d) <= 10_000) { throw UserError("--drift-ppm must be within ±10000") }
        if let t = tilt, !(t.isFinite && abs(t) <= 45) { throw UserError("--tilt must be within ±45°") }
        if let t = tiltRom, !(t.isFinite && t >= 0 && t <= 30) { throw UserError("--tilt-rom must be 0–30°") }
        if let r = imuRate, !(25...1000).contains(r) { throw UserError("--imu-rate must be 25–1000 Hz") }
        if let r = audioRate, !(8000...48000).contains(r) { throw UserError("--audio-rate must be 8000–48000 Hz") }
        if let m = mount, parseMount(m) == nil {
            throw UserError("--mount takes roll,pitch,yaw in degrees, each from -360 to 360")
        }
        try FlagCheck.number(markerEvery, "--marker-every", 0...86_400, unit: "s")
        if let f = acousticFamily, AcousticFamily.named(f) == nil {
            throw UserError("--acoustic-family must be tuning or heldout")
        }
        if acousticSeed != nil && acousticFamily == nil { throw UserError("--acoustic-seed goes with --acoustic-family") }
        if let out { try OutputFile.check(path: out, kind: .recording, force: force) }
        if let truth { try OutputFile.check(path: truth, kind: .derived, inputs: out.map { [$0] } ?? []) }
        if let out, let truth, out == truth { throw UserError("--truth and --out must be different files") }
        if let link {
            // The link is replaced on start and removed on stop: only ever an old symlink, never a file.
            var st = stat()
            if lstat(link, &st) == 0, (st.st_mode & S_IFMT) != S_IFLNK {
                throw UserError("--link \(link) exists and is not a symlink; choose a new name (it would be replaced)")
            }
        }
    }

    func parseMount(_ s: String) -> Scenario.Mount? {
        let p = s.split(separator: ",", omittingEmptySubsequences: false)
            .compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        return p.count == 3 && p.allSatisfy({ $0.isFinite && abs($0) <= 360 }) ? Scenario.Mount(rollDeg: p[0], pitchDeg: p[1], yawDeg: p[2]) : nil
    }

    func loadScenario() throws -> Scenario {
        var sc: Scenario
        if let p = Scenario.preset(scenario) {
            sc = p
        } else if FileManager.default.fileExists(atPath: scenario) {
            do {
                sc = try ConfigLoader.load(Scenario.self, path: scenario, defaults: Scenario(), what: "scenario file")
            } catch let e as ConfigLoader.LoadError {
                throw UserError(e.description)
            }
        } else {
            throw UserError("no scenario '\(scenario)': use one of \(Scenario.presetNames.joined(separator: ", ")) "
                            + "or a JSON file")
        }
        if let d = duration { sc.durationSeconds = d }
        if let f = acousticFamily.flatMap(AcousticFamily.named) { sc = sc.applying(f.draw(seed: acousticSeed ?? seed)) }
        if let m = mount.flatMap(parseMount) { sc.mount = m }
        if let t = tilt { sc.tilt.walkingDeg = t }
        if let r = tiltRom { sc.tilt.romDeg = r }
        if let d = driftPpm { sc.clockDriftPPM = d }
        if let r = imuRate { sc.imuRateHz = r }
        if let r = audioRate { sc.audioRateHz = r }
        if noGyro { sc.gyroscope = false }
        // A scenario file is input too: check what the flags check.
        guard sc.durationSeconds.isFinite, sc.durationSeconds > 0, sc.durationSeconds <= 86_400 else {
            throw UserError("scenario duration must be 0–86400 s")
        }
        guard (25...1000).contains(sc.imuRateHz), (8000...48000).contains(sc.audioRateHz) else {
            throw UserError("scenario rates out of range: IMU 25–1000 Hz, audio 8000–48000 Hz")
        }
        guard sc.clockDriftPPM.isFinite, abs(sc.clockDriftPPM) <= 10_000 else { throw UserError("scenario clock drift must be within ±10000 ppm") }
        return sc
    }

    func run() throws {
        try runReportingErrors {
            if let name = printScenario {
                guard let sc = Scenario.preset(name) else { throw UserError("no preset '\(name)'") }
                print(configJSONString(sc))
                return
            }
            StopSignal.install()
            var sc = try loadScenario()
            if let out {
                // Both files are written beside their names and renamed into place only when complete.
                let recording = try OutputFile(path: out, kind: .recording, force: force)
                let truthFile = try truth.map { try OutputFile(path: $0, kind: .derived, inputs: [out]) }
                let start = try startedUtc.map { s in
                    do { return try SessionImporter.checkedUTC(s) } catch { throw UserError("--started-utc: \(error)") }
                } ?? SimulatedRecording.fixedStartUTC
                try SimulatedRecording.write(scenario: sc, seed: seed, to: recording.temporaryPath,
                                             truthPath: truthFile?.temporaryPath, startedUTC: start) { StopSignal.requested }
                try truthFile?.commit()
                try recording.commit()
                let done = String(format: "wrote %.1f s of the '%@' walker to %@", sc.durationSeconds, sc.name, out)
                    + (truth.map { " (truth: \($0))" } ?? "")
                // With `-` (standard output) the data is there: words go to stderr.
                if [out, truth].contains(OutputFile.stdoutPath) { printErr(done) } else { print(done) }
                return
            }
            if duration == nil { sc.durationSeconds = max(sc.durationSeconds, 7200) } // walk on until stopped
            let sensor = try PseudoTerminalSensor(firmware: VirtualFirmware(scenario: sc, seed: seed), linkPath: link)
            sensor.start()
            print(sensor.devicePath)
            flushStandardOutput()
            if stdoutIsTerminal {
                printErr("virtual sensor (\(sc.name)) running; in another terminal: gaitpop record --port "
                         + "\(sensor.devicePath) --out walk.gpsession   (Ctrl-C stops)")
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
