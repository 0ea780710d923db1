import Foundation
import SensorProtocol

/// One mark to put back into a recording on import: a device button press (a MARKER frame, as the firmware would
/// send it) or a host note (a pain press `p` or a typed note `n` from `live --record`).
public struct ImportMarker: Equatable, Sendable {
    public enum Origin: Equatable, Sendable {
        /// A device marker with its kind byte and id.
        case device(kind: UInt8, id: UInt16)
        case host(NoteRecord)
    }
    /// Seconds on the IMU CSV's time axis (the axis `export` writes: session seconds).
    public var tSeconds: Double
    public var origin: Origin

    public init(tSeconds: Double, origin: Origin) {
        self.tSeconds = tSeconds
        self.origin = origin
    }
}

/// The markers table `export --csv` and `report --csv` write (`t_seconds,source,kind,marker_id,text`) and
/// `import --markers` reads back.
///
/// The time column is `t_seconds` (or `time_s`, as in imu.csv). `source` is `device` (a button on the sensor) or
/// `host` (a key in `live --record`); a table without a `source` column is read as host marks, so a researcher's own
/// event list (`t_seconds,kind,text` with kinds `pain`/`note`) imports too. Device kinds are `pain`, `button`, `note` or `code_N` for a kind byte this version does not name.
public enum MarkerCSV {
    /// The word written for a device marker's kind.
    public static func deviceKindName(_ kind: Marker.Kind?, raw: UInt8?) -> String {
        if let kind { return "\(kind)" }
        return raw.map { "code_\($0)" } ?? "other"
    }

    static func deviceKind(_ word: String) -> UInt8? {
        if let k = [Marker.Kind.pain, .button, .note].first(where: { "\($0)" == word }) { return k.rawValue }
        if word.hasPrefix("code_"), let v = UInt8(word.dropFirst(5)) { return v }
        return word == "other" ? 0 : nil
    }

    /// Every row of the table, in file order; a bad row stops the import with its line number (a half-read marker
    /// list would silently lose the wearer's pain marks).
    public static func read(path: String) throws -> [ImportMarker] {
        let reader = try CSVLineReader(path: path, capacity: 1 << 16)
        guard let headerLine = try reader.nextLine() else { throw ImportError.noHeader(path: path) }
        let delimiter = CSVFields.delimiter(ofHeader: headerLine)
        let header = CSVFields.strings(headerLine, delimiter: delimiter).map { $0.lowercased() }
        let ti = header.firstIndex(of: "t_seconds") ?? header.firstIndex(of: "time_s")
        guard let ti, let ki = header.firstIndex(of: "kind") else {
            throw ImportError.missingColumns(path: path, missing: (ti == nil ? ["t_seconds"] : []) + (header.contains("kind") ? [] : ["kind"]),
                                             found: header)
        }
        let si = header.firstIndex(of: "source"), xi = header.firstIndex(of: "text")
        let ii = header.firstIndex(of: "marker_id")
        var out: [ImportMarker] = []
        var nextID: UInt16 = 1
        while let line = try reader.nextLine() {
            if CSVFields.isBlank(line) { continue }
            let f = CSVFields.strings(line, delimiter: delimiter, max: header.count)
            func field(_ i: Int?) -> String? { i.flatMap { $0 < f.count ? f[$0] : nil } }
            func bad(_ why: String) -> ImportError {
                .badMapping(path: path, reason: "line \(reader.lineNumber): \(why)")
            }
            guard let ts = field(ti), let t = Double(ts), t.isFinite, abs(t) <= 7 * 86_400 else {
                throw bad("\(header[ti]) '\(field(ti)?.prefix(20) ?? "")' is not a time in seconds")
            }
            let kind = field(ki) ?? ""
            let text = field(xi) ?? ""
            switch field(si) ?? "host" {
            case "device":
                guard let k = deviceKind(kind) else { throw bad("device marker kind '\(kind.prefix(20))' is not pain, button, note or code_N") }
                var id = nextID
                if let v = field(ii).flatMap({ UInt16($0) }) { id = v }
                nextID = id &+ 1
                out.append(ImportMarker(tSeconds: t, origin: .device(kind: k, id: id)))
            case "host":
                guard let k = NoteRecord.Kind(rawValue: kind) else { throw bad("host mark kind '\(kind.prefix(20))' is not pain or note") }
                out.append(ImportMarker(tSeconds: t, origin: .host(NoteRecord(kind: k, text: text.isEmpty ? nil : text))))
            case let other:
                throw bad("source '\(other.prefix(20))' is not device or host")
            }
        }
        return out
    }
}
