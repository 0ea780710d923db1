import Foundation

/// One IMU sample from a CSV file, in gaitpop's units.
public struct IMURow: Equatable, Sendable {
    /// From the file's time column, or row index / rate when the file has none.
    public var tSeconds: Double
    public var accG: SIMD3<Double>
    public var gyroDps: SIMD3<Double>?

    public init(tSeconds: Double, accG: SIMD3<Double>, gyroDps: SIMD3<Double>?) {
        self.tSeconds = tSeconds
        self.accG = accG
        self.gyroDps = gyroDps
    }
}

/// Streams accelerometer (and gyroscope) rows from another logger's CSV file.
///
/// Columns are found by header name: `time_s` or `time_ms` (else a rate must be given), `acc_{x,y,z}_g` or
/// `acc_{x,y,z}_ms2`, and optionally `gyr_{x,y,z}_dps` or `gyr_{x,y,z}_rads`; a `ColumnMapping` names them for other
/// loggers. The delimiter is a comma, or a semicolon or tab when the header has no comma (then `0,95` is read as a
/// decimal comma too). Extra columns are ignored; blank lines are skipped.
///
/// The file is read through a fixed buffer and fields are parsed in place, so memory is flat in file length and a
/// row costs no heap allocation. Every defect a file can have — a short row, a word where a number belongs, NaN,
/// time running backwards — is a typed `ImportError` naming the file, line and column: gait results from silently
/// patched data would look plausible and be wrong. After an error `next()` may be called again; it carries on with
/// the following line.
public final class IMUCSVReader {
    public let path: String
    public let hasGyroscope: Bool
    /// What was found, e.g. "time_s, acc_*_g, gyr_*_dps" or "t (ms), ax,ay,az (m/s²), no gyroscope".
    public let columnsDescription: String
    /// Header names as written (shortened and made printable for messages).
    public let columnNames: [String]
    /// The rate given at init, which times rows by index; nil when times come from the file.
    public let fixedRateHz: Double?
    public private(set) var rowsRead = 0

    private let lines: CSVLineReader
    private let numbers: DecimalParser
    private let delimiter: UInt8
    private let decimalComma: Bool
    private let fieldsNeeded: Int
    /// Field index of time (−1: from the rate), accelerometer and gyroscope (−1: none) columns.
    private let timeIndex: Int, ax: Int, ay: Int, az: Int, gx: Int, gy: Int, gz: Int
    private let timePerSecond: Double, rowRateHz: Double, accPerG: Double, gyroToDps: Double
    /// Start and end offset of each needed field in the current line.
    private let ranges: UnsafeMutablePointer<Int>
    private var previousT: Double?
    private var previousLine = 0

    /// Opens `path` and reads its header. `rateHz`, when given, times row k at k / rateHz seconds and any time column
    /// is ignored; without a time column it is required.
    public init(path: String, mapping: ColumnMapping? = nil, rateHz: Double? = nil) throws {
        self.path = path
        let lines = try CSVLineReader(path: path)
        var headerLine: UnsafeBufferPointer<UInt8>?
        while let l = try lines.nextLine() {
            if !CSVFields.isBlank(l) { headerLine = l; break }
        }
        guard let header = headerLine else { throw ImportError.noHeader(path: path) }
        let d = CSVFields.delimiter(ofHeader: header)
        let comma = d != UInt8(ascii: ",")
        let names = CSVFields.strings(header, delimiter: d)
        let parser = DecimalParser()
        let allNumbers = names.allSatisfy { name in
            var s = name
            return s.withUTF8 { parser.parse($0, decimalComma: comma) } != nil
        }
        if allNumbers { throw ImportError.headerIsData(path: path, line: lines.lineNumber) }
        let layout = try IMUColumnLayout.resolve(header: names, mapping: mapping, rateHz: rateHz, path: path)

        self.lines = lines
        numbers = parser
        delimiter = d
        decimalComma = comma
        columnNames = names.map { ImportError.printable($0.utf8) }
        columnsDescription = layout.description
        fieldsNeeded = layout.fieldsNeeded
        switch layout.time {
        case .column(let c, let perSecond):
            timeIndex = c.index
            timePerSecond = perSecond
            rowRateHz = 0
            fixedRateHz = nil
        case .rate(let r):
            timeIndex = -1
            timePerSecond = 1
            rowRateHz = r
            fixedRateHz = r
        }
        (ax, ay, az) = (layout.acc[0].index, layout.acc[1].index, layout.acc[2].index)
        accPerG = layout.accPerG
        hasGyroscope = layout.gyro != nil
        (gx, gy, gz) = layout.gyro.map { ($0[0].index, $0[1].index, $0[2].index) } ?? (-1, -1, -1)
        gyroToDps = layout.gyroToDps
        ranges = .allocate(capacity: 2 * layout.fieldsNeeded)
    }

