import Foundation

/// Which CSV columns hold time, acceleration and angular rate, for loggers that do not use gaitpop's names.
///
/// Each part left nil is found from the header as usual, so `--acc-columns ax,ay,az` alone still picks up a
/// `time_s` column. Names match case-insensitively, ignoring surrounding blanks and quotes.
public struct ColumnMapping: Equatable, Sendable {
    public enum TimeUnit: String, CaseIterable, Sendable {
        case seconds = "s", milliseconds = "ms"
        /// Divided rather than multiplied by 10⁻³, so that 2290 ms reads as exactly the double nearest 2.29 s.
        var perSecond: Double { self == .seconds ? 1 : 1000 }
    }

    public enum AccelerationUnit: String, CaseIterable, Sendable {
        case g = "g", metersPerSecondSquared = "ms2"
        /// Standard gravity (ISO 80000-3), the g of accelerometer datasheets.
        static let standardGravity = 9.80665
        var perG: Double { self == .g ? 1 : Self.standardGravity }
    }

    public enum AngularRateUnit: String, CaseIterable, Sendable {
        case degreesPerSecond = "dps", radiansPerSecond = "rads"
        var toDps: Double { self == .degreesPerSecond ? 1 : 180 / Double.pi }
    }

    public var timeColumn: String?
    public var timeUnit: TimeUnit
    /// x, y, z: exactly three names.
    public var accColumns: [String]?
    public var accUnit: AccelerationUnit
    /// x, y, z: exactly three names; nil finds `gyr_*_dps` / `gyr_*_rads` if present.
    public var gyroColumns: [String]?
    public var gyroUnit: AngularRateUnit

    public init(timeColumn: String? = nil, timeUnit: TimeUnit = .seconds, accColumns: [String]? = nil,
                accUnit: AccelerationUnit = .g, gyroColumns: [String]? = nil,
                gyroUnit: AngularRateUnit = .degreesPerSecond) {
        self.timeColumn = timeColumn
        self.timeUnit = timeUnit
        self.accColumns = accColumns
        self.accUnit = accUnit
        self.gyroColumns = gyroColumns
        self.gyroUnit = gyroUnit
    }
}

/// Where the reader finds each quantity in a row, and the factor to gaitpop's units; resolved once from the header.
struct IMUColumnLayout: Equatable {
    struct Column: Equatable {
        var index: Int
        /// As written in the header, for messages.
        var name: String
    }

    enum Time: Equatable {
        /// Time = value / perSecond.
        case column(Column, perSecond: Double)
        case rate(Double)
    }

    var time: Time
    var acc: [Column]
    /// Acceleration in g = value / accPerG.
    var accPerG: Double
    var gyro: [Column]?
    var gyroToDps: Double
    var description: String

