import Foundation
import SensorProtocol

/// Writes a recording out for spreadsheets and audio editors: IMU as CSV (the same column names `import` reads),
/// markers and host notes as CSV, microphone audio as a 16-bit WAV. Times are seconds since the session's first
/// sample. Audio gaps (samples lost on the link) are filled with silence so the WAV stays aligned with the IMU.
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
        // Each file is written beside its final name and renamed into place only when the whole export worked.
        var outputs: [OutputFile] = []
        func output(_ path: String) throws -> String {
            let o = try OutputFile(path: path, kind: .derived, inputs: [recording])
            outputs.append(o)
            return o.temporaryPath
        }
        let asm = SampleAssembler(info: replay.header.device)
        var result = Result()
        let hasGyro = replay.header.device?.hasGyroscope ?? false
        var imuCSV: CSVTableWriter?
        var markerCSV: CSVTableWriter?
        var wav: WAVWriter?
        var firstError: Error?
        if let dir = csvDirectory {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                let reason = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
                throw ImportError.cannotCreate(path: dir, reason: "cannot create the folder (\(reason ?? "not writable"))")
            }
            var cols = [CSVTableWriter.Column("time_s", decimals: 6)]
            cols += ["acc_x_g", "acc_y_g", "acc_z_g"].map { CSVTableWriter.Column($0, decimals: 6) }
            if hasGyro { cols += ["gyr_x_dps", "gyr_y_dps", "gyr_z_dps"].map { CSVTableWriter.Column($0, decimals: 4) } }
            let imuPath = (dir as NSString).appendingPathComponent("imu.csv")
            let markerPath = (dir as NSString).appendingPathComponent("markers.csv")
            imuCSV = try CSVTableWriter(path: try output(imuPath), columns: cols)
            markerCSV = try CSVTableWriter(path: try output(markerPath), columns: [.init("time_s", decimals: 6), .init("source", decimals: 0),
                                                                       .init("kind", decimals: 0), .init("text", decimals: 0)])
            result.files += [imuPath, markerPath]
        }
        var nextAudioIndex: Int?
        var silence = [Int16](repeating: 0, count: 4096)
        asm.onIMU = { b in
            guard let w = imuCSV, firstError == nil else { return }
            do {
                // The header's device description decided the columns; blocks that disagree (no gyroscope after
                // all, or one the header did not announce) are padded or trimmed to them.
                for i in 0..<b.count {
                    w.add(b.tSeconds + Double(i) / b.rateHz)
                    for c in 0..<3 { w.add(Double(b.accG[3 * i + c])) }
                    if hasGyro {
                        if let g = b.gyroDps { for c in 0..<3 { w.add(Double(g[3 * i + c])) } } else { for _ in 0..<3 { w.addEmpty() } }
                    }
                    try w.endRow()
                }
                result.imuRows += b.count
            } catch { firstError = error }
        }
        asm.onAudio = { a in
            guard firstError == nil, let path = wavPath else { return }
            do {
                if wav == nil { wav = try WAVWriter(path: try output(path), sampleRateHz: Int(a.rateHz)); result.files.append(path) }
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
            } catch { firstError = error }
        }
        asm.onMarker = { m in
            guard let w = markerCSV, firstError == nil else { return }
            do {
                try w.writeRow([.number(m.tSeconds), .text("device"), .text(m.kind.map { "\($0)" } ?? "other"),
                                .text("id \(m.markerID)")])
                result.markers += 1
            } catch { firstError = error }
        }
        replay.onFrame = { f, _ in asm.consume(f) }
        replay.onNote = { n, host in
            guard let w = markerCSV, firstError == nil else { return }
            // Host notes carry host time; map onto session time through the latest sample time seen.
            do {
                try w.writeRow([.number(asm.latestSeconds), .text("host"), .text(n.kind.rawValue), .text(n.text ?? "")])
                result.markers += 1
            } catch { firstError = error }
        }
        replay.onLinkEvent = { _, host in asm.linkReset(atSessionSeconds: host) }
        replay.run()
        silence = []
        if let e = firstError { throw e }
        try imuCSV?.finish()
        try markerCSV?.finish()
        try wav?.finish()
        if wavPath != nil && wav == nil {
            throw ImportError.badMapping(path: recording, reason: "no microphone audio in this recording: no WAV written")
        }
        for o in outputs { try o.commit() }
        result.warnings = replay.damageWarnings
        return result
    }
}
