import Foundation
import Gait

/// gaitpop's JSON-lines output (`live --json`, `replay --json`; docs/OUTPUT.md): one compact object per line,
/// each with a `"type"` and otherwise the very object the report holds for the same thing (a `step` line is a
/// report `steps[]` entry, a `pop` line a `pops[]` entry, …), so a quantity has one name in both.
///
/// Every line goes through one reusable encoder in the house style (`JSONStyle`): snake_case keys, numbers as
/// numbers, keys sorted.
public enum JSONLines {
    /// Version of the line schema, the same number as the report's `schema_version`: both changed together.
    /// Written once, in the first line (`header`).
    public static let schemaVersion = 2

    /// Shared by every line: `JSONEncoder` is Sendable and keeps no state between calls, so one serves all threads
    /// and no line pays for building an encoder.
    private static let encoder = JSONStyle.encoder(pretty: false)

    /// `body`'s keys plus `"type": type`, as one line of text (no newline).
    public static func line<Body: Encodable>(_ type: String, _ body: Body) -> String {
        do {
            let data = try encoder.encode(TypedLine(type: type, body: body))
            return String(decoding: JSONStyle.nullForNonFinite(data), as: UTF8.self)
        } catch {
            // Only a type that cannot encode itself lands here (a programming error); keep the stream valid.
            return String(decoding: (try? encoder.encode(TypedLine(type: "error", body: ErrorLine(
                lineType: type, message: "\(error)")))) ?? Data(), as: UTF8.self)
        }
    }

    /// The first line of a stream: what it is and which schema it follows.
    public static func header(generatedBy: String, source: String?) -> String {
        line("header", HeaderLine(generatedBy: generatedBy, source: source))
    }
}

/// A line's body with its `type` key added to the same object.
struct TypedLine<Body: Encodable>: Encodable {
    var type: String
    var body: Body

    private enum Key: String, CodingKey { case type }

    func encode(to encoder: Encoder) throws {
        try body.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(type, forKey: .type)
    }
}

/// `header`: the first line of every stream.
public struct HeaderLine: Codable, Equatable, Sendable {
    public var schema = "gaitpop-lines"
    public var schemaVersion = JSONLines.schemaVersion
    /// Software and version (`gaitpop 1.2.0`), as the report's `generated_by`.
    public var generatedBy: String
    /// The recording or port the stream reads; as the report's `session.source`/`path`.
    public var source: String?
}

/// `step_rejected`: a provisional step's contact that turned out not to be walking.
public struct StepRejectedLine: Codable, Equatable, Sendable {
    public var icSeconds: Double
}

/// `bout_start`: a walking bout opened; its first contact (the report's `bouts[].start_seconds`).
public struct BoutStartLine: Codable, Equatable, Sendable {
    public var startSeconds: Double
}

/// `bout_end`: a walking bout closed; its last contact (the report's `bouts[].end_seconds`).
public struct BoutEndLine: Codable, Equatable, Sendable {
    public var endSeconds: Double
}

/// `status`: the live counters, once a second live and once at the end of a replay.
public struct StatusLine: Codable, Equatable, Sendable {
    public var tSeconds: Double
    public var stepCount: Int
    public var cadenceStepsPerMin: Double?
    public var walking: Bool
    /// The current pelvic tilt (degrees, + anterior), smoothed.
    public var tiltDeg: Double?
    /// What the tilt is measured from: `quiet_standing`, `calibration` or `walk_average` (docs/OUTPUT.md).
    public var neutralFrom: String?
    /// Pops so far by kind (`{"snap": 3}`).
    public var popCounts: [String: Int]
    public var alertCount: Int
}

/// `error`: a line that could not be encoded (never expected); keeps the stream parseable.
struct ErrorLine: Encodable {
    var lineType: String
    var message: String
}
