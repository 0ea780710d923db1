import Recording
import SensorProtocol
import Simulation

/// Writes a recording straight from the virtual firmware, faster than real time: the same frames the firmware
/// would stream, in 50 ms host-time steps, with index entries carrying the true clock relation.
public enum SimulatedRecording {
    public static func write(firmware: VirtualFirmware, to path: String, durationSeconds: Double,
                             markerEverySeconds: Double = 0, provenance: [String: String] = [:]) throws {
        var p = provenance
        p["drift_ppm"] = "\(firmware.clockDriftPPM)"
        let header = SessionHeader(software: "gaitpop simulator", device: firmware.info, source: "simulator",
                                   provenance: p)
        let writer = try SessionWriter(path: path, header: header)
        firmware.startStreaming(hostMicros: 0)
        try writer.appendLinkEvent(LinkEventRecord(event: .connected, link: "simulator", device: firmware.info),
                                   hostNanos: 0)
        var out: [UInt8] = [0]
        firmware.receive([], hostMicros: 0).withUnsafeBytes { out.append(contentsOf: $0) }
        let step = 50_000.0
        var h = 0.0
        var nextMarker = markerEverySeconds > 0 ? markerEverySeconds * 1e6 : .infinity
        var nextIndex = 1e6
        while h < durationSeconds * 1e6 {
            h = min(h + step, durationSeconds * 1e6)
            firmware.produce(untilHostMicros: h, into: &out)
            if h >= nextMarker {
                out += firmware.marker(kind: .pain, hostMicros: h)
                nextMarker += markerEverySeconds * 1e6
            }
            try writer.appendWire(out, hostNanos: Int64(h * 1000))
            out.removeAll(keepingCapacity: true)
            if h >= nextIndex {
                let offset = firmware.deviceMicros(atHost: h) - h
                try writer.appendIndex(IndexEntry(wireBytesBefore: 0, lastDeviceMicros: UInt64(firmware.deviceMicros(atHost: h)),
                                                  clockOffsetMicros: Int64(offset),
                                                  clockDriftPPB: Int64(firmware.clockDriftPPM * 1000)),
                                       hostNanos: Int64(h * 1000))
                nextIndex += 1e6
            }
        }
        try writer.finish(SessionTrailer(durationSeconds: durationSeconds, wireBytes: writer.wireBytesWritten,
                                         decoder: DecoderCounters(), reconnects: 0),
                          hostNanos: Int64(durationSeconds * 1e9))
    }
}
