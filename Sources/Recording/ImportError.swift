import Foundation

/// Errors of reading other loggers' files (IMU CSV, WAV) and writing CSV/WAV exports, each one line for the CLI.
///
/// Every file read here is untrusted input, so every problem a file can have is a case here rather than a trap, and
/// each message names the file and, where there is one, the line and column (or chunk) so the user can open the
/// file at that spot. Text taken from the file (a header name, a bad field) is shortened and made printable first:
/// a binary file must not turn one error line into a screenful.
public enum ImportError: Error, CustomStringConvertible, Equatable {
    // Any file.
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    case emptyFile(path: String)

    // IMU CSV.
    /// The file holds only blank lines.
    case noHeader(path: String)
    /// The first non-blank line holds numbers, not column names.
    case headerIsData(path: String, line: Int)
    case noAccelerometerColumns(path: String, found: [String])
    /// Some of a column set (or explicitly named columns) are absent.
    case missingColumns(path: String, missing: [String], found: [String])
    /// An explicit `ColumnMapping` that cannot be used as given (e.g. two accelerometer names instead of three).
    case badMapping(path: String, reason: String)
    case noTimeNoRate(path: String, found: [String])
    case invalidRate(path: String, rateHz: Double)
    case lineTooLong(path: String, line: Int, limitBytes: Int)
    case tooFewFields(path: String, line: Int, count: Int, expected: Int)
    case notANumber(path: String, line: Int, column: String, text: String)
    case notFinite(path: String, line: Int, column: String, isNaN: Bool)
    case timeNotIncreasing(path: String, line: Int, tSeconds: Double, previousSeconds: Double, previousLine: Int)

    // WAV.
    case notWAV(path: String)
    case noFmtChunk(path: String)
    case noDataChunk(path: String)
    /// `format` names the encoding, e.g. "µ-law (7)".
    case unsupportedFormat(path: String, format: String)
    /// `encoding` is "PCM" or "IEEE float".
    case unsupportedBitDepth(path: String, bits: Int, encoding: String)
    case unsupportedRate(path: String, rateHz: Int)
    case badFormat(path: String, reason: String)

    // Writing exports.
    case cannotCreate(path: String, reason: String)
    /// `kept` says what of the file is still usable, e.g. "the first 12.50 s are kept and playable".
    case diskFull(path: String, kept: String)
    case writeFailed(path: String, reason: String, kept: String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): "cannot open \(p): \(r)"
        case .readFailed(let p, let r): "cannot read \(p): \(r)"
        case .emptyFile(let p): "\(p) is empty (0 bytes)"
        case .noHeader(let p): "\(p) has no header row (only blank lines)"
        case .headerIsData(let p, let l):
            "\(p) line \(l): no header row: the first line holds numbers; expected column names such as "
                + "time_s,acc_x_g,acc_y_g,acc_z_g"
        case .noAccelerometerColumns(let p, let found):
            "\(p): no accelerometer columns: expected acc_x_g,acc_y_g,acc_z_g or acc_x_ms2,acc_y_ms2,acc_z_ms2; "
                + "found: \(Self.list(found)) (name them with --acc-columns)"
        case .missingColumns(let p, let missing, let found):
            "\(p): missing column\(missing.count == 1 ? "" : "s") \(Self.list(missing)); found: \(Self.list(found))"
        case .badMapping(let p, let r): "\(p): \(r)"
        case .noTimeNoRate(let p, let found):
            "\(p): no time column (time_s or time_ms) and no sample rate given; found: \(Self.list(found)) "
                + "(give the rate with --rate HZ, or name the time column with --time-column)"
        case .invalidRate(let p, let r): "\(p): sample rate \(r) Hz is not valid (it must be a positive number)"
        case .lineTooLong(let p, let l, let n): "\(p) line \(l): longer than \(n) bytes (is this a CSV file?)"
        case .tooFewFields(let p, let l, let n, let e):
            "\(p) line \(l): \(n) field\(n == 1 ? "" : "s"), expected at least \(e)"
        case .notANumber(let p, let l, let c, let t): "\(p) line \(l), column \(c): \"\(t)\" is not a number"
        case .notFinite(let p, let l, let c, let nan): "\(p) line \(l), column \(c): \(nan ? "NaN" : "infinite")"
        case .timeNotIncreasing(let p, let l, let t, let prev, let prevLine):
            "\(p) line \(l): time \(Self.seconds(t, besides: prev)) s is not after "
                + "\(Self.seconds(prev, besides: t)) s on line \(prevLine)"
        case .notWAV(let p): "\(p) is not a WAV file (no RIFF/WAVE header)"
        case .noFmtChunk(let p): "\(p) has no fmt chunk before its audio data (not a valid WAV file)"
        case .noDataChunk(let p): "\(p) has no data chunk (no audio in the file)"
        case .unsupportedFormat(let p, let f):
            "\(p): unsupported audio format \(f); gaitpop reads PCM (8/16/24/32-bit integer) and IEEE float "
                + "(32/64-bit) WAV files"
        case .unsupportedBitDepth(let p, let b, let e):
            "\(p): \(b)-bit \(e) samples are not supported; gaitpop reads PCM (8/16/24/32-bit integer) and IEEE "
                + "float (32/64-bit) WAV files"
        case .unsupportedRate(let p, let r):
            "\(p): sample rate \(r) Hz is not supported (8000–48000 Hz; resample the file first)"
        case .badFormat(let p, let r): "\(p): invalid WAV fmt chunk: \(r)"
        case .cannotCreate(let p, let r): "cannot create \(p): \(r)"
        case .diskFull(let p, let k): "disk full writing \(p); \(k)"
        case .writeFailed(let p, let r, let k): "writing \(p) failed (\(r)); \(k)"
        }
    }

    /// At most 20 names: a header with thousands of columns must still give one readable line.
    static func list(_ names: [String]) -> String {
        if names.isEmpty { return "(nothing)" }
        let shown = names.prefix(20).joined(separator: ",")
        return names.count > 20 ? shown + ",… (\(names.count - 20) more)" : shown
    }

    /// Three decimals, like the times loggers write; more when two different times would print alike.
    static func seconds(_ t: Double, besides other: Double) -> String {
        var digits = 3
        while digits < 9 && t != other
            && String(format: "%.\(digits)f", t) == String(format: "%.\(digits)f", other) { digits += 1 }
        return String(format: "%.\(digits)f", t)
    }

    /// Text from an untrusted file made fit for one message line: valid UTF-8 (bad bytes become U+FFFD), control
    /// characters shown as `?`, at most `limit` characters.
    static func printable<C: Collection>(_ bytes: C, limit: Int = 40) -> String where C.Element == UInt8 {
        let text = String(decoding: bytes, as: UTF8.self)
        var out = ""
        var count = 0
        for ch in text {
            if count == limit { out += "…"; break }
            out.append(ch.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? "?" : ch)
            count += 1
        }
        return out
    }
}
