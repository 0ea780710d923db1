import Recording
import SensorProtocol
import Simulation

/// Writes a recording straight from the virtual firmware, faster than real time: the same frames the firmware
/// would stream, in 50 ms host-time steps, with index entries carrying the true clock relation.
public enum SimulatedRecording {
    /// The default start time, fixed so the same scenario and seed give the same file, byte for byte; a history of
    /// simulated walks on different days passes its own (`simulate --started-utc`).
    public static let fixedStartUTC = "2000-01-01T00:00:00.000Z"

    /// The virtual walker of `scenario`; writes the ground truth too when `truthPath` is given.
    public static func write(scenario: Scenario, seed: UInt64, to path: String, truthPath: String? = nil,
                             startedUTC: String = fixedStartUTC, shouldStop: () -> Bool = { false }) throws {
        let firmware = VirtualFirmware(scenario: scenario, seed: seed)
        try write(firmware: firmware, to: path, durationSeconds: scenario.durationSeconds,
                  provenance: ["scenario": scenario.name, "seed": "\(seed)"], startedUTC: startedUTC, shouldStop: shouldStop)
        if let truthPath, let walker = firmware.source as? WalkerSource {
            try GroundTruth(scenario: scenario, seed: seed, schedule: walker.schedule, gait: walker.gait)
                .write(to: truthPath)
        }
    }

    public static func write(firmware: VirtualFirmware, to path: String, durationSeconds: Double,
                             markerEverySeconds: Double = 0, provenance: [String: String] = [:],
                             hostNotes: [(seconds: Double, note: NoteRecord)] = [], startedUTC: String = fixedStartUTC,
                             shouldStop: () -> Bool = { false }) throws {
        var p = provenance
        p["drift_ppm"] = "\(firmware.clockDriftPPM)"
        let header = SessionHeader(startedUTC: startedUTC, software: "gaitpop simulator",
                                   device: firmware.info, source: "simulator", provenance: p)
        let writer = try SessionWriter(path: path, header: header)
        try writer.appendLinkEvent(LinkEventRecord(event: .connected, link: "simulator", device: firmware.info),
                                   hostNanos: 0)
        // The host's START, answered exactly as over a link: banner, ACK, DEVICE_INFO; streaming begins.
        var host = FrameEncoder()
        var out = firmware.receive(host.frame(.start), hostMicros: 0)
        let step = 50_000.0
        var h = 0.0
        var nextMarker = markerEverySeconds > 0 ? markerEverySeconds * 1e6 : .infinity
        var nextIndex = 1e6
        // Notes the wearer typed (or the pain key) on the host, written between the wire bytes around them, as
        // `live --record` does.
        var notes = hostNotes.sorted { $0.seconds < $1.seconds }[...]
        // Host time runs until the device has produced `durationSeconds` of samples on its own (drifting) clock.
        let end = durationSeconds * 1e6 / (1 + firmware.clockDriftPPM * 1e-6) + 1
        while h < end && !shouldStop() {
            h = min(h + step, end)
            firmware.produce(untilHostMicros: h, into: &out)
            if h >= nextMarker {
                out += firmware.marker(kind: .pain, hostMicros: h)
                nextMarker += markerEverySeconds * 1e6
            }
            try writer.appendWire(out, hostNanos: Int64(h * 1000))
            out.removeAll(keepingCapacity: true)
            while let n = notes.first, n.seconds * 1e6 <= h {
                try writer.appendNote(n.note, hostNanos: Int64(h * 1000))
                notes.removeFirst()
            }
            if h >= nextIndex {
                let device = firmware.deviceMicros(atHost: h)
                try writer.appendIndex(IndexEntry(wireBytesBefore: 0, lastDeviceMicros: UInt64(device),
                                                  clockOffsetMicros: Int64(device - h),
                                                  clockDriftPPB: Int64(firmware.clockDriftPPM * 1000)),
                                       hostNanos: Int64(h * 1000))
                nextIndex += 1e6
            }
        }
        try writer.finish(SessionTrailer(endedUTC: SessionHeader.utc(header.startedUTC, plusSeconds: h / 1e6),
                                         durationSeconds: h / 1e6, wireBytes: writer.wireBytesWritten,
                                         decoder: DecoderCounters(), reconnects: 0),
                          hostNanos: Int64(h * 1000))
    }
}
