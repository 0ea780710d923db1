import Foundation
import SensorProtocol

/// What `gaitpop inspect` prints: the header, duration, sample counts, gaps and error counters of a recording,
/// computed by running the recorded wire bytes through the same decoder the live session used.
public struct SessionSummary: Codable, Equatable, Sendable {
    public var path: String
    public var header: SessionHeader
    public var fileBytes: Int
    /// Host time of the last record (s): how long the recording ran.
    public var durationSeconds: Double
    public var wireBytes: Int
    public var decoder: DecoderCounters
    public var streams: StreamStats
    public var framesByType: [String: Int]
    public var linkEvents: [LinkEventSummary]
    public var notes: Int
    public var painNotes: Int
    public var indexEntries: Int
    /// The last clock-sync state stored in the index (device − host µs, drift ppm), if any.
    public var clockOffsetMicros: Double?
    public var clockDriftPPM: Double?
    /// True when the trailer was written (the recording was stopped cleanly).
    public var finalized: Bool
    public var warnings: [String]

    public struct LinkEventSummary: Codable, Equatable, Sendable {
        public var tSeconds: Double
        public var event: String
        public var detail: String?
    }

    public var reconnects: Int { linkEvents.filter { $0.event == "reconnected" }.count }

    /// Reads the whole file once, streaming (memory does not grow with its length).
    public static func read(path: String) throws -> SessionSummary {
        let reader = try SessionReader(path: path)
        let decoder = FrameDecoder()
        var streams = StreamStats()
        var info = reader.header.device
        var events: [LinkEventSummary] = []
        var wire = 0, notes = 0, pain = 0, index = 0
        var lastHost: Int64 = 0
        var finalized = false
        var trailerSeconds = 0.0
        var offset: Double?, drift: Double?
        reader.forEach { r in
            lastHost = max(lastHost, r.hostNanos)
            switch r.type {
            case .wire?:
                wire += r.payload.count
                decoder.feed(r.payload) { f in
                    if f.knownType == .deviceInfo, let i = DeviceInfo(payload: f.payload) { info = i }
                    streams.observe(f, imuRateHz: Int(info?.imuRateHz ?? 0), audioRateHz: Int(info?.audioRateHz ?? 0))
                }
            case .linkEvent?:
                decoder.resetLink()
                streams.resetContinuity()
                if let e = r.json(LinkEventRecord.self) {
                    events.append(.init(tSeconds: r.hostSeconds, event: e.event.rawValue, detail: e.reason ?? e.link))
                }
            case .note?:
                notes += 1
                if r.json(NoteRecord.self)?.kind == .pain { pain += 1 }
            case .index?:
                index += 1
                if let e = IndexEntry(payload: r.payload), e.clockOffsetMicros != 0 || e.clockDriftPPB != 0 {
                    offset = Double(e.clockOffsetMicros)
                    drift = Double(e.clockDriftPPB) / 1000
                }
            case .trailer?:
                finalized = true
                if let t = r.json(SessionTrailer.self), t.durationSeconds.isFinite { trailerSeconds = t.durationSeconds }
            default:
                break
            }
        }
        decoder.finish()
        // The last record's host time is when its *first* byte arrived (a record holds up to 250 ms of bytes), so
        // it under-reports; the trailer's duration and the span of the device's samples are later bounds.
        let durationSeconds = max(Double(lastHost) / 1e9, trailerSeconds,
                                  min(streams.deviceSpanSeconds, Double(lastHost) / 1e9 + 1)) // a wild device clock cannot inflate it
        var warnings = reader.warnings
        if !finalized {
            warnings.append("no trailer: the recording was not stopped cleanly (killed, unplugged host or full disk); "
                + "all data up to the last whole record is readable")
        }
        return SessionSummary(path: path, header: reader.header, fileBytes: reader.fileSize,
                              durationSeconds: durationSeconds, wireBytes: wire, decoder: decoder.counters,
                              streams: streams, framesByType: streams.countsByType, linkEvents: events, notes: notes,
                              painNotes: pain, indexEntries: index, clockOffsetMicros: offset, clockDriftPPM: drift,
                              finalized: finalized, warnings: warnings)
    }

    /// Human-readable report for a terminal.
    public var text: String {
        var s: [String] = []
        let d = header.device
        s.append("session   \(path)")
        s.append("format    \(header.format) v\(header.formatVersion), started \(header.startedUTC), by \(header.software)")
        s.append("source    \(header.source)" + (header.notes.map { ", notes: \($0)" } ?? ""))
        if let d {
            s.append("device    \(d.model.isEmpty ? "?" : d.model)"
                + (d.serialNumber.isEmpty ? "" : " serial \(d.serialNumber)")
                + (d.firmwareMajor + d.firmwareMinor + d.firmwarePatch == 0 ? "" : " firmware \(d.firmwareVersion)"))
            s.append("sensors   IMU \(d.imuModel) \(d.imuRateHz) Hz ±\(d.accRangeG) g"
                + (d.hasGyroscope ? " ±\(d.gyroRangeDps) dps" : ", no gyroscope")
                + (d.audioRateHz > 0 ? "; microphone \(d.micModel) \(d.audioRateHz) Hz \(d.audioBits)-bit"
                                     : "; no microphone"))
        }
        s.append(String(format: "duration  %.1f s (host clock), %.1f s of device samples; %@", durationSeconds,
                        streams.deviceSpanSeconds, finalized ? "finalised" : "NOT finalised"))
        s.append("file      \(fileBytes) bytes, \(wireBytes) wire bytes, \(indexEntries) index entries")
        s.append("samples   IMU \(streams.imuSamples) in \(streams.imuBlocks) blocks; audio \(streams.audioSamples) in "
            + "\(streams.audioBlocks) blocks; markers \(streams.markers) (pain \(streams.painMarkers)); host notes \(notes)")
        s.append("frames    " + framesByType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        let c = decoder
        s.append("errors    crc \(c.crcErrors), malformed \(c.malformed), oversize \(c.oversize), bad version "
            + "\(c.badVersion), truncated \(c.truncated), unknown types \(c.unknownType), discarded bytes \(c.discardedBytes)")
        s.append("gaps      frames lost \(c.lostFrames) in \(c.seqGaps) gaps, sequence restarts \(c.seqRestarts); "
            + "IMU samples missing \(streams.imuSamplesMissing) (\(streams.imuIndexGaps) gaps), audio samples missing "
            + "\(streams.audioSamplesMissing) (\(streams.audioIndexGaps) gaps); device-reported drops IMU "
            + "\(streams.deviceIMUDropped), audio \(streams.deviceAudioDropped)")
        if let o = clockOffsetMicros, let dr = clockDriftPPM {
            s.append(String(format: "clock     device − host %.0f µs, drift %+.1f ppm", o, dr))
        }
        for e in linkEvents {
            s.append(String(format: "link      %8.2f s %@", e.tSeconds, e.event) + (e.detail.map { " (\($0))" } ?? ""))
        }
        for w in warnings { s.append("warning   \(w)") }
        return s.joined(separator: "\n")
    }
}
