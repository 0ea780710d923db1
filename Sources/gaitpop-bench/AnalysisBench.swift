import Analysis
import ArgumentParser
import Foundation
import Gait
import Pipeline
import PopEvents
import Recording
import SensorProtocol
import Simulation

/// Peak resident memory of this process (kB), from /proc/self/status.
func peakRSSMegabytes() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Double(line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0) / 1024
    }
    return 0
}

/// CPU seconds used by this process so far.
func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue == 0 ? 0 : 0, &u) // RUSAGE_SELF = 0
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}

/// A long walk for speed tests: the `healthy` walker repeated to `minutes`, at `imuRate`.
func longWalk(minutes: Double, imuRate: Int = 100, audioRate: Int = 16000) -> Scenario {
    var sc = Scenario.preset("snapping-tendon")!
    sc.imuRateHz = imuRate
    sc.audioRateHz = audioRate
    sc.durationSeconds = minutes * 60
    var segs: [Scenario.Segment] = []
    var t = 0.0
    while t < sc.durationSeconds {
        segs.append(.init(.stand, seconds: 10))
        segs.append(.init(.walk, seconds: 110, cadence: 100 + Double(segs.count % 20), turns: [.init(atSeconds: 55, degrees: 180, seconds: 2.2)]))
        t += 120
    }
    sc.segments = segs
    return sc
}

/// The walker's IMU in g and deg/s, generated directly (no audio, no protocol): the gait engine's input.
func walkerIMU(_ walker: WalkerSource, samples n: Int) -> (ContiguousArray<Float>, ContiguousArray<Float>) {
    var acc = ContiguousArray<Float>(), gyro = ContiguousArray<Float>()
    acc.reserveCapacity(3 * n); gyro.reserveCapacity(3 * n)
    var block: [Int16] = []
    var i = 0
    while i < n {
        let k = min(1000, n - i)
        walker.imu(firstIndex: i, count: k, channels: 6, into: &block)
        for s in 0..<k {
            for c in 0..<3 { acc.append(Float(block[6 * s + c]) * 8 / 32768) }
            for c in 3..<6 { gyro.append(Float(block[6 * s + c]) * 1000 / 32768) }
        }
        i += k
    }
    return (acc, gyro)
}

struct GaitBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gait",
        abstract: "Gait engine speed: batch (goal ≥ 20,000× real time at 100 Hz) and streaming at 400 Hz (goal < 1 % of a core).")

    @Option(help: "Minutes of simulated walking.") var minutes = 60.0
    @Option(help: "Timed runs.") var runs = 5

    func run() throws {
        let sc = longWalk(minutes: minutes)
        let n = Int(minutes * 60 * 100)
        let (acc, gyro) = walkerIMU(WalkerSource(scenario: sc, seed: 1), samples: n)
        let series = IMUSeries(startSeconds: 0, rateHz: 100, accG: acc, gyroDps: gyro)
        let seconds = minutes * 60
        var times: [Double] = []
        var baseTimes: [Double] = []
        var steps = 0
        var sink = 0.0
        for _ in 0..<runs {
            // Baseline, timed next to each run (the machine is shared and its load changes from second to second):
            // the least whole-recording work any gait analysis does — a first-order low-pass over each axis of the
            // acceleration into a Double array — done 8 times (one pass is too short to time). The ratio to it tells
            // engine changes apart from machine load.
            var tb = nowSeconds()
            var out = ContiguousArray<Double>(repeating: 0, count: 3 * n)
            for pass in 0..<8 {
                acc.withUnsafeBufferPointer { a in
                    out.withUnsafeMutableBufferPointer { o in
                        var x = Double(pass), y = 0.0, z = 0.0
                        for i in 0..<n {
                            x += 0.01 * (Double(a[3 * i]) - x); y += 0.01 * (Double(a[3 * i + 1]) - y)
                            z += 0.01 * (Double(a[3 * i + 2]) - z)
                            o[3 * i] = x; o[3 * i + 1] = y; o[3 * i + 2] = z
                        }
                    }
                }
                sink += out[3 * n - 3] + out[3 * n - 2] + out[3 * n - 1]
            }
            baseTimes.append(nowSeconds() - tb)
            tb = nowSeconds()
            let r = BatchGaitAnalyzer().analyze(series)
            times.append(nowSeconds() - tb)
            steps = r.steps.count
        }
        let med = median(times), baseMed = median(baseTimes)
        print(String(format: "batch gait, %.0f min at 100 Hz (%d samples, %d steps): median %.3f s of %d runs → %.0f× real time (goal ≥ 20,000×)",
                     minutes, n, steps, med, runs, seconds / med))
        precondition(sink.isFinite, "baseline output")
        print(String(format: "  baseline (8 low-pass passes over the 3 acceleration axes), timed beside each run: median %.4f s → "
                     + "batch/baseline %.2f× (engine cost apart from machine load; lower is better)",
                     baseMed, med / baseMed))

        // Streaming at 400 Hz: CPU share of one core while keeping up with real time.
        var sc4 = sc
        sc4.imuRateHz = 400
        sc4.durationSeconds = min(seconds, 600)
        let n4 = Int(sc4.durationSeconds * 400)
        let (a4, g4) = walkerIMU(WalkerSource(scenario: sc4, seed: 2), samples: n4)
        var stimes: [Double] = []
        for _ in 0..<runs {
            let g = StreamingGaitAnalyzer(rateHz: 400)
            let t0 = nowSeconds()
            a4.withUnsafeBufferPointer { a in
                g4.withUnsafeBufferPointer { w in
                    var j = 0
                    while j < n4 {
                        let k = min(40, n4 - j) // 100 ms blocks, as a sensor sends them
                        _ = g.process(startSeconds: Double(j) / 400, accG: UnsafeBufferPointer(rebasing: a[(3 * j)..<(3 * (j + k))]),
                                      gyroDps: UnsafeBufferPointer(rebasing: w[(3 * j)..<(3 * (j + k))]), count: k)
                        j += k
                    }
                }
            }
            stimes.append(nowSeconds() - t0)
        }
        let share = median(stimes) / sc4.durationSeconds * 100
        print(String(format: "streaming gait at 400 Hz in 40-sample blocks, %.0f s of data: median %.3f s → %.3f %% of one core (goal < 1 %%)",
                     sc4.durationSeconds, median(stimes), share))
    }
}

