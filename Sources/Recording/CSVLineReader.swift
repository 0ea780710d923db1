import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hands out the lines of a text file one at a time from a fixed buffer, so memory stays flat however long the file
/// is (a day of 100 Hz IMU data is hundreds of MB). A line is valid until the next call.
///
/// Accepts `\n` and `\r\n` line ends and a last line without one, and drops a UTF-8 byte-order mark (spreadsheet
/// exports start with one, and it would otherwise stick to the first column name). A line longer than the buffer is
/// an error rather than a reason to grow: a binary file with no newlines must not eat the memory.
final class CSVLineReader {
    let path: String
    /// 1-based number of the line last returned (blank lines count, so it matches what an editor shows).
    private(set) var lineNumber = 0
    let capacity: Int

    private let file: UnsafeMutablePointer<FILE>
    private let buf: UnsafeMutablePointer<UInt8>
    private var start = 0, end = 0, scanned = 0
    private var eof = false
    private var skippingLongLine = false

    init(path: String, capacity: Int = 1 << 18) throws {
        self.path = path
        guard let f = fopen(path, "rb") else {
            throw ImportError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        var st = stat()
        if fstat(fileno(f), &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR {
                fclose(f)
                throw ImportError.cannotOpen(path: path, reason: "it is a directory")
            }
            if (st.st_mode & S_IFMT) == S_IFREG && st.st_size == 0 {
                fclose(f)
                throw ImportError.emptyFile(path: path)
            }
        }
        file = f
        self.capacity = capacity
        buf = .allocate(capacity: capacity)
    }

    deinit {
        fclose(file)
        buf.deallocate()
    }

    /// The next line without its line end, or nil at the end of the file. After a `lineTooLong` error the rest of
    /// that line is skipped, so reading can carry on.
    func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        while true {
            if scanned < end, let nl = memchr(buf + scanned, 0x0A, end - scanned) {
                let at = buf.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                if skippingLongLine {
                    skippingLongLine = false
                    start = at + 1
                    scanned = start
                    continue
                }
                return line(upTo: at, next: at + 1)
            }
            if skippingLongLine { start = end } // drop what has been read of it
            if eof {
                skippingLongLine = false
                return start < end ? line(upTo: end, next: end) : nil
            }
            if start > 0 {
                if end > start { memmove(buf, buf + start, end - start) }
                end -= start
                start = 0
            }
            scanned = end
            if end == capacity {
                lineNumber += 1
                skippingLongLine = true
                start = 0; end = 0; scanned = 0
                throw ImportError.lineTooLong(path: path, line: lineNumber, limitBytes: capacity)
            }
            let got = fread(buf + end, 1, capacity - end, file)
            if got == 0 {
                if ferror(file) != 0 {
                    throw ImportError.readFailed(path: path, reason: String(cString: strerror(errno)))
                }
                eof = true
            }
            if lineNumber == 0 && start == 0 && end == 0 && got >= 3 && buf[0] == 0xEF && buf[1] == 0xBB
                && buf[2] == 0xBF {
                start = 3
            }
            end += got
        }
    }

    private func line(upTo lineEnd: Int, next: Int) -> UnsafeBufferPointer<UInt8> {
        var e = lineEnd
        if e > start && buf[e - 1] == 0x0D { e -= 1 }
        let l = UnsafeBufferPointer(start: buf + start, count: e - start)
        start = next
        scanned = next
        lineNumber += 1
        return l
    }
}

/// Splitting one CSV line into fields without copying: each field is a byte range of the line.
enum CSVFields {
    static let quote = UInt8(ascii: "\"")

    /// The delimiter a header line uses: comma, else semicolon, else tab (comma for a one-column file).
    static func delimiter(ofHeader line: UnsafeBufferPointer<UInt8>) -> UInt8 {
        for d in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")] where line.contains(d) { return d }
        return UInt8(ascii: ",")
    }

    /// Stores the ranges of the first `max` fields in `ranges` (start, end pairs, as offsets into `line`) and returns
    /// how many fields were found, at most `max`. A field that begins with `"` runs to the closing quote (a doubled
    /// `""` inside stays as it is), so a quoted delimiter does not split it; quotes are not part of the range.
    static func split(_ line: UnsafeBufferPointer<UInt8>, delimiter: UInt8, into ranges: UnsafeMutablePointer<Int>,
                      max: Int) -> Int {
        guard max > 0 else { return 0 }
        let n = line.count
        var i = 0
        var count = 0
        while true {
            // Leading blanks before an opening quote (never the delimiter itself).
            var j = i
            while j < n && (line[j] == 0x20 || line[j] == 0x09) && line[j] != delimiter { j += 1 }
            var fieldStart = i, fieldEnd: Int
            if j < n && line[j] == quote {
                fieldStart = j + 1
                var k = j + 1
                while k < n {
                    if line[k] == quote {
                        if k + 1 < n && line[k + 1] == quote { k += 2; continue }
                        break
                    }
                    k += 1
                }
                fieldEnd = min(k, n)
                i = min(k + 1, n)
                while i < n && line[i] != delimiter { i += 1 } // anything after the closing quote is dropped
            } else {
                while i < n && line[i] != delimiter { i += 1 }
                fieldEnd = i
            }
            ranges[2 * count] = fieldStart
            ranges[2 * count + 1] = fieldEnd
            count += 1
            if count == max || i >= n { return count }
            i += 1 // past the delimiter; a line ending in one has a last, empty field
            if i == n {
                ranges[2 * count] = n
                ranges[2 * count + 1] = n
                return count + 1
            }
        }
    }

    /// All fields of a (header) line as trimmed strings, quotes removed and `""` turned into `"`.
    static func strings(_ line: UnsafeBufferPointer<UInt8>, delimiter: UInt8, max: Int = 4096) -> [String] {
        let ranges = UnsafeMutablePointer<Int>.allocate(capacity: 2 * max)
        defer { ranges.deallocate() }
        let n = split(line, delimiter: delimiter, into: ranges, max: max)
        return (0..<n).map { k in
            let field = UnsafeBufferPointer(rebasing: line[ranges[2 * k]..<ranges[2 * k + 1]])
            return String(decoding: field, as: UTF8.self)
                .replacingOccurrences(of: "\"\"", with: "\"")
                .trimmingCharacters(in: .whitespaces)
        }
    }

    /// True for an empty line or one of only spaces and tabs.
    static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}
