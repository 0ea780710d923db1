import Foundation
import SensorProtocol

/// Writes a recording out for spreadsheets and audio editors: IMU as CSV (the same column names `import` reads),
/// markers and host notes as CSV, microphone audio as a 16-bit WAV, and `session.json` (start time, notes, audio
/// offset) so that `import` can rebuild the recording. Times are seconds since the session's first sample. Audio gaps
/// (samples lost on the link) are filled with silence so the WAV stays aligned with the IMU.
public enum SessionExporter {
    public struct Result: Sendable {
        public var imuRows = 0
        public var audioSamples = 0
        public var silenceFilled = 0
        public var markers = 0
        public var files: [String] = []
        /// Damage and gaps in the recording (see `RecordingReplay.damageWarnings`): the export is then incomplete.
        public var warnings: [String] = []
    }

    public static func run(recording: String, csvDirectory: String?, wavPath: String?) throws -> Result {
        let replay = try RecordingReplay(path: recording)
        let asm = SampleAssembler(info: replay.header.device)
        let files = try ExportFiles(recording: recording, csvDirectory: csvDirectory, wavPath: wavPath,
                                    hasGyroscope: replay.header.device?.hasGyroscope ?? false)
        asm.onIMU = { files.imu($0) }
        asm.onAudio = { files.audio($0) }
        asm.onMarker = { m in
            files.marker(tSeconds: m.tSeconds, source: "device", kind: MarkerCSV.deviceKindName(m.kind, raw: m.rawKind),
                         markerID: m.markerID, text: "")
        }
        replay.onFrame = { f, _ in asm.consume(f) }
        // Host notes carry host time; map onto session time through the latest sample time seen.
        replay.onNote = { n, _ in
            files.marker(tSeconds: asm.latestSeconds, source: "host", kind: n.kind.rawValue, markerID: nil,
                         text: n.text ?? "")
        }
        replay.onLinkEvent = { _, host in asm.linkReset(atSessionSeconds: host) }
        replay.run()
        var result = try files.finish(header: replay.header)
        result.warnings = replay.damageWarnings
        return result
    }
}

/// The export's open files and what has gone into them. Each file is written beside its final name and renamed
/// into place only when the whole export worked; the first write error stops further writing and is thrown at the
/// end.
final class ExportFiles {
    let recording: String
    let wavPath: String?
    let hasGyroscope: Bool
    private(set) var result = SessionExporter.Result()
    private var outputs: [OutputFile] = []
    private var imuCSV: CSVTableWriter?
    private var markerCSV: CSVTableWriter?
    private var wav: WAVWriter?
    private var firstError: Error?
    private var nextAudioIndex: Int?
    private var silence = [Int16](repeating: 0, count: 4096)
    private var csvDirectory: String?
    private var firstIMUSeconds: Double?
    private var firstAudioSeconds: Double?

    init(recording: String, csvDirectory: String?, wavPath: String?, hasGyroscope: Bool) throws {
        self.recording = recording
        self.wavPath = wavPath
        self.hasGyroscope = hasGyroscope
        self.csvDirectory = csvDirectory
        if let dir = csvDirectory { try openTables(in: dir) }
    }

    private func output(_ path: String) throws -> String {
        let o = try OutputFile(path: path, kind: .derived, inputs: [recording])
        outputs.append(o)
        return o.temporaryPath
    }

