import Analysis
import ArgumentParser
import Foundation
import Pipeline
import PopEvents
import SensorDevice
import SensorProtocol
import Simulation

/// Live alert latency through the real path: virtual sensor → pseudo-terminal → termios link → device session →
/// decoder → samples → pop detector → alert rules. Latency = host time the alert line is produced − host time the
/// block holding the event's last sample was read from the link.
struct LatencyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Live pop and alert latency through the pseudo-terminal path (goal: alerts ≤ 100 ms at p99).")

    @Option(help: "Seconds of live streaming.") var seconds = 40.0

    final class Probe: SessionSink {
        let assembler = SampleAssembler()
        let analysis: StreamingAnalysis
        var session: DeviceSession?
        /// (first audio sample index, count, host ns when read), recent blocks only.
        var blocks: [(Int, Int, Int64)] = []
        var rate = 16000.0
        var popLatency: [Double] = []
        var alertLatency: [Double] = []

        init(analysis: StreamingAnalysis) {
            self.analysis = analysis
            assembler.onIMU = { analysis.imu($0) }
            assembler.onAudio = { analysis.audio($0) }
            assembler.onMarker = { analysis.marker($0) }
        }

        func session(frame: FrameView, hostNanos: Int64) throws {
            if frame.knownType == .audioBlock, let h = AudioBlockHeader(payload: frame.payload), let t0 = assembler.originMicros {
                let first = Int(((Double(h.tFirstMicros) - t0) / 1e6 * rate).rounded())
                blocks.append((first, h.count, hostNanos))
                if blocks.count > 2000 { blocks.removeFirst(1000) }
            }
            assembler.consume(frame)
            if frame.knownType == .audioBlock, blocks.isEmpty, let h = AudioBlockHeader(payload: frame.payload) {
                blocks.append((0, h.count, hostNanos)) // the very first block defines the origin
            }
        }

        func received(forSampleAt t: Double) -> Int64? {
            let idx = Int(t * rate)
            return blocks.last { $0.0 <= idx && idx < $0.0 + $0.1 }?.2
        }
    }

    func run() throws {
        var sc = Scenario.preset("snapping-tendon")!
        sc.durationSeconds = seconds + 30
        sc.events.snap?.probability = 1
        sc.markers = [.init(atSeconds: 1)]
        let sensor = try PseudoTerminalSensor(firmware: VirtualFirmware(scenario: sc, seed: 11))
        sensor.start()
        defer { sensor.stop() }
        // Every pop after the pain press is "near pain" and fires at once: one alert per pop, no cooldown.
        var rules = AlertRuleConfig()
        rules.painWindowSeconds = 1e9
        rules.cooldownSeconds[.popNearPain] = 0
        rules.maxAlertsPerMinute = 10_000
        let analysis = StreamingAnalysis(alertConfig: rules)
        let probe = Probe(analysis: analysis)
        let session = DeviceSession(path: sensor.devicePath)
        probe.session = session
        var lastPopEnd = [Double: Double]() // pop onset → its last sample's time
        analysis.onEvent = { e in
            let now = session.hostNanos
            switch e {
            case .pop(let p) where p.provisional:
                lastPopEnd[p.tSeconds] = p.tSeconds + p.durationSeconds
                if let r = probe.received(forSampleAt: p.tSeconds + p.durationSeconds) { probe.popLatency.append(Double(now - r) / 1e6) }
            case .alert(let a) where a.rule == .popNearPain:
                let end = lastPopEnd[a.evidence[0]] ?? a.evidence[0]
                if let r = probe.received(forSampleAt: end) { probe.alertLatency.append(Double(now - r) / 1e6) }
            default: break
            }
        }
        _ = try session.connect()
        let c0 = cpuSeconds()
        try session.run(sink: probe) { Double(session.hostNanos) / 1e9 > seconds }
        let cpu = cpuSeconds() - c0
        func pct(_ xs: [Double], _ q: Double) -> Double {
            let s = xs.sorted()
            return s.isEmpty ? .nan : s[min(s.count - 1, Int(Double(s.count - 1) * q))]
        }
        print(String(format: "pops: %d, latency median %.1f ms, p99 %.1f ms, max %.1f ms", probe.popLatency.count,
                     pct(probe.popLatency, 0.5), pct(probe.popLatency, 0.99), probe.popLatency.max() ?? .nan))
        print(String(format: "alerts: %d, latency median %.1f ms, p99 %.1f ms, max %.1f ms (goal ≤ 100 ms at p99)",
                     probe.alertLatency.count, pct(probe.alertLatency, 0.5), pct(probe.alertLatency, 0.99),
                     probe.alertLatency.max() ?? .nan))
        print(String(format: "live pipeline CPU (session, decoder, gait, pops, alerts; the virtual sensor thread included): %.2f s over %.0f s = %.1f %% of one core (goal < 5 %%)",
                     cpu, seconds, cpu / seconds * 100))
    }
}