    deinit { ranges.deallocate() }

    /// The next row, or nil at the end of the file.
    public func next() throws -> IMURow? {
        while let line = try lines.nextLine() {
            if CSVFields.isBlank(line) { continue }
            let lineNo = lines.lineNumber
            let n = CSVFields.split(line, delimiter: delimiter, into: ranges, max: fieldsNeeded)
            guard n >= fieldsNeeded else {
                throw ImportError.tooFewFields(path: path, line: lineNo, count: n, expected: fieldsNeeded)
            }
            let t: Double
            if timeIndex >= 0 {
                t = try number(line, timeIndex, lineNo) / timePerSecond
            } else {
                t = Double(rowsRead) / rowRateHz
            }
            if let p = previousT, !(t > p) {
                throw ImportError.timeNotIncreasing(path: path, line: lineNo, tSeconds: t, previousSeconds: p,
                                                    previousLine: previousLine)
            }
            let acc = try SIMD3(number(line, ax, lineNo), number(line, ay, lineNo), number(line, az, lineNo))
            var gyro: SIMD3<Double>?
            if gx >= 0 {
                gyro = try SIMD3(number(line, gx, lineNo), number(line, gy, lineNo), number(line, gz, lineNo))
                    * gyroToDps
            }
            previousT = t
            previousLine = lineNo
            rowsRead += 1
            return IMURow(tSeconds: t, accG: acc / accPerG, gyroDps: gyro)
        }
        return nil
    }

    private func number(_ line: UnsafeBufferPointer<UInt8>, _ column: Int, _ lineNo: Int) throws -> Double {
        let field = UnsafeBufferPointer(rebasing: line[ranges[2 * column]..<ranges[2 * column + 1]])
        guard let v = numbers.parse(field, decimalComma: decimalComma) else {
            let text = ImportError.printable(field).trimmingCharacters(in: .whitespaces)
            throw ImportError.notANumber(path: path, line: lineNo, column: columnNames[column], text: text)
        }
        guard v.isFinite else {
            throw ImportError.notFinite(path: path, line: lineNo, column: columnNames[column], isNaN: v.isNaN)
        }
        return v
    }

    /// The sample rate of a file with a time column: 1 / the median interval of its first `rows` rows (the median,
    /// so a few dropped or doubled samples do not move it). Nil with fewer than two rows.
    public static func estimateRateHz(path: String, mapping: ColumnMapping? = nil, rows: Int = 1001) throws -> Double? {
        let reader = try IMUCSVReader(path: path, mapping: mapping)
        var times: [Double] = []
        times.reserveCapacity(max(rows, 0))
        while times.count < rows, let row = try reader.next() { times.append(row.tSeconds) }
        return medianRateHz(timesSeconds: times)
    }

    /// 1 / median interval of increasing times; nil with fewer than two.
    public static func medianRateHz(timesSeconds t: [Double]) -> Double? {
        guard t.count >= 2 else { return nil }
        let intervals = zip(t.dropFirst(), t).map { $0 - $1 }.sorted()
        let m = intervals.count
        let median = m % 2 == 1 ? intervals[m / 2] : (intervals[m / 2 - 1] + intervals[m / 2]) / 2
        return median > 0 ? 1 / median : nil
    }
}
