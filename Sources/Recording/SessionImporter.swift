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
        /// Device markers and host notes to put back (times on the IMU CSV's axis), e.g. from `MarkerCSV.read`.
        public var markers: [ImportMarker] = []
        public init() {}
    }

    public struct Result: Sendable {
        public var imuSamples = 0
        public var audioSamples = 0
        public var imuRateHz = 0.0
        public var audioRateHz = 0
        public var clippedValues = 0
        public var timeGaps = 0
        /// Marks (device markers and host notes) written.
        public var markers = 0
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
        let rate = try samplingRate(csv, path: imuCSV, out: out, options: options)
        let wav = try audioWAV.map { try WAVReader(path: $0) }
        let info = deviceInfo(csv: csv, wav: wav, rateHz: rate, imuCSV: imuCSV, audioWAV: audioWAV)
        let source = "import:" + (imuCSV as NSString).lastPathComponent
            + (audioWAV.map { "+" + ($0 as NSString).lastPathComponent } ?? "")
        let startedUTC = try options.startedUTC.map(Self.checkedUTC) ?? SessionHeader.nowUTC()
        // Written beside `out` and renamed into place at the end: a failure on line 2002 leaves an existing file
        // as it was.
        let output = try OutputFile(path: out, kind: .recording, inputs: [imuCSV] + (audioWAV.map { [$0] } ?? []),
                                    force: options.force)
        let writer = try SessionWriter(path: output.temporaryPath, header: SessionHeader(
            startedUTC: startedUTC, software: "gaitpop import", device: info, source: source, notes: options.note,
            provenance: provenance(csv: csv, wav: wav, rateHz: rate, imuCSV: imuCSV, audioWAV: audioWAV, options: options)))
        var result = Result()
        result.imuRateHz = rate
        result.audioRateHz = wav?.sampleRateHz ?? 0
        result.columns = csv.columnsDescription

        // Device time origin: the earliest sample of either stream sits at device time `base` (1 s of headroom
        // keeps every device time positive).
        let base = 1_000_000.0
        var firstCSVTime: Double?
        let audioStart = min(0, options.audioOffsetSeconds)
        let deviceMicros = { (t: Double) in base + (t - (firstCSVTime ?? t)) * 1e6 - audioStart * 1e6 }
        let audio = wav.map { w in
            ImportAudioBlocks(wav: w, offsetSeconds: options.audioOffsetSeconds) { base + ($0 - audioStart) * 1e6 }
        }
        let frames = try ImportFrameWriter(writer: writer, audio: audio, baseMicros: base, info: info, link: source,
                                           markers: options.markers, markerMicros: { deviceMicros($0) })
        var packer = IMUBlockPacker(rateHz: rate, hasGyroscope: csv.hasGyroscope, deviceMicros: deviceMicros)
        while let row = try csv.next() {
            if firstCSVTime == nil { firstCSVTime = row.tSeconds }
            // Device times are whole microseconds in 64 bits: a recording longer than a week is not a walk.
            guard row.tSeconds - firstCSVTime! <= 7 * 86_400 else {
                throw ImportError.badMapping(path: imuCSV, reason: String(format: "time %.0f s on row %d is more than a week after the first row", row.tSeconds, result.imuSamples + 2))
            }
            let index = Int(((row.tSeconds - firstCSVTime!) * rate).rounded())
            if let block = packer.add(row, index: index) { try frames.add(imuBlock: block) }
            result.imuSamples += 1
        }
        if let block = packer.close() { try frames.add(imuBlock: block) }
        result.clippedValues = packer.clippedValues
        result.timeGaps = packer.timeGaps
        result.audioSamples = audio?.samplesRead ?? 0
        let endSeconds = max(Double(result.imuSamples) / rate, audio?.endSeconds ?? 0) - audioStart
        try frames.finish(endSeconds: endSeconds, startedUTC: startedUTC)
        result.markers = frames.marksWritten
        result.audioSamples = audio?.samplesRead ?? 0
        guard result.imuSamples > 0 else { throw ImportError.badMapping(path: imuCSV, reason: "no data rows after the header") }
        result.warnings = wav?.warnings ?? []
        try output.commit()
        return result
    }

    /// The CSV's sampling rate: given, from its time column, or estimated from its first rows.
    static func samplingRate(_ csv: IMUCSVReader, path: String, out: String, options: Options) throws -> Double {
        let rate: Double
        if let r = options.rateHz ?? csv.fixedRateHz {
            rate = r
        } else if let r = try IMUCSVReader.estimateRateHz(path: path, mapping: options.mapping) {
            rate = r
        } else {
            throw ImportError.badMapping(path: path, reason: "fewer than two rows: cannot tell the sampling rate (give --rate)")
        }
        guard rate >= 10 && rate <= 2000 else {
            throw ImportError.cannotCreate(path: out, reason: String(format: "%@ samples at %.2f Hz: gaitpop needs 10–2000 Hz", path, rate))
        }
        return rate
    }

    /// What the recording says about its "device": the imported files and the full-scale ranges used.
    static func deviceInfo(csv: IMUCSVReader, wav: WAVReader?, rateHz: Double, imuCSV: String, audioWAV: String?) -> DeviceInfo {
        var info = DeviceInfo()
        info.imuRateHz = UInt16(rateHz.rounded())
        info.accRangeG = accRangeG
        info.gyroRangeDps = csv.hasGyroscope ? gyroRangeDps : 0
        info.audioRateHz = UInt32(wav?.sampleRateHz ?? 0)
        info.audioBits = 16
        info.model = "imported"
        info.imuModel = (imuCSV as NSString).lastPathComponent
        info.micModel = audioWAV.map { ($0 as NSString).lastPathComponent } ?? ""
        return info
    }

    static func provenance(csv: IMUCSVReader, wav: WAVReader?, rateHz: Double, imuCSV: String, audioWAV: String?,
                           options: Options) -> [String: String] {
        var p = ["imu": imuCSV, "imu_columns": csv.columnsDescription, "imu_rate_hz": String(format: "%.4f", rateHz)]
        if let a = audioWAV, let w = wav {
            p["audio"] = a
            p["audio_format"] = w.formatDescription
            p["audio_offset_s"] = "\(options.audioOffsetSeconds)"
        }
        return p
    }
}