    private static let nameTrim = CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\""))

    /// Fields a row needs: one past the rightmost column used.
    var fieldsNeeded: Int {
        var m = acc.map(\.index).max()! + 1
        if case .column(let c, _) = time { m = max(m, c.index + 1) }
        if let g = gyro { m = max(m, g.map(\.index).max()! + 1) }
        return m
    }

    /// Finds the columns in `header`: the mapping's names where given, gaitpop's standard names otherwise.
    /// `rateHz`, when given, times rows by their index and any time column is ignored.
    static func resolve(header: [String], mapping: ColumnMapping?, rateHz: Double?, path: String) throws -> Self {
        let h = try HeaderColumns(header: header, path: path)
        let acc = try h.accelerometer(mapping)
        let gyro = try h.gyroscope(mapping)
        let time = try h.time(mapping, rateHz: rateHz)
        let accText = acc.standard ? "acc_*_\(acc.unit.rawValue)"
            : "\(acc.columns.map(\.name).joined(separator: ",")) (\(acc.unit == .g ? "g" : "m/s²"))"
        var gyroText = "no gyroscope"
        if let g = gyro {
            gyroText = g.standard ? "gyr_*_\(g.unit.rawValue)"
                : "\(g.columns.map(\.name).joined(separator: ",")) (\(g.unit == .degreesPerSecond ? "deg/s" : "rad/s"))"
        }
        return IMUColumnLayout(time: time.time, acc: acc.columns, accPerG: acc.unit.perG, gyro: gyro?.columns,
                               gyroToDps: (gyro?.unit ?? .degreesPerSecond).toDps,
                               description: [time.text, accText, gyroText].joined(separator: ", "))
    }

    /// A CSV header's column names, looked up case- and space-insensitively, with errors that list what was found.
    struct HeaderColumns {
        let path: String
        /// Names as found (printable), for messages.
        let found: [String]
        let keys: [String]

        init(header: [String], path: String) throws {
            self.path = path
            found = header.map { ImportError.printable($0.utf8) }
            keys = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            // Two columns of one name: which one holds the data is a guess, so it is an error, not a silent first pick.
            var seen: [String: Int] = [:]
            for (i, k) in keys.enumerated() where !k.isEmpty {
                if let j = seen[k] {
                    throw ImportError.badMapping(path: path, reason: "column '\(found[i])' appears twice in the header "
                        + "(columns \(j + 1) and \(i + 1)); rename one")
                }
                seen[k] = i
            }
        }

        func find(_ name: String) -> Column? {
            let key = name.trimmingCharacters(in: IMUColumnLayout.nameTrim).lowercased()
            return keys.firstIndex(of: key).map { Column(index: $0, name: found[$0]) }
        }

        func require(_ names: [String]) throws -> [Column] {
            let cols = names.map(find)
            let missing = zip(names, cols).filter { $0.1 == nil }.map { ImportError.printable($0.0.utf8) }
            guard missing.isEmpty else { throw ImportError.missingColumns(path: path, missing: missing, found: found) }
            return cols.map { $0! }
        }

        static func axes(_ prefix: String, _ unit: String) -> [String] { ["x", "y", "z"].map { "\(prefix)_\($0)_\(unit)" } }

        /// The first family whose three columns are all there; a family only partly there is an error naming the
        /// absent ones, since it is surely meant.
        func detect<U>(_ families: [(names: [String], unit: U)]) throws -> ([Column], U)? {
            for f in families {
                let cols = f.names.compactMap(find)
                if cols.count == 3 { return (cols, f.unit) }
            }
            for f in families where f.names.contains(where: { find($0) != nil }) {
                _ = try require(f.names)
            }
            return nil
        }

        /// Three named columns from a mapping, or an error saying how many were given.
        func three(_ names: [String], _ what: String) throws -> [Column] {
            guard names.count == 3 else {
                throw ImportError.badMapping(path: path, reason: "\(what) columns need three names (x,y,z), got "
                    + "\(names.count): \(ImportError.list(names.map { ImportError.printable($0.utf8) }))")
            }
            return try require(names)
        }

        func accelerometer(_ mapping: ColumnMapping?) throws
            -> (columns: [Column], unit: ColumnMapping.AccelerationUnit, standard: Bool) {
            if let names = mapping?.accColumns {
                return (try three(names, "accelerometer"), mapping?.accUnit ?? .g, false)
            }
            if let d = try detect([(Self.axes("acc", "g"), ColumnMapping.AccelerationUnit.g),
                                   (Self.axes("acc", "ms2"), .metersPerSecondSquared)]) {
                return (d.0, d.1, true)
            }
            throw ImportError.noAccelerometerColumns(path: path, found: found)
        }

        /// The gyroscope is optional: nil when neither a mapping nor the standard names name one.
        func gyroscope(_ mapping: ColumnMapping?) throws
            -> (columns: [Column], unit: ColumnMapping.AngularRateUnit, standard: Bool)? {
            if let names = mapping?.gyroColumns {
                return (try three(names, "gyroscope"), mapping?.gyroUnit ?? .degreesPerSecond, false)
            }
            if let d = try detect([(Self.axes("gyr", "dps"), ColumnMapping.AngularRateUnit.degreesPerSecond),
                                   (Self.axes("gyr", "rads"), .radiansPerSecond)]) {
                return (d.0, d.1, true)
            }
            return nil
        }

        func time(_ mapping: ColumnMapping?, rateHz: Double?) throws -> (time: Time, text: String) {
            if let r = rateHz {
                guard r.isFinite && r > 0 else { throw ImportError.invalidRate(path: path, rateHz: r) }
                return (.rate(r), "time from \(IMUColumnLayout.hz(r)) Hz")
            }
            if let name = mapping?.timeColumn {
                let c = try require([name])[0]
                let unit = mapping?.timeUnit ?? .seconds
                return (.column(c, perSecond: unit.perSecond), "\(c.name) (\(unit.rawValue))")
            }
            if let c = find("time_s") { return (.column(c, perSecond: 1), "time_s") }
            if let c = find("time_ms") { return (.column(c, perSecond: 1000), "time_ms") }
            throw ImportError.noTimeNoRate(path: path, found: found)
        }
    }

    static func hz(_ r: Double) -> String {
        r == r.rounded() && abs(r) < 1e9 ? String(Int(r)) : String(format: "%.6g", r)
    }
}
