import ArgumentParser
import Foundation
import Recording
import SensorProtocol

/// Peak memory of `report`, `replay` and `export` on long recordings: the goal is flat memory (a 7-day IMU
/// recording, and 24 h of IMU + 16 kHz audio, under 500 MB each).
struct MemoryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Peak RSS of report, replay and export on generated multi-hour recordings.",
        discussion: """
            Writes synthetic recordings with the project's own writer and frame encoder (100 Hz 6-axis IMU,
            5 min of walking-like motion every 30 min; optionally 16 kHz audio), then runs the release `gaitpop`
            next to this benchmark on each as a child process and reads its peak resident memory (getrusage).
            The shortest recording is the baseline: flat memory means the longest costs about the same.

            Examples:
              gaitpop-bench memory --hours 1 --hours 24 --hours 168
              gaitpop-bench memory --hours 1 --audio-hours 2
            """)

    @Option(help: "IMU-only recordings of these lengths (hours; repeatable).") var hours: [Double] = [1, 8]
    @Option(help: "Also one IMU + 16 kHz audio recording of this many hours (0 = none).") var audioHours = 0.0
    @Option(help: "Commands to measure.") var commands: [String] = ["report", "replay", "export"]
    @Option(help: "Folder for the generated files (default: a temporary folder, removed afterwards).") var dir: String?

    func run() throws {
        let folder = dir ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("gaitpop-memory-\(getpid())")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let gaitpop = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("gaitpop").path
        guard FileManager.default.isExecutableFile(atPath: gaitpop) else {
            throw ValidationError("build gaitpop next to the benchmark first: swift build -c release --product gaitpop")
        }
        var cases = hours.sorted().map { ($0, false) }
        if audioHours > 0 { cases.append((audioHours, true)) }
        print("recording                       file MB  " + commands.map { $0.padding(toLength: 18, withPad: " ", startingAt: 0) }.joined())
        var baseline: [String: Double] = [:]
        for (h, audio) in cases {
            let name = String(format: "%g-h-%@.gpsession", h, audio ? "imu-audio" : "imu")
            let path = (folder as NSString).appendingPathComponent(name)
            let t0 = nowSeconds()
            try Self.writeRecording(path: path, hours: h, audio: audio)
            let genSeconds = nowSeconds() - t0
            let mb = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1e6
            var row = name.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: " %8.0f  ", mb)
            for c in commands {
                let args: [String]
                let out = (folder as NSString).appendingPathComponent("out-\(c)")
                switch c {
                case "report": args = ["report", path, "--json", out + ".json", "--no-history"]
                case "replay": args = ["replay", path, "--speed", "max", "--json"]
                case "export": args = audio ? ["export", path, "--wav", out + ".wav"] : ["export", path, "--csv", out]
                default: throw ValidationError("unknown command \(c): report, replay or export")
                }
                let (rssMB, seconds, status) = try Self.peakRSS(gaitpop, args)
                try? FileManager.default.removeItem(atPath: out + ".json")
                try? FileManager.default.removeItem(atPath: out + ".wav")
                try? FileManager.default.removeItem(atPath: out)
                if !audio && baseline[c] == nil { baseline[c] = rssMB }
                row += String(format: "%6.0f MB %5.0f s%@ ", rssMB, seconds, status == 0 ? " " : "!")
            }
            print(row + String(format: " (generated in %.0f s)", genSeconds))
            try? FileManager.default.removeItem(atPath: path)
        }
        print("goal: every figure under 500 MB whatever the length; baseline = the shortest IMU-only recording: "
              + commands.map { "\($0) \(String(format: "%.0f", baseline[$0] ?? 0)) MB" }.joined(separator: ", "))
    }

    /// Runs `exe args` with stdout to /dev/null; returns its peak resident memory (MB), wall time and status.
    static func peakRSS(_ exe: String, _ args: [String]) throws -> (Double, Double, Int32) {
        // posix_spawn + wait4 (not Foundation's Process, which reaps the child itself): wait4 reports the
        // child's own peak RSS (KiB on Linux).
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([exe] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let t0 = nowSeconds()
        let rc = posix_spawn(&pid, exe, &actions, nil, argv, environ)
        guard rc == 0 else { throw ValidationError("cannot start \(exe): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (Double(usage.ru_maxrss) / 1024, nowSeconds() - t0, exitCode)
    }

    /// A recording as the firmware would send it, written with `SessionWriter`: DEVICE_INFO, then 10-sample
    /// IMU blocks (and 10 ms audio blocks) in time order.
    static func writeRecording(path: String, hours: Double, audio: Bool) throws {
        var info = DeviceInfo()
        info.imuRateHz = 100
        info.accRangeG = 16
        info.gyroRangeDps = 2000
        info.audioRateHz = audio ? 16000 : 0
        info.audioBits = 16
        info.model = "bench"
        let header = SessionHeader(startedUTC: "2026-01-01T00:00:00.000Z", software: "gaitpop-bench", device: info,
                                   source: "bench")
        try? FileManager.default.removeItem(atPath: path)
        let w = try SessionWriter(path: path, header: header)
        try w.appendLinkEvent(LinkEventRecord(event: .connected, link: "bench", device: info), hostNanos: 0)
        var enc = FrameEncoder()
        var wire: [UInt8] = []
        enc.encode(.deviceInfo, payload: info.encoded(), into: &wire)
        let accScale = 32768.0 / 16, gyroScale = 32768.0 / 2000
        let blocks = Int(hours * 3600 * 10) // 10 IMU samples = 100 ms per block
        var imu = [Int16](repeating: 0, count: 60)
        var pcm = [Int16](repeating: 0, count: 160)
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func noise() -> Double {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(bitPattern: rng >> 1) % 2001 - 1000) / 1000
        }
        let base = 1_000_000.0
        for b in 0..<blocks {
            for k in 0..<10 {
                let t = Double(b * 10 + k) / 100
                let walking = t.truncatingRemainder(dividingBy: 1800) < 300
                let f = 1.85
                let v = walking ? 0.25 * sin(2 * .pi * f * t) + 0.08 * sin(4 * .pi * f * t) : 0
                let ap = walking ? 0.15 * sin(2 * .pi * f * t + 1) : 0
                let ml = walking ? 0.1 * sin(.pi * f * t) : 0
                let values = [ml + 0.01 * noise(), 1 + v + 0.01 * noise(), ap + 0.01 * noise(),
                              walking ? 20 * sin(.pi * f * t) : 0.3 * noise(), walking ? 10 * sin(2 * .pi * f * t) : 0.3 * noise(),
                              walking ? 15 * sin(.pi * f * t + 0.5) : 0.3 * noise()]
                for c in 0..<6 {
                    let scale = c < 3 ? accScale : gyroScale
                    imu[6 * k + c] = Int16(max(-32768, min(32767, (values[c] * scale).rounded())))
                }
            }
            let tMicros = base + Double(b) * 100_000
            enc.encode(.imuBlock, payload: IMUBlockHeader.encode(tFirstMicros: UInt64(tMicros),
                                                                 firstIndex: UInt32(truncatingIfNeeded: b * 10),
                                                                 channels: 6, samples: imu), into: &wire)
            if audio {
                for a in 0..<10 {
                    let first = (b * 10 + a) * 160
                    for i in 0..<160 { pcm[i] = Int16(truncatingIfNeeded: Int(noise() * 300) + (first + i) % 7) }
                    enc.encode(.audioBlock, payload: AudioBlockHeader.encode(
                        tFirstMicros: UInt64(tMicros + Double(a) * 10_000), firstIndex: UInt32(truncatingIfNeeded: first),
                        samples: pcm), into: &wire)
                }
            }
            if wire.count > 1 << 15 {
                try w.appendWire(wire, hostNanos: Int64(Double(b) * 1e8))
                wire.removeAll(keepingCapacity: true)
            }
        }
        try w.appendWire(wire, hostNanos: Int64(Double(blocks) * 1e8))
        try w.finish(SessionTrailer(endedUTC: "2026-01-01T00:00:00.000Z", durationSeconds: hours * 3600,
                                    wireBytes: w.wireBytesWritten, decoder: DecoderCounters(), reconnects: 0),
                     hostNanos: Int64(hours * 3600 * 1e9))
    }
}
