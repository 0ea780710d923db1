import Foundation
import SensorProtocol

/// Turns recordings from other loggers — an IMU CSV and optionally a microphone WAV — into an ordinary `.gpsession`,
/// so every gaitpop command treats them like sensor data. The samples are packed into the same protocol frames the
/// firmware sends (IMU blocks of 10 samples, audio blocks of 10 ms), each stamped with its true time, and the two
/// streams are interleaved in time order so the replayed session starts at its earliest sample.
public enum SessionImporter {
    public struct Options: Sendable {
        public var mapping: ColumnMapping?
        /// Sampling rate when the CSV has no time column.
        public var rateHz: Double?
        /// Seconds the WAV starts after the CSV's time zero (negative: before).
        public var audioOffsetSeconds = 0.0
        public var note: String?
        /// When the data was recorded (ISO 8601 UTC), if known; default: now.
        public var startedUTC: String?
        /// Replace an existing recording at the output path (the CLI's `--force`).
        public var force = false
        public init() {}
    }

    public struct Result: Sendable {
        public var imuSamples = 0
        public var audioSamples = 0
        public var imuRateHz = 0.0
        public var audioRateHz = 0
        public var clippedValues = 0
        public var timeGaps = 0
        public var columns = ""
        /// Problems the readers met (a WAV shorter than its header says…), one line each: the CLI prints them.
        public var warnings: [String] = []
    }

    /// Full-scale ranges used for imported data: wide enough for walking and falls, fine enough (0.5 mg, 0.06 °/s).
    public static let accRangeG: UInt16 = 16
    public static let gyroRangeDps: UInt16 = 2000

