import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a CSV table (header, then rows of numbers and text), buffered and streaming, for exports people open in a
/// spreadsheet or pandas.
///
/// Numbers get a fixed number of decimals per column, so a column lines up and a 100 Hz export is not bloated with 17
/// digits of noise; they are rounded half away from zero after scaling by 10^decimals, which can differ from printf in
/// the last digit for values within one ulp of a tie. NaN is written `NaN` and infinities `inf`/`-inf` (what pandas
/// reads). Text is quoted (RFC 4180) only when it holds a comma, quote or line break, or starts or ends with a space.
/// Rows are written in 64 KiB blocks; when a write fails the file is cut back to its last whole row, so it stays a
/// valid table, and one clear error says how many rows were kept.
///
/// Build a row cell by cell with `add` and `endRow()` (no allocation per row), or pass a whole row to `writeRow`.
public final class CSVTableWriter {
    public struct Column: Equatable, Sendable {
        public var name: String
        /// Decimal places for numbers in this column (0…17).
        public var decimals: Int

        public init(_ name: String, decimals: Int = 3) {
            precondition((0...17).contains(decimals), "decimals must be 0…17")
            self.name = name
            self.decimals = decimals
        }
    }

    public enum Cell: Equatable, Sendable {
        case number(Double)
        case text(String)
        case empty
    }

    public let path: String
    public let columns: [Column]
    /// Whole rows accepted so far (written or buffered), not counting the header.
    public private(set) var rowsWritten = 0

    private let out: BufferedFileOutput
    private var cellsInRow = 0
    private var rowsOnDisk = 0
    private var failed: ImportError?
    private var finished = false

    /// Creates (truncates) `path` and writes the header row.
    public convenience init(path: String, columns: [Column]) throws {
        try self.init(path: path, columns: columns, write: { Glibc.write($0, $1, $2) })
    }

    /// `write` is injectable so tests can make the disk fill up mid-file.
    init(path: String, columns: [Column], write: @escaping (Int32, UnsafeRawPointer, Int) -> Int) throws {
        precondition(!columns.isEmpty, "a CSV table needs at least one column")
        self.path = path
        self.columns = columns
        out = try BufferedFileOutput(path: path, write: write)
        for (k, c) in columns.enumerated() {
            if k > 0 { out.buffer.append(UInt8(ascii: ",")) }
            Self.appendText(c.name, to: &out.buffer)
        }
        out.buffer.append(UInt8(ascii: "\n"))
        if let e = out.flush() {
            finished = true
            out.close()
            throw out.error(e, kept: "nothing was written")
        }
    }

    deinit {
        if !finished { try? finish() }
    }

    /// The next cell of the current row: a number with its column's decimals.
    public func add(_ value: Double) {
        let c = nextCell()
        Self.appendFixed(value, decimals: columns[c].decimals, to: &out.buffer)
    }

    /// The next cell of the current row: text, quoted if it needs to be.
    public func add(_ text: String) {
        _ = nextCell()
        Self.appendText(text, to: &out.buffer)
    }

    /// The next cell of the current row, left empty.
    public func addEmpty() { _ = nextCell() }

    /// Ends the current row (which must have one cell per column); writes when 64 KiB are buffered.
    public func endRow() throws {
        precondition(cellsInRow == columns.count, "row has \(cellsInRow) cells for \(columns.count) columns")
        cellsInRow = 0
        if let f = failed {
            out.buffer.removeAll(keepingCapacity: true)
            throw f
        }
        out.buffer.append(UInt8(ascii: "\n"))
        rowsWritten += 1
        if out.buffer.count >= BufferedFileOutput.flushThreshold { try flush() }
    }

    public func writeRow(_ values: [Double]) throws {
        for v in values { add(v) }
        try endRow()
    }

    public func writeRow(_ cells: [Cell]) throws {
        for cell in cells {
            switch cell {
            case .number(let v): add(v)
            case .text(let t): add(t)
            case .empty: addEmpty()
            }
        }
        try endRow()
    }

    /// Writes what is buffered and closes. Safe to call twice.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        defer { out.close() }
        if let f = failed { throw f }
        precondition(cellsInRow == 0, "finish() in the middle of a row")
        try flush()
        out.sync()
    }

    private func flush() throws {
        let rows = rowsWritten
        if let e = out.flush() {
            let err = out.error(e, kept: "the first \(rowsOnDisk) rows are kept")
            failed = err
            throw err
        }
        rowsOnDisk = rows
    }

    private func nextCell() -> Int {
        precondition(!finished, "CSVTableWriter used after finish()")
        precondition(cellsInRow < columns.count, "more cells than the \(columns.count) columns")
        if cellsInRow > 0 { out.buffer.append(UInt8(ascii: ",")) }
        cellsInRow += 1
        return cellsInRow - 1
    }

    // MARK: - formatting

    private static let powers: [Double] = (0...17).map { k in (0..<k).reduce(1.0) { acc, _ in acc * 10 } }
    private static let integerPowers: [UInt64] = (0...17).map { k in (0..<k).reduce(1) { acc, _ in acc * 10 } }

    /// `value` with exactly `decimals` decimals, e.g. 1.5 with 3 → "1.500"; −0.0001 with 2 → "0.00".
    static func appendFixed(_ value: Double, decimals: Int, to out: inout [UInt8]) {
        if value.isNaN { out += Array("NaN".utf8); return }
        if value.isInfinite { out += Array((value < 0 ? "-inf" : "inf").utf8); return }
        let scaled = (abs(value) * powers[decimals]).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else {
            out += Array(String(format: "%.\(decimals)f", value).utf8) // beyond UInt64: rare, allocation is fine
            return
        }
        let n = UInt64(scaled)
        if value < 0 && n != 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(n / integerPowers[decimals], minimumDigits: 1, to: &out)
        if decimals > 0 {
            out.append(UInt8(ascii: "."))
            appendDigits(n % integerPowers[decimals], minimumDigits: decimals, to: &out)
        }
    }

    private static func appendDigits(_ v: UInt64, minimumDigits: Int, to out: inout [UInt8]) {
        let start = out.count
        var x = v
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(x % 10))
            x /= 10
        } while x > 0
        while out.count - start < minimumDigits { out.append(UInt8(ascii: "0")) }
        out[start...].reverse()
    }

    /// Text as one CSV field: quoted, with quotes doubled, when it holds `,` `"` CR or LF or has edge spaces.
    static func appendText(_ text: String, to out: inout [UInt8]) {
        let u = text.utf8
        let needsQuotes = u.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            || u.first == 0x20 || u.last == 0x20
        guard needsQuotes else { out.append(contentsOf: u); return }
        out.append(UInt8(ascii: "\""))
        for b in u {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }
}
