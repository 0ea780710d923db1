import ArgumentParser
import Foundation
import Pipeline
import Recording
import SensorDevice
import SensorProtocol

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a session from a sensor, losslessly, surviving unplug and replug.",
        discussion: """
            Every byte from the sensor is kept (Firmware-Protocol/ frames, as received), with host-time index
            entries each second. If the sensor is unplugged the recording waits and carries on when it returns,
            even under a new port name. Ctrl-C stops cleanly. A killed recording is still readable up to its
            last quarter second (bytes are written every 250 ms; 7 SIGKILLs lost 0–0.22 s each).
            --port takes a serial port or pseudo-terminal only; an existing --out is replaced only with --force.

            Examples:
              gaitpop record --port auto --out walk.gpsession
              gaitpop record --port /dev/ttyACM0 --out walk.gpsession --duration 600 --note "left knee sore"
            """)

    @Option(help: "Serial port path, or 'auto' for the single attached sensor.") var port: String
    @Option(help: "Output file (.gpsession).") var out: String
    @Option(help: "Stop after this many seconds (default: until Ctrl-C).") var duration: Double?
    @Option(help: "A note stored in the file header.") var note: String?
    @Option(help: "Baud rate for UART sensors (ignored on USB).") var baud = 921_600
    @Option(help: "Give up when the sensor stays away this many seconds (default: wait until stopped).")
    var reconnectTimeout: Double?
    @Flag(help: "Stop at the first disconnect instead of waiting for the sensor.") var noReconnect = false
    @Flag(help: "Replace an existing file at --out.") var force = false

    func validate() throws {
        try FlagCheck.positive(duration, "--duration", max: 31 * 86_400, unit: "s")
        try FlagCheck.number(reconnectTimeout, "--reconnect-timeout", 0...31 * 86_400, unit: "s")
        try FlagCheck.integer(baud, "--baud", FlagCheck.baudRange)
        try FlagCheck.port(port)
        if out.isEmpty { throw UserError("--out needs a file name") }
        try OutputFile.check(path: out, kind: .recording, inputs: port == "auto" ? [] : [port], force: force)
    }

    func run() throws {
        try runReportingErrors {
            StopSignal.install()
            let path = port == "auto" ? try PortDiscovery.auto(baudRate: baud) : port
            var o = DeviceSession.Options()
            o.baudRate = baud
            o.reconnect = !noReconnect
            o.reconnectTimeoutSeconds = reconnectTimeout
            let summary = try Recorder.record(path: path, out: out, options: o, duration: duration, note: note,
                                              progress: stdoutIsTerminal && out != OutputFile.stdoutPath, force: force)
            // With --out - the recording is on standard output: words go to stderr.
            if out == OutputFile.stdoutPath { printErr(summary) } else { print(summary) }
        }
    }
}

/// The record loop shared by `record` and `demo`.
enum Recorder {
    /// Records until `duration` or Ctrl-C; returns a one-line summary.
    static func record(path: String, out: String, options: DeviceSession.Options, duration: Double?, note: String?,
                       progress: Bool, force: Bool = false,
                       during: ((DeviceSession, Double) -> Void)? = nil) throws -> String {
        let session = DeviceSession(path: path, options: options)
        let info = try session.connect()
        try OutputFile.prepareDirect(path: out, inputs: [path], force: force)
        let header = SessionHeader(software: "gaitpop \(Gaitpop.version)", device: info, source: path, notes: note)
        let writer = try SessionWriter(path: OutputFile.openablePath(out), header: header)
        let recorder = RecordingSink(writer: writer)
        let line = ProgressLine(enabled: progress)
        let sink = FanoutSink([recorder, line])
        if progress {
            print("recording \(info.model) \(info.serialNumber) on \(path) → \(out) (Ctrl-C stops)")
        }
        var runError: Error?
        do {
            try session.run(sink: sink) {
                let t = Double(session.hostNanos) / 1e9
                during?(session, t)
                return StopSignal.requested || (duration.map { t >= $0 } ?? false)
            }
        } catch {
            runError = error
        }
        line.finish()
        let stats = session.stats
        // Finalise whatever happened: a disk error leaves the file as the writer cut it back.
        if runError == nil || !(runError is RecordingError) {
            try? recorder.finish(stats: stats, hostNanos: session.hostNanos)
        } else {
            writer.close()
        }
        if let e = runError { throw e }
        let s = stats.streams
        return String(format: "recorded %.1f s to %@: %d frames, %d IMU + %d audio samples, %d markers, "
                      + "%d CRC errors, %d frames lost, %d samples dropped, %d reconnects",
                      stats.elapsedSeconds, out, stats.decoder.frames, s.imuSamples, s.audioSamples, s.markers,
                      stats.decoder.crcErrors, stats.decoder.lostFrames, stats.droppedSamples, stats.reconnects)
    }
}

/// The terminal progress line of `record`: rewritten in place a few times a second; silent when not a terminal.
final class ProgressLine: SessionSink {
    let enabled: Bool
    private var lastPrinted: Int64 = 0
    init(enabled: Bool) { self.enabled = enabled }

    func session(event: SessionEvent, hostNanos: Int64) throws {
        guard enabled else { return }
        switch event {
        case .disconnected(let reason): print("\r\u{1B}[K⚠ sensor lost (\(reason)); reconnecting…")
        case .reconnected(_, let link): print("\r\u{1B}[K✓ reconnected on \(link)")
        case .connected: break
        }
    }

    func session(tick s: LinkStats, hostNanos: Int64) throws {
        guard enabled, hostNanos - lastPrinted >= 250_000_000 else { return }
        lastPrinted = hostNanos
        let state = s.connected ? "" : "  reconnecting…"
        let text = String(format: "\r\u{1B}[K%7.1f s  frames %d  %.1f kB/s  IMU %d  audio %d  crc %d  lost %d  "
                          + "dropped %d  reconnects %d%@",
                          s.elapsedSeconds, s.decoder.frames, s.bytesPerSecond / 1000, s.streams.imuSamples,
                          s.streams.audioSamples, s.decoder.crcErrors, s.decoder.lostFrames, s.droppedSamples,
                          s.reconnects, state)
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func finish() {
        if enabled { print("") }
    }
}
