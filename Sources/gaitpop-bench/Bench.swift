import ArgumentParser
import CMallocCounter
import Foundation
import GPProtoReference
import SensorProtocol

/// Benchmarks: release-built, printing medians and ratios against a baseline measured in the same run, because
/// these machines are noisy. `swift run -c release gaitpop-bench decode`
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaitpop-bench",
        abstract: "gaitpop's speed and memory benchmarks (build with -c release).",
        subcommands: [DecodeBench.self, GaitBench.self, PopBench.self, ReportBench.self, LatencyBench.self,
                      MemoryBench.self])
}

func nowSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

struct DecodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Wire-protocol decode throughput: Swift decoder vs the C reference on the same bytes.",
        discussion: """
            Builds a realistic stream (16 kHz audio in 10 ms blocks, 100 Hz 6-axis IMU in 10-sample blocks,
            STATUS each second), feeds it in 4 KiB chunks as serial reads arrive, and reports the median of
            several runs for the Swift decoder, the firmware's C99 reference decoder and plain memcpy, plus the
            heap allocations the Swift decoder makes per frame in steady state. Goal: ≥ 300 MB/s, 0 allocations.
            """)

    @Option(help: "Size of the wire stream, MiB.") var megabytes = 64
    @Option(help: "Timed runs per decoder.") var runs = 7
    @Option(help: "Bytes per feed call (a serial read).") var chunk = 4096

    func run() throws {
        let stream = makeStream(bytes: megabytes << 20)
        let mb = Double(stream.count) / 1e6
        print("stream: \(stream.count) bytes of wire data, fed in \(chunk)-byte chunks, \(runs) runs each")

        // Swift decoder.
        var swiftFrames = 0
        let decoder = FrameDecoder()
        feedSwift(decoder, stream) { _ in }  // warm-up (first-touch, CRC tables)
        // Prove the counter is live: one array allocation must be seen.
        let probeBefore = gp_malloc_calls()
        let probe = [UInt8](repeating: 1, count: Int.random(in: 1000...2000))
        let probeSeen = gp_malloc_calls() - probeBefore
        precondition(probeSeen >= 1 && probe.count > 0, "allocation counter is not counting")
        let mallocsBefore = gp_malloc_calls()
        let framesBefore = decoder.counters.frames
        feedSwift(decoder, stream) { _ in }
        let mallocs = gp_malloc_calls() - mallocsBefore
        let steadyFrames = decoder.counters.frames - framesBefore
        var swiftTimes: [Double] = []
        for _ in 0..<runs {
            let d = FrameDecoder()
            var n = 0
            let t0 = nowSeconds()
            feedSwift(d, stream) { _ in n += 1 }
            swiftTimes.append(nowSeconds() - t0)
            swiftFrames = n
            precondition(d.counters.resyncs == 0, "benchmark stream must decode cleanly")
        }

        // C reference decoder.
        var cTimes: [Double] = []
        var cFrames = 0
        let cd = UnsafeMutablePointer<gp_decoder>.allocate(capacity: 1)
        defer { cd.deallocate() }
        for _ in 0..<runs {
            gp_decoder_reset(cd)
            let t0 = nowSeconds()
            stream.withUnsafeBufferPointer { b in
                var i = 0
                while i < b.count {
                    let n = min(chunk, b.count - i)
                    _ = gp_decoder_feed(cd, b.baseAddress! + i, n, nil, nil)
                    i += n
                }
            }
            cTimes.append(nowSeconds() - t0)
            cFrames = Int(cd.pointee.counters.frames)
        }

        // memcpy of the same chunks: the ceiling any decoder that touches every byte lives under.
        var copyTimes: [Double] = []
        var sink = [UInt8](repeating: 0, count: chunk)
        for _ in 0..<runs {
            let t0 = nowSeconds()
            stream.withUnsafeBufferPointer { b in
                sink.withUnsafeMutableBufferPointer { s in
                    var i = 0
                    while i < b.count {
                        let n = min(chunk, b.count - i)
                        memcpy(s.baseAddress!, b.baseAddress! + i, n)
                        i += n
                    }
                }
            }
            copyTimes.append(nowSeconds() - t0)
        }
        precondition(swiftFrames == cFrames, "decoders disagree: \(swiftFrames) vs \(cFrames) frames")

        let swiftMBs = mb / median(swiftTimes), cMBs = mb / median(cTimes), copyMBs = mb / median(copyTimes)
        print(String(format: "swift decoder:    %7.0f MB/s  (median of %d; min %.0f, max %.0f)", swiftMBs, runs,
                     mb / swiftTimes.max()!, mb / swiftTimes.min()!))
        print(String(format: "C reference:      %7.0f MB/s  (median of %d)", cMBs, runs))
        print(String(format: "memcpy baseline:  %7.0f MB/s", copyMBs))
        print(String(format: "ratio swift/C:    %7.2f×", swiftMBs / cMBs))
        print(String(format: "frames:           %d per run (%.0f frames/s through the Swift decoder)", swiftFrames,
                     Double(swiftFrames) / median(swiftTimes)))
        print(String(format: "heap allocations: %llu during a steady-state pass of %d frames (%.4f per frame; "
                     + "the counter saw %llu for one test array)",
                     mallocs, steadyFrames, Double(mallocs) / Double(max(steadyFrames, 1)), probeSeen))
        print(swiftMBs >= 300 && mallocs == 0 ? "goal (≥ 300 MB/s, no per-frame allocation): met"
                                              : "goal (≥ 300 MB/s, no per-frame allocation): NOT met")
    }

    func feedSwift(_ d: FrameDecoder, _ stream: [UInt8], _ body: (FrameView) -> Void) {
        stream.withUnsafeBytes { raw in
            var i = 0
            while i < raw.count {
                let n = min(chunk, raw.count - i)
                d.feed(UnsafeRawBufferPointer(rebasing: raw[i..<i + n]), body)
                i += n
            }
        }
    }

    /// A sensor's stream: per 10 ms one audio block; per 100 ms one IMU block; per second one STATUS.
    func makeStream(bytes: Int) -> [UInt8] {
        var enc = FrameEncoder()
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 4096)
        var rng = UInt64(0x1234_5678)
        func noise() -> Int16 {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int16(truncatingIfNeeded: Int64(rng >> 33) % 2000 - 1000)
        }
        var audio = [Int16](repeating: 0, count: 160)
        var imu = [Int16](repeating: 0, count: 60)
        var tick = 0
        while out.count < bytes {
            for i in 0..<160 { audio[i] = noise() }
            let t = UInt64(tick) * 10_000
            enc.encode(.audioBlock, payload: AudioBlockHeader.encode(tFirstMicros: t, firstIndex: UInt32(tick * 160),
                                                                     samples: audio), into: &out)
            if tick % 10 == 0 {
                for i in 0..<60 { imu[i] = noise() }
                enc.encode(.imuBlock, payload: IMUBlockHeader.encode(tFirstMicros: t, firstIndex: UInt32(tick),
                                                                     channels: 6, samples: imu), into: &out)
            }
            if tick % 100 == 0 {
                var s = DeviceStatus()
                s.tMicros = t
                enc.encode(.status, payload: s.encoded(), into: &out)
            }
            tick += 1
        }
        return out
    }
}
