import Foundation

/// `session.json`, written by `export --csv` beside `imu.csv` and `markers.csv`: what a CSV cannot hold but a
/// recording needs back when it is imported again — when it was made, its notes, and where the microphone starts
/// against the IMU. With it, export → import loses nothing but quantisation.
public struct ExportSessionInfo: Codable, Equatable, Sendable {
    /// Always "gaitpop export": `import` uses a session.json beside imu.csv only when it says so.
    public var writtenBy = ExportSessionInfo.writer
    /// When the original recording started (ISO 8601 UTC, as in its header).
    public var startedUtc: String
    /// The original header's notes.
    public var notes: String?
    /// Seconds the first microphone sample comes after the first IMU sample (`import --audio-offset`); nil without
    /// audio.
    public var audioOffsetS: Double?
    /// The original's source (e.g. the serial port or an earlier import), kept for provenance.
    public var source: String?

    public static let writer = "gaitpop export"
    public static let fileName = "session.json"

    enum CodingKeys: String, CodingKey {
        case writtenBy = "written_by", startedUtc = "started_utc", notes, audioOffsetS = "audio_offset_s", source
    }

    public init(startedUtc: String, notes: String?, audioOffsetS: Double?, source: String?) {
        self.startedUtc = startedUtc
        self.notes = notes
        self.audioOffsetS = audioOffsetS
        self.source = source
    }

    /// The session.json beside `imuCSV`, if there is one written by gaitpop export; a damaged one is an error (it
    /// was meant to be used).
    public static func beside(imuCSV: String) throws -> ExportSessionInfo? {
        let path = ((imuCSV as NSString).deletingLastPathComponent as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError.cannotOpen(path: path, reason: "not readable")
        }
        guard let info = try? JSONDecoder().decode(ExportSessionInfo.self, from: data) else {
            throw ImportError.badMapping(path: path, reason: "not a session.json written by gaitpop export")
        }
        return info.writtenBy == writer ? info : nil
    }
}
