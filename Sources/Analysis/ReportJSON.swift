import Foundation

/// JSON encoding of reports: snake_case keys, sorted, pretty; non-finite numbers become null-safe strings never
/// (every Double in a report is finite by construction, and encoding fails loudly if one is not).
public enum ReportJSON {
    public static func encode(_ r: WalkReport) throws -> Data {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try e.encode(r)
    }

    public static func decode(_ d: Data) throws -> WalkReport {
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        dec.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try dec.decode(WalkReport.self, from: d)
    }
}
