import Analysis
import ArgumentParser
import Foundation
import Gait
import Pipeline
import Recording
import SensorDevice
import SensorProtocol

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Find your neutral pelvis posture and your own tilt range (the pelvic-tilt exercise).",
        discussion: """
            Guided, with the sensor on: stand still in your usual posture, then tip the pelvis fully forward
            (arch the lower back), then fully back (tuck the tailbone), then return to neutral. gaitpop measures the
            neutral and both limits, so walking tilt can be shown against your own range. Or compute the same from a
            recording that contains the exercise (--from). Use the result with --calibration on live, replay and
            report.

            Examples:
              gaitpop calibrate --port auto --out my-tilt.json
              gaitpop calibrate --from exercise.gpsession --out my-tilt.json
              gaitpop report walk.gpsession --calibration my-tilt.json
            """)

    @Option(help: "Sensor port (or 'auto') for the guided exercise.") var port: String?
    @Option(help: "A recording that contains the exercise.") var from: String?
    @Option(help: "Where to write the calibration JSON.") var out = "tilt-calibration.json"

    func validate() throws {
        if (port == nil) == (from == nil) { throw UserError("give --port (guided) or --from RECORDING") }
        try FlagCheck.port(port)
        try OutputFile.check(path: out, kind: .derived, inputs: from.map { [$0] } ?? [])
    }

    /// Words for the wearer: on stdout, unless the calibration itself goes there (`--out -`).
    func say(_ text: String) {
        if out == OutputFile.stdoutPath { printErr(text) } else { print(text) }
    }

    func run() throws {
        try runReportingErrors {
            StopSignal.install()
            let series: IMUSeries
            if let from {
                guard let s = try LoadedRecording.load(path: from).imu else { throw UserError("\(from) has no IMU data") }
                series = s
            } else {
                series = try guided(port: port!)
            }
            guard let c = TiltCalibration.fromPelvicTiltExercise(series) else {
                throw UserError("no quiet standing found at the start: stand still for at least 2 s before tilting, then try again")
            }
            try c.save(to: out)
            say("neutral posture found" + (c.anteriorLimitDeg.map { String(format: "; your range: %+.1f° forward", $0) } ?? "")
                  + (c.posteriorLimitDeg.map { String(format: " to %+.1f° back", $0) } ?? "")
                  + (c.anteriorLimitDeg == nil ? " (no tilt movement found: only the neutral is calibrated)" : ""))
            if out != OutputFile.stdoutPath { say("saved \(out); use it with: gaitpop live|replay|report … --calibration \(out)") }
        }
    }

    /// Streams from the sensor while telling the wearer what to do, and returns the IMU it saw.
    func guided(port: String) throws -> IMUSeries {
        let path = port == "auto" ? try PortDiscovery.auto() : port
        let session = DeviceSession(path: path)
        _ = try session.connect()
        final class Collect: SessionSink {
            let asm = SampleAssembler()
            var acc = ContiguousArray<Float>(), gyro = ContiguousArray<Float>()
            var rate = 0.0, start: Double?, hasGyro = false
            init() {
                asm.onIMU = { [unowned self] b in
                    if start == nil { start = b.tSeconds; rate = b.rateHz; hasGyro = b.gyroDps != nil }
                    acc.append(contentsOf: b.accG)
                    if let g = b.gyroDps { gyro.append(contentsOf: g) }
                }
            }
            func session(frame: FrameView, hostNanos: Int64) throws { asm.consume(frame) }
        }
        let c = Collect()
        let steps: [(Double, String)] = [(0, "Stand still in your usual posture…"),
                                         (5, "Now tip your pelvis fully FORWARD (arch your lower back) and hold…"),
                                         (9, "Now tuck it fully BACK (tailbone under) and hold…"),
                                         (13, "Back to neutral and stand still…"), (17, "Done.")]
        var next = 0
        try session.run(sink: c) {
            let t = Double(session.hostNanos) / 1e9
            if next < steps.count, t >= steps[next].0 { say(steps[next].1); flushStandardOutput(); next += 1 }
            return t >= 17.5 || StopSignal.requested
        }
        session.close()
        guard c.rate > 0 else { throw UserError("no IMU data arrived from \(path)") }
        return IMUSeries(startSeconds: c.start ?? 0, rateHz: c.rate, accG: c.acc, gyroDps: c.hasGyro ? c.gyro : nil)
    }
}

extension TiltCalibration {
    /// snake_case keys (`neutral_up_sensor`, `anterior_limit_deg`), as every gaitpop JSON; `-` prints it.
    func save(to path: String) throws {
        try OutputFile.write(try JSONStyle.encode(self), to: path)
    }

    /// Reads the snake_case files of schema 2 and the camelCase files written before (`neutralUpSensor`), so
    /// calibrations people already made keep working.
    static func load(path: String) throws -> TiltCalibration {
        guard let d = FileManager.default.contents(atPath: path),
              let c = try? JSONStyle.decoder().decode(TiltCalibration.self, from: d) else {
            throw UserError("\(path) is not a gaitpop tilt calibration (make one with `gaitpop calibrate`)")
        }
        return c
    }
}
