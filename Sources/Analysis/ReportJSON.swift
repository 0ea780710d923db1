import Foundation

/// JSON encoding of reports in the house style (`JSONStyle`: snake_case keys, sorted, pretty, numbers as numbers).
public enum ReportJSON {
    public static func encode(_ r: WalkReport) throws -> Data {
        try JSONStyle.encode(r, pretty: true)
    }

    public static func decode(_ d: Data) throws -> WalkReport {
        try JSONStyle.decoder().decode(WalkReport.self, from: d)
    }
}