struct PopBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pops",
        abstract: "Pop detector speed on 16 kHz audio (goal ≥ 1,500× real time, memory flat).",
        discussion: """
        Also times a baseline in the same run: the detection band's 8th-order Butterworth high-pass alone over the \
        same audio (the least per-sample work any detector here does). The ratio detector / baseline does not move \
        with the load of a shared machine the way the wall time does.
        """)

    @Option(help: "Minutes of simulated audio.") var minutes = 10.0
    @Option(help: "Timed runs.") var runs = 3
    @Option(help: "PopConfig JSON over the defaults (to time a variant).") var popConfig: String?

    func run() throws {
        let sc = longWalk(minutes: minutes)
        let walker = WalkerSource(scenario: sc, seed: 3)
        let n = Int(minutes * 60 * 16000)
        var audio = ContiguousArray<Float>()
        audio.reserveCapacity(n)
        var block: [Int16] = []
        var i = 0
        while i < n {
            let k = min(16000, n - i)
            walker.audio(firstIndex: i, count: k, into: &block)
            for v in block { audio.append(Float(v) / 32768) }
            i += k
        }
        let contacts = walker.schedule.steps.map(\.icSeconds)
        let config = try popConfig.map { try ConfigLoader.load(PopConfig.self, path: $0, defaults: PopConfig(),
                                                               what: "pop config") } ?? PopConfig()
        var times: [Double] = []
        var baseTimes: [Double] = []
        var found = 0
        var historyBytes = 0
        var notched: [Double] = []
        var sink = 0.0
        for _ in 0..<runs {
            // Baseline: the 8th-order high-pass alone, per sample, in the same 10 ms blocks.
            var hp = (0..<4).map { k in
                BenchBiquad.highPass(cutoffHz: 300, sampleRateHz: 16000, q: 1 / (2 * sin(Double(2 * k + 1) * .pi / 16)))
            }
            let b0 = nowSeconds()
            audio.withUnsafeBufferPointer { a in
                var acc = 0.0
                for v in a {
                    var y = Double(v)
                    for s in 0..<4 { y = hp[s].step(y) }
                    acc += y * y
                }
                sink += acc
            }
            baseTimes.append(nowSeconds() - b0)
            let d = PopDetector(sampleRateHz: 16000, config: config)
            d.noteContacts(contacts)
            let t0 = nowSeconds()
            var count = 0
            audio.withUnsafeBufferPointer { a in
                var j = 0
                while j < n {
                    let k = min(160, n - j)
                    count += d.process(UnsafeBufferPointer(rebasing: a[j..<(j + k)]), startSeconds: Double(j) / 16000).count
                    j += k
                }
            }
            count += d.finish().count
            times.append(nowSeconds() - t0)
            found = count
            historyBytes = d.historyBytes
            notched = d.notchedHz
        }
        let secs = minutes * 60
        print(String(format: "pop detector, %.0f min of 16 kHz audio in 10 ms blocks (%d events): median %.2f s → %.0f× real time (goal ≥ 1,500×); detector history buffer %d bytes (fixed)",
                     minutes, found, median(times), secs / median(times), historyBytes))
        print(String(format: "baseline (8th-order high-pass alone, same run): median %.3f s → %.0f× real time; detector / baseline time %.1f×%@",
                     median(baseTimes), secs / median(baseTimes), median(times) / median(baseTimes),
                     sink.isNaN ? " (NaN)" : ""))
        // The mains notches the start-up probe chose run on every sample: part of the cost measured above.
        print("mains notches on the detection band: \(notched.isEmpty ? "none" : notched.map { String(format: "%.0f Hz", $0) }.joined(separator: ", "))")
    }
}