    /// `--started-utc` is shown in reports and history pages: only a real ISO 8601 time is accepted, returned in
    /// the one form gaitpop writes.
    public static func checkedUTC(_ s: String) throws -> String {
        let f = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime],
                                                      [.withFullDate]] {
            f.formatOptions = options
            if let d = f.date(from: s) {
                f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                return f.string(from: d)
            }
        }
        throw ImportError.badMapping(path: "--started-utc", reason: "'\(s.prefix(40))' is not an ISO 8601 time such as 2026-03-01T09:30:00Z")
    }

    public static func run(imuCSV: String, audioWAV: String?, out: String, options: Options = Options()) throws -> Result {
        guard options.audioOffsetSeconds.isFinite, abs(options.audioOffsetSeconds) <= 86_400 else {
            throw ImportError.badMapping(path: audioWAV ?? imuCSV, reason: "--audio-offset must be within ±86400 s")
        }
        let csv = try IMUCSVReader(path: imuCSV, mapping: options.mapping, rateHz: options.rateHz)
        let rate: Double
        if let r = options.rateHz ?? csv.fixedRateHz {
            rate = r
        } else if let r = try IMUCSVReader.estimateRateHz(path: imuCSV, mapping: options.mapping) {
            rate = r
        } else {
            throw ImportError.badMapping(path: imuCSV, reason: "fewer than two rows: cannot tell the sampling rate (give --rate)")
        }
        guard rate >= 10 && rate <= 2000 else {
            throw ImportError.cannotCreate(path: out, reason: String(format: "%@ samples at %.2f Hz: gaitpop needs 10–2000 Hz", imuCSV, rate))
        }
        let wav = try audioWAV.map { try WAVReader(path: $0) }
        var info = DeviceInfo()
        info.imuRateHz = UInt16(rate.rounded())
        info.accRangeG = accRangeG
        info.gyroRangeDps = csv.hasGyroscope ? gyroRangeDps : 0
        info.audioRateHz = UInt32(wav?.sampleRateHz ?? 0)
        info.audioBits = 16
        info.model = "imported"
        info.imuModel = (imuCSV as NSString).lastPathComponent
        info.micModel = audioWAV.map { ($0 as NSString).lastPathComponent } ?? ""
        var provenance = ["imu": imuCSV, "imu_columns": csv.columnsDescription, "imu_rate_hz": String(format: "%.4f", rate)]
        if let a = audioWAV, let w = wav {
            provenance["audio"] = a
            provenance["audio_format"] = w.formatDescription
            provenance["audio_offset_s"] = "\(options.audioOffsetSeconds)"
        }
        let source = "import:" + (imuCSV as NSString).lastPathComponent
            + (audioWAV.map { "+" + ($0 as NSString).lastPathComponent } ?? "")
        let startedUTC = try options.startedUTC.map(Self.checkedUTC) ?? SessionHeader.nowUTC()
        // Written beside `out` and renamed into place at the end: a failure on line 2002 leaves an existing file
        // as it was.
        let output = try OutputFile(path: out, kind: .recording, inputs: [imuCSV] + (audioWAV.map { [$0] } ?? []),
                                    force: options.force)
        let writer = try SessionWriter(path: output.temporaryPath, header: SessionHeader(startedUTC: startedUTC,
                                                                        software: "gaitpop import", device: info,
                                                                        source: source, notes: options.note,
                                                                        provenance: provenance))
        var result = Result()
        result.imuRateHz = rate
        result.audioRateHz = wav?.sampleRateHz ?? 0
        result.columns = csv.columnsDescription

        // Device time origin: the earliest sample of either stream sits at device time `base`.
        let base = 1_000_000.0 // 1 s of headroom keeps every device time positive
        var enc = FrameEncoder()
        var wire: [UInt8] = []
        try writer.appendLinkEvent(LinkEventRecord(event: .connected, link: source, device: info), hostNanos: 0)
        enc.encode(.deviceInfo, payload: info.encoded(), into: &wire)
        var firstCSVTime: Double?
        let audioStart = min(0, options.audioOffsetSeconds)
        func deviceMicros(csvSeconds t: Double) -> Double { base + (t - (firstCSVTime ?? t)) * 1e6 - audioStart * 1e6 }

        // IMU: rows → blocks of up to 10 equally spaced samples (a time gap starts a new block).
        var pendingIMU: (tFirst: Double, index: Int, samples: [Int16])?
        var imuBlocks: [(t: Double, payload: [UInt8])] = []
        let accScale = 32768 / Double(accRangeG), gyroScale = 32768 / Double(gyroRangeDps)
        let channels = csv.hasGyroscope ? 6 : 3
        var lastT: Double?
        var rowIndex = 0
        func q(_ v: Double, _ scale: Double) -> Int16 {
            let x = (v * scale).rounded()
            if x > 32767 || x < -32768 { result.clippedValues += 1 }
            return Int16(max(-32768, min(32767, x)))
        }
        func closeIMU() {
            guard let p = pendingIMU else { return }
            let t = deviceMicros(csvSeconds: p.tFirst)
            imuBlocks.append((t, IMUBlockHeader.encode(tFirstMicros: UInt64(t), firstIndex: UInt32(truncatingIfNeeded: p.index),
                                                       channels: channels, samples: p.samples)))
            pendingIMU = nil
        }

        // Audio reading state.
        var audioBuf: [Float] = []
        var audioIndex = 0
        let audioBlock = max(1, (wav?.sampleRateHz ?? 16000) / 100)
        var audioDone = wav == nil
        func nextAudioBlock() throws -> (t: Double, payload: [UInt8])? {
            guard let w = wav, !audioDone else { return nil }
            let n = try w.read(into: &audioBuf, maxFrames: audioBlock)
            if n == 0 { audioDone = true; return nil }
            var pcm = [Int16](repeating: 0, count: n)
            for i in 0..<n { pcm[i] = Int16(max(-32768, min(32767, (Double(audioBuf[i]) * 32768).rounded()))) }
            let tSec = options.audioOffsetSeconds + Double(audioIndex) / Double(w.sampleRateHz)
            let t = base + (tSec - audioStart) * 1e6
            let p = AudioBlockHeader.encode(tFirstMicros: UInt64(t), firstIndex: UInt32(truncatingIfNeeded: audioIndex),
                                            samples: pcm)
            audioIndex += n
            result.audioSamples += n
            return (t, p)
        }
        var nextAudio = try nextAudioBlock()

        func flushUpTo(_ limitMicros: Double) throws {
            // Emit audio blocks that start before the limit, interleaved with pending IMU blocks, in time order.
            imuBlocks.sort { $0.t < $1.t }
            var k = 0
            while true {
                let imuT = k < imuBlocks.count ? imuBlocks[k].t : Double.infinity
                let audT = nextAudio?.t ?? .infinity
                let tNext = min(imuT, audT)
                guard tNext <= limitMicros, tNext.isFinite else { break }
                if imuT <= audT {
                    enc.encode(.imuBlock, payload: imuBlocks[k].payload, into: &wire)
                    k += 1
                } else {
                    enc.encode(.audioBlock, payload: nextAudio!.payload, into: &wire)
                    nextAudio = try nextAudioBlock()
                }
                if wire.count > 1 << 15 {
                    try writer.appendWire(wire, hostNanos: Int64(max(0, tNext - base) * 1000))
                    wire.removeAll(keepingCapacity: true)
                }
            }
            imuBlocks.removeFirst(k)
        }

        while let row = try csv.next() {
            if firstCSVTime == nil { firstCSVTime = row.tSeconds }
            // Device times are whole microseconds in 64 bits: a recording longer than a week is not a walk.
            guard row.tSeconds - firstCSVTime! <= 7 * 86_400 else {
                throw ImportError.badMapping(path: imuCSV, reason: String(format: "time %.0f s on row %d is more than a week after the first row", row.tSeconds, rowIndex + 2))
            }
            let expected = lastT.map { $0 + 1 / rate }
            let gap = expected.map { row.tSeconds - $0 > 0.5 / rate } ?? false
            if gap { result.timeGaps += 1 }
            let index = Int(((row.tSeconds - firstCSVTime!) * rate).rounded())
            if pendingIMU == nil || gap || pendingIMU!.samples.count / channels >= 10 {
                closeIMU()
                pendingIMU = (row.tSeconds, index, [])
                pendingIMU!.samples.reserveCapacity(10 * channels)
            }
            pendingIMU!.samples += [q(row.accG.x, accScale), q(row.accG.y, accScale), q(row.accG.z, accScale)]
            if let g = row.gyroDps { pendingIMU!.samples += [q(g.x, gyroScale), q(g.y, gyroScale), q(g.z, gyroScale)] }
            lastT = row.tSeconds
            rowIndex += 1
            result.imuSamples += 1
            if imuBlocks.count >= 64 { try flushUpTo(imuBlocks.first!.t + 0.5e6) }
        }
        closeIMU()
        try flushUpTo(.greatestFiniteMagnitude)
        while let a = nextAudio {
            enc.encode(.audioBlock, payload: a.payload, into: &wire)
            nextAudio = try nextAudioBlock()
            if wire.count > 1 << 15 {
                try writer.appendWire(wire, hostNanos: Int64(max(0, a.t - base) * 1000))
                wire.removeAll(keepingCapacity: true)
            }
        }
        let endSeconds = max(Double(result.imuSamples) / rate,
                             wav.map { options.audioOffsetSeconds + Double(audioIndex) / Double($0.sampleRateHz) } ?? 0)
            - audioStart
        try writer.appendWire(wire, hostNanos: Int64(endSeconds * 1e9))
        try writer.finish(SessionTrailer(endedUTC: SessionHeader.utc(startedUTC, plusSeconds: endSeconds),
                                         durationSeconds: endSeconds, wireBytes: writer.wireBytesWritten,
                                         decoder: DecoderCounters(), reconnects: 0),
                          hostNanos: Int64(endSeconds * 1e9))
        guard result.imuSamples > 0 else { throw ImportError.badMapping(path: imuCSV, reason: "no data rows after the header") }
        result.warnings = wav?.warnings ?? []
        try output.commit()
        return result
    }
}