    private func openTables(in dir: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            let reason = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
            throw ImportError.cannotCreate(path: dir, reason: "cannot create the folder (\(reason ?? "not writable"))")
        }
        var cols = [CSVTableWriter.Column("time_s", decimals: 6)]
        cols += ["acc_x_g", "acc_y_g", "acc_z_g"].map { CSVTableWriter.Column($0, decimals: 6) }
        if hasGyroscope { cols += ["gyr_x_dps", "gyr_y_dps", "gyr_z_dps"].map { CSVTableWriter.Column($0, decimals: 4) } }
        let imuPath = (dir as NSString).appendingPathComponent("imu.csv")
        let markerPath = (dir as NSString).appendingPathComponent("markers.csv")
        imuCSV = try CSVTableWriter(path: try output(imuPath), columns: cols)
        // The same columns as `report --csv`'s markers.csv (docs/REPORT-FORMAT.md), so one reader serves both.
        markerCSV = try CSVTableWriter(path: try output(markerPath), columns: [
            .init("t_seconds", decimals: 6), .init("source", decimals: 0), .init("kind", decimals: 0),
            .init("marker_id", decimals: 0), .init("text", decimals: 0),
        ])
        result.files += [imuPath, markerPath]
    }

    /// Runs `body` unless an earlier write failed; keeps its error.
    private func attempt(_ body: () throws -> Void) {
        guard firstError == nil else { return }
        do { try body() } catch { firstError = error }
    }

    func imu(_ b: IMUSamples) {
        if firstIMUSeconds == nil { firstIMUSeconds = b.tSeconds }
        guard let w = imuCSV else { return }
        attempt {
            // The header's device description decided the columns; blocks that disagree (no gyroscope after all,
            // or one the header did not announce) are padded or trimmed to them.
            for i in 0..<b.count {
                w.add(b.tSeconds + Double(i) / b.rateHz)
                for c in 0..<3 { w.add(Double(b.accG[3 * i + c])) }
                if hasGyroscope {
                    if let g = b.gyroDps { for c in 0..<3 { w.add(Double(g[3 * i + c])) } } else { for _ in 0..<3 { w.addEmpty() } }
                }
                try w.endRow()
            }
            result.imuRows += b.count
        }
    }

    /// Audio into the WAV; samples lost on the link become silence, so the WAV stays aligned with the IMU.
    func audio(_ a: AudioSamples) {
        if firstAudioSeconds == nil { firstAudioSeconds = a.tSeconds }
        guard let path = wavPath else { return }
        attempt {
            if wav == nil {
                wav = try WAVWriter(path: try output(path), sampleRateHz: Int(a.rateHz))
                result.files.append(path)
            }
            if let expected = nextAudioIndex, a.firstIndex > expected {
                var gap = a.firstIndex - expected
                result.silenceFilled += gap
                while gap > 0 {
                    let n = min(gap, silence.count)
                    try silence.withUnsafeBufferPointer { try wav!.append(UnsafeBufferPointer(rebasing: $0[0..<n])) }
                    gap -= n
                }
            }
            try wav!.append(a.samples)
            nextAudioIndex = a.firstIndex + a.samples.count
            result.audioSamples += a.samples.count
        }
    }

    func marker(tSeconds: Double, source: String, kind: String, markerID: Int?, text: String) {
        guard let w = markerCSV else { return }
        attempt {
            try w.writeRow([.number(tSeconds), .text(source), .text(kind), markerID.map { .text("\($0)") } ?? .text(""),
                            .text(text)])
            result.markers += 1
        }
    }

    /// session.json: what import needs besides the tables (start time, notes, the WAV's offset from the IMU).
    private func writeSessionInfo(in dir: String, header: SessionHeader) throws {
        let path = (dir as NSString).appendingPathComponent(ExportSessionInfo.fileName)
        let offset = firstAudioSeconds.map { $0 - (firstIMUSeconds ?? 0) }
        let info = ExportSessionInfo(startedUtc: header.startedUTC, notes: header.notes, audioOffsetS: offset,
                                     source: header.source)
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = try output(path)
        do {
            try e.encode(info).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw ImportError.cannotCreate(path: path, reason: "\((error as NSError).localizedDescription)")
        }
        result.files.append(path)
    }

    /// Closes every file and moves them into place, or throws the first error (nothing replaced).
    func finish(header: SessionHeader) throws -> SessionExporter.Result {
        silence = []
        if let e = firstError { throw e }
        if let dir = csvDirectory { try writeSessionInfo(in: dir, header: header) }
        try imuCSV?.finish()
        try markerCSV?.finish()
        try wav?.finish()
        if wavPath != nil && wav == nil {
            throw ImportError.badMapping(path: recording, reason: "no microphone audio in this recording: no WAV written")
        }
        for o in outputs { try o.commit() }
        return result
    }
}
