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
        let found = header.map { ImportError.printable($0.utf8) }
        let keys = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        // Two columns of one name: which one holds the data is a guess, so it is an error, not a silent first pick.
        var seen: [String: Int] = [:]
        for (i, k) in keys.enumerated() where !k.isEmpty {
            if let j = seen[k] {
                throw ImportError.badMapping(path: path, reason: "column '\(found[i])' appears twice in the header "
                    + "(columns \(j + 1) and \(i + 1)); rename one")
            }
            seen[k] = i
        }
        func find(_ name: String) -> Column? {
            let key = name.trimmingCharacters(in: Self.nameTrim).lowercased()
            return keys.firstIndex(of: key).map { Column(index: $0, name: found[$0]) }
        }
        func require(_ names: [String]) throws -> [Column] {
            let cols = names.map(find)
            let missing = zip(names, cols).filter { $0.1 == nil }.map { ImportError.printable($0.0.utf8) }
            guard missing.isEmpty else { throw ImportError.missingColumns(path: path, missing: missing, found: found) }
            return cols.map { $0! }
        }
        func axes(_ prefix: String, _ unit: String) -> [String] { ["x", "y", "z"].map { "\(prefix)_\($0)_\(unit)" } }
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

        // Accelerometer.
        var acc: [Column]
        var accUnit: ColumnMapping.AccelerationUnit
        var accStandard = false
        if let names = mapping?.accColumns {
            guard names.count == 3 else {
                throw ImportError.badMapping(path: path, reason: "accelerometer columns need three names (x,y,z), got "
                    + "\(names.count): \(ImportError.list(names.map { ImportError.printable($0.utf8) }))")
            }
            acc = try require(names)
            accUnit = mapping?.accUnit ?? .g
        } else if let d = try detect([(axes("acc", "g"), ColumnMapping.AccelerationUnit.g),
                                      (axes("acc", "ms2"), .metersPerSecondSquared)]) {
            acc = d.0
            accUnit = d.1
            accStandard = true
        } else {
            throw ImportError.noAccelerometerColumns(path: path, found: found)
        }

        // Gyroscope (optional).
        var gyro: [Column]?
        var gyroUnit = ColumnMapping.AngularRateUnit.degreesPerSecond
        var gyroStandard = false
        if let names = mapping?.gyroColumns {
            guard names.count == 3 else {
                throw ImportError.badMapping(path: path, reason: "gyroscope columns need three names (x,y,z), got "
                    + "\(names.count): \(ImportError.list(names.map { ImportError.printable($0.utf8) }))")
            }
            gyro = try require(names)
            gyroUnit = mapping?.gyroUnit ?? .degreesPerSecond
        } else if let d = try detect([(axes("gyr", "dps"), ColumnMapping.AngularRateUnit.degreesPerSecond),
                                      (axes("gyr", "rads"), .radiansPerSecond)]) {
            gyro = d.0
            gyroUnit = d.1
            gyroStandard = true
        }

        // Time.
        let time: Time
        var timeText: String
        if let r = rateHz {
            guard r.isFinite && r > 0 else { throw ImportError.invalidRate(path: path, rateHz: r) }
            time = .rate(r)
            timeText = "time from \(Self.hz(r)) Hz"
        } else if let name = mapping?.timeColumn {
            let c = try require([name])[0]
            let unit = mapping?.timeUnit ?? .seconds
            time = .column(c, perSecond: unit.perSecond)
            timeText = "\(c.name) (\(unit.rawValue))"
        } else if let c = find("time_s") {
            time = .column(c, perSecond: 1)
            timeText = "time_s"
        } else if let c = find("time_ms") {
            time = .column(c, perSecond: 1000)
            timeText = "time_ms"
        } else {
            throw ImportError.noTimeNoRate(path: path, found: found)
        }

        let accText = accStandard ? "acc_*_\(accUnit.rawValue)"
            : "\(acc.map(\.name).joined(separator: ",")) (\(accUnit == .g ? "g" : "m/s²"))"
        var gyroText = "no gyroscope"
        if let g = gyro {
            gyroText = gyroStandard ? "gyr_*_\(gyroUnit.rawValue)"
                : "\(g.map(\.name).joined(separator: ",")) (\(gyroUnit == .degreesPerSecond ? "deg/s" : "rad/s"))"
        }
        return IMUColumnLayout(time: time, acc: acc, accPerG: accUnit.perG, gyro: gyro, gyroToDps: gyroUnit.toDps,
                               description: [timeText, accText, gyroText].joined(separator: ", "))
    }

    static func hz(_ r: Double) -> String {
        r == r.rounded() && abs(r) < 1e9 ? String(Int(r)) : String(format: "%.6g", r)
    }
}