struct ReportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "One-hour recording (100 Hz IMU + 16 kHz audio): report wall time and peak memory (goal ≤ 3 s, ≤ 150 MB); replay --speed max (goal ≥ 1,000× real time).")

    @Option(help: "Minutes of the recording.") var minutes = 60.0
    @Option(help: "Where to write the recording.") var path = "/tmp/gaitpop-bench-hour.gpsession"
    @Option(help: "Timed report runs (median printed, each beside a baseline run).") var runs = 1
    @Flag(help: "Skip the replay --speed max measurement.") var noReplay = false

    /// Baseline timed beside each report run (the machine is shared; its load changes from second to second): a
    /// fixed single-threaded arithmetic load, the 8th-order high-pass over 600 s of 16 kHz noise. The ratio
    /// report / baseline tells code changes apart from machine load better than the wall time.
    static func baselineSeconds() -> Double {
        var f = (BenchBiquad.highPass(cutoffHz: 300, sampleRateHz: 16000, q: 0.54),
                 BenchBiquad.highPass(cutoffHz: 300, sampleRateHz: 16000, q: 0.63),
                 BenchBiquad.highPass(cutoffHz: 300, sampleRateHz: 16000, q: 0.90),
                 BenchBiquad.highPass(cutoffHz: 300, sampleRateHz: 16000, q: 2.56))
        var x: UInt32 = 1, sink = 0.0
        let t0 = nowSeconds()
        for _ in 0..<(600 * 16000) {
            x = x &* 1_664_525 &+ 1_013_904_223
            let v = Double(Int32(bitPattern: x)) / 2_147_483_648
            sink += f.3.step(f.2.step(f.1.step(f.0.step(v))))
        }
        precondition(sink.isFinite)
        return nowSeconds() - t0
    }

    func run() throws {
        if !FileManager.default.fileExists(atPath: path) {
            let t0 = nowSeconds()
            try SimulatedRecording.write(scenario: longWalk(minutes: minutes), seed: 4, to: path)
            print(String(format: "made a %.0f-minute recording in %.1f s: %@", minutes, nowSeconds() - t0, path))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        // Where the time goes: the IMU pass alone (decode + samples + batch gait).
        let tl = nowSeconds()
        let loaded = try LoadedRecording.load(path: path)
        let tLoad = nowSeconds() - tl
        let tg = nowSeconds()
        _ = BatchGaitAnalyzer().analyze(loaded.imu!)
        print(String(format: "  breakdown: IMU pass (decode + samples) %.2f s, batch gait %.2f s", tLoad, nowSeconds() - tg))
        let rssBefore = peakRSSMegabytes()
        var walls: [Double] = [], cpus: [Double] = [], bases: [Double] = []
        var report: WalkReport?
        for _ in 0..<max(1, runs) {
            if runs > 1 { bases.append(Self.baselineSeconds()) }
            let t0 = nowSeconds(), c0 = cpuSeconds()
            report = try WalkAnalysis.analyze(path: path, software: "bench")
            walls.append(nowSeconds() - t0)
            cpus.append(cpuSeconds() - c0)
        }
        let r = report!
        let wall = median(walls), cpu = median(cpus)
        print(String(format: "report of %@ (%.0f MB, %.0f s): %.2f s wall, %.2f s CPU, peak RSS %.0f MB (before: %.0f MB); %d steps, %d pops (goal ≤ 3 s, ≤ 150 MB)",
                     path, Double(size) / 1e6, r.session.durationSeconds, wall, cpu, peakRSSMegabytes(), rssBefore,
                     r.steps.count, r.pops.count))
        if runs > 1 {
            print(String(format: "  median of %d runs (wall %@ s); baseline (8th-order high-pass, 600 s at 16 kHz, one core) "
                         + "beside each: median %.3f s → report/baseline %.1f× wall, %.1f× CPU (lower is better)",
                         walls.count, walls.map { String(format: "%.2f", $0) }.joined(separator: "/"), median(bases),
                         wall / median(bases), cpu / median(bases)))
        }
        guard !noReplay else { return }
        let a = StreamingAnalysis()
        var events = 0
        a.onEvent = { _ in events += 1 }
        let t1 = nowSeconds()
        try RecordingPlayer(path: path, analysis: a).play(speed: nil)
        let rw = nowSeconds() - t1
        print(String(format: "replay --speed max of the same: %.2f s → %.0f× real time (goal ≥ 1,000×), %d events",
                     rw, r.session.durationSeconds / rw, events))
    }
}

/// A biquad high-pass (RBJ cookbook) for the pop benchmark's baseline (PopEvents' own filters are internal).
struct BenchBiquad {
    var b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0, z1 = 0.0, z2 = 0.0

    @inline(__always) mutating func step(_ x: Double) -> Double {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }

    static func highPass(cutoffHz: Double, sampleRateHz fs: Double, q: Double) -> BenchBiquad {
        let w = 2 * Double.pi * cutoffHz / fs, c = cos(w), alpha = sin(w) / (2 * q), a0 = 1 + alpha
        return BenchBiquad(b0: (1 + c) / 2 / a0, b1: -(1 + c) / a0, b2: (1 + c) / 2 / a0, a1: -2 * c / a0,
                           a2: (1 - alpha) / a0)
    }
}
