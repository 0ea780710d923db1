import Foundation
import XCTest
import TestSupport
@testable import Recording
#if canImport(Glibc)
import Glibc
#endif

/// CSV and WAV from other loggers, read and written through real files: every format and quirk the readers accept,
/// and every error with its exact one-line message. WAV files are built byte by byte here, independently of
/// `WAVWriter`, so a mistake cannot cancel out between writer and reader.
final class ImportFormatTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try makeTemporaryDirectory("gaitpop-import") }

    // MARK: - helpers

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, bytes: Array(text.utf8)) }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let p = path(name)
        XCTAssertTrue(FileManager.default.createFile(atPath: p, contents: Data(bytes)))
        return p
    }

    func rows(_ r: IMUCSVReader) throws -> [IMURow] {
        var out: [IMURow] = []
        while let row = try r.next() { out.append(row) }
        XCTAssertNil(try r.next(), "the end stays the end")
        return out
    }

    /// `body` must throw an ImportError whose message is exactly `expected`.
    func assertError(_ expected: String, file: StaticString = #filePath, line: UInt = #line,
                     _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("no error; expected: \(expected)", file: file, line: line)
        } catch let e as ImportError {
            XCTAssertEqual(e.description, expected, file: file, line: line)
        } catch {
            XCTFail("not an ImportError: \(error)", file: file, line: line)
        }
    }

    /// The message of reading a whole CSV file (header and rows).
    func assertCSVError(_ text: String, mapping: ColumnMapping? = nil, rateHz: Double? = nil,
                        file: StaticString = #filePath, line: UInt = #line, _ expected: (String) -> String) {
        let p = write("walk.csv", text)
        assertError(expected(p), file: file, line: line) {
            let r = try IMUCSVReader(path: p, mapping: mapping, rateHz: rateHz)
            while try r.next() != nil {}
        }
    }

    func assertClose(_ a: SIMD3<Double>?, _ b: SIMD3<Double>, accuracy: Double = 1e-12,
                     file: StaticString = #filePath, line: UInt = #line) {
        guard let a = a else { return XCTFail("nil, expected \(b)", file: file, line: line) }
        for k in 0..<3 { XCTAssertEqual(a[k], b[k], accuracy: accuracy, "axis \(k)", file: file, line: line) }
    }

    // MARK: - IMU CSV: formats

    func testStandardColumnsInGAndDegreesPerSecond() throws {
        let p = write("walk.csv", """
            time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps
            0.00,0.95451315,-0.15224048,-0.09063732,7.54012458,-0.171887339,-1.13445643
            0.01,0.95694683,-0.14500727,-0.08547103,7.10467666,0.103132403,-0.996946564

            """)
        let r = try IMUCSVReader(path: p)
        XCTAssertTrue(r.hasGyroscope)
        XCTAssertEqual(r.columnsDescription, "time_s, acc_*_g, gyr_*_dps")
        XCTAssertNil(r.fixedRateHz)
        let all = try rows(r)
        XCTAssertEqual(all.count, 2)
        XCTAssertEqual(all[0], IMURow(tSeconds: 0, accG: SIMD3(0.95451315, -0.15224048, -0.09063732),
                                      gyroDps: SIMD3(7.54012458, -0.171887339, -1.13445643)))
        // Parsed from bytes, the values are the doubles the literals give: correctly rounded.
        XCTAssertEqual(all[1], IMURow(tSeconds: 0.01, accG: SIMD3(0.95694683, -0.14500727, -0.08547103),
                                      gyroDps: SIMD3(7.10467666, 0.103132403, -0.996946564)))
        XCTAssertEqual(r.rowsRead, 2)
    }

    func testLongNumbersAndExponentsParseExactly() throws {
        // numpy's %.18e and long Python reprs take the strtod path; both must give the same doubles as Swift.
        let p = write("np.csv", """
            time_s,acc_x_g,acc_y_g,acc_z_g
            0.000000000000000000e+00,9.545131500000000000e-01,-1.0000000000000000000001,0.12345678901234568
            1E-2,-5e-1,+2.5E+0,  3.  
            """)
        let all = try rows(IMUCSVReader(path: p))
        XCTAssertEqual(all.map(\.tSeconds), [0, 0.01])
        XCTAssertEqual(all[0].accG, SIMD3(0.95451315, -1.0000000000000000000001, 0.12345678901234568))
        XCTAssertEqual(all[1].accG, SIMD3(-0.5, 2.5, 3))
    }

    func testMetersPerSecondSquaredMillisecondsAndRadiansPerSecond() throws {
        let p = write("si.csv", """
            time_ms,acc_x_ms2,acc_y_ms2,acc_z_ms2,gyr_x_rads,gyr_y_rads,gyr_z_rads
            0,9.80665,0,-4.903325,1,0,-0.5
            10,19.6133,-9.80665,0,3.141592653589793,0,0
            """)
        let r = try IMUCSVReader(path: p)
        XCTAssertEqual(r.columnsDescription, "time_ms, acc_*_ms2, gyr_*_rads")
        let all = try rows(r)
        XCTAssertEqual(all.map(\.tSeconds), [0, 0.01])
        assertClose(all[0].accG, SIMD3(1, 0, -0.5))
        assertClose(all[1].accG, SIMD3(2, -1, 0))
        assertClose(all[0].gyroDps, SIMD3(57.29577951308232, 0, -28.64788975654116), accuracy: 1e-9)
        assertClose(all[1].gyroDps, SIMD3(180, 0, 0), accuracy: 1e-9)
    }

    func testSemicolonAndTabDelimitersWithDecimalComma() throws {
        let semi = write("semi.csv", "time_s;acc_x_g;acc_y_g;acc_z_g\n0,00;1,5;-0,25;0\n0.01;1;2;3\n")
        let r = try IMUCSVReader(path: semi)
        XCTAssertFalse(r.hasGyroscope)
        XCTAssertEqual(r.columnsDescription, "time_s, acc_*_g, no gyroscope")
        XCTAssertEqual(try rows(r), [IMURow(tSeconds: 0, accG: SIMD3(1.5, -0.25, 0), gyroDps: nil),
                                     IMURow(tSeconds: 0.01, accG: SIMD3(1, 2, 3), gyroDps: nil)])
        let tab = write("tab.csv", "time_s\tacc_x_g\tacc_y_g\tacc_z_g\n0\t1\t2\t3\n0.5\t4,5\t5\t6\n")
        XCTAssertEqual(try rows(IMUCSVReader(path: tab)).map(\.accG), [SIMD3(1, 2, 3), SIMD3(4.5, 5, 6)])
    }

    func testCRLFBlankLinesAndLastLineWithoutNewline() throws {
        let p = write("crlf.csv", "time_s,acc_x_g,acc_y_g,acc_z_g\r\n0,1,2,3\r\n\r\n0.5,4,5,6\r\n   \r\n1,7,8,9")
        let all = try rows(IMUCSVReader(path: p))
        XCTAssertEqual(all.map(\.tSeconds), [0, 0.5, 1])
        XCTAssertEqual(all.last?.accG, SIMD3(7, 8, 9))
    }

    func testQuotedCaseInsensitiveHeadersAndByteOrderMark() throws {
        let p = write("quoted.csv", "\u{FEFF}\"Time_S\", \"ACC_X_G\" ,\"acc_y_g\",\"Acc_Z_g\",\"note, free\"\n"
            + "\"0.5\",\"1\",\"2\",\"3\",\"left, heel\"\n1,4,5,6,x\n")
        let r = try IMUCSVReader(path: p)
        XCTAssertEqual(r.columnNames, ["Time_S", "ACC_X_G", "acc_y_g", "Acc_Z_g", "note, free"])
        XCTAssertEqual(try rows(r), [IMURow(tSeconds: 0.5, accG: SIMD3(1, 2, 3), gyroDps: nil),
                                     IMURow(tSeconds: 1, accG: SIMD3(4, 5, 6), gyroDps: nil)])
    }

    func testExplicitMappingOverridesDetection() throws {
        let p = write("other.csv", """
            t,ax,ay,az,gx,gy,gz,temp_c
            1000,9.80665,0,0,0,0,3.141592653589793,25.1
            1010,0,-9.80665,0,0,0,0,25.1
            """)
        let mapping = ColumnMapping(timeColumn: "t", timeUnit: .milliseconds, accColumns: ["AX", " ay ", "\"az\""],
                                    accUnit: .metersPerSecondSquared, gyroColumns: ["gx", "gy", "gz"],
                                    gyroUnit: .radiansPerSecond)
        let r = try IMUCSVReader(path: p, mapping: mapping)
        XCTAssertEqual(r.columnsDescription, "t (ms), ax,ay,az (m/s²), gx,gy,gz (rad/s)")
        let all = try rows(r)
        XCTAssertEqual(all.map(\.tSeconds), [1, 1.01])
        assertClose(all[0].accG, SIMD3(1, 0, 0))
        assertClose(all[1].accG, SIMD3(0, -1, 0))
        assertClose(all[0].gyroDps, SIMD3(0, 0, 180), accuracy: 1e-9)

        // Only the accelerometer named: time_s is still found, and gyr_* columns too.
        let q = write("partial.csv", "time_s,a1,a2,a3,gyr_x_dps,gyr_y_dps,gyr_z_dps\n0,1,2,3,4,5,6\n")
        let r2 = try IMUCSVReader(path: q, mapping: ColumnMapping(accColumns: ["a1", "a2", "a3"]))
        XCTAssertEqual(r2.columnsDescription, "time_s, a1,a2,a3 (g), gyr_*_dps")
        XCTAssertEqual(try rows(r2), [IMURow(tSeconds: 0, accG: SIMD3(1, 2, 3), gyroDps: SIMD3(4, 5, 6))])
    }

    func testRateTimesRowsWithoutTimeColumn() throws {
        let p = write("norate.csv", "acc_x_g,acc_y_g,acc_z_g\n1,0,0\n\n0,1,0\n0,0,1\n")
        let r = try IMUCSVReader(path: p, rateHz: 50)
        XCTAssertEqual(r.fixedRateHz, 50)
        XCTAssertEqual(r.columnsDescription, "time from 50 Hz, acc_*_g, no gyroscope")
        let all = try rows(r)
        XCTAssertEqual(all.map(\.tSeconds), [0, 0.02, 0.04])
        XCTAssertEqual(all.map(\.accG), [SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)])

        // A given rate wins over a time column, even a broken one (which is then not parsed at all).
        let q = write("badtime.csv", "time_s,acc_x_g,acc_y_g,acc_z_g\n5,1,0,0\nlost,0,1,0\n")
        XCTAssertEqual(try rows(IMUCSVReader(path: q, rateHz: 100)).map(\.tSeconds), [0, 0.01])
    }

    func testRateEstimateIsTheMedianInterval() throws {
        // One dropped sample (0.04) and one late one must not move a median.
        let p = write("rate.csv", "time_s,acc_x_g,acc_y_g,acc_z_g\n"
            + ["0.00", "0.01", "0.02", "0.03", "0.05", "0.06", "0.0705", "0.08"].map { "\($0),0,0,1\n" }.joined())
        XCTAssertEqual(try XCTUnwrap(IMUCSVReader.estimateRateHz(path: p)), 100, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(IMUCSVReader.estimateRateHz(path: p, rows: 3)), 100, accuracy: 1e-6)
        XCTAssertNil(try IMUCSVReader.estimateRateHz(path: p, rows: 1))
        XCTAssertEqual(try XCTUnwrap(IMUCSVReader.medianRateHz(timesSeconds: [0, 0.004, 0.008, 0.020])), 250,
                       accuracy: 1e-6)
        XCTAssertNil(IMUCSVReader.medianRateHz(timesSeconds: [1]))
        let none = write("none.csv", "acc_x_g,acc_y_g,acc_z_g\n1,0,0\n")
        XCTAssertThrowsError(try IMUCSVReader.estimateRateHz(path: none)) { e in
            XCTAssertEqual(e as? ImportError, .noTimeNoRate(path: none, found: ["acc_x_g", "acc_y_g", "acc_z_g"]))
        }
    }

    func testAfterABadLineReadingCarriesOn() throws {
        let p = write("skip.csv", "time_s,acc_x_g,acc_y_g,acc_z_g\n0,1,2,3\n0.1,x,2,3\n0.2,4,5,6\n")
        let r = try IMUCSVReader(path: p)
        XCTAssertEqual(try r.next()?.tSeconds, 0)
        XCTAssertThrowsError(try r.next())
        XCTAssertEqual(try r.next()?.accG, SIMD3(4, 5, 6))
        XCTAssertNil(try r.next())
    }

    func testRealLowerBackRecording() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/lowerback-lab/HA-001_Test5_Trial1.csv")
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "lab fixture missing at \(url.path)")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").count
        let r = try IMUCSVReader(path: url.path)
        XCTAssertEqual(r.columnsDescription, "time_s, acc_*_g, gyr_*_dps")
        let first = try XCTUnwrap(r.next())
        XCTAssertEqual(first, IMURow(tSeconds: 0, accG: SIMD3(0.95451315, -0.15224048, -0.09063732),
                                     gyroDps: SIMD3(7.54012458, -0.171887339, -1.13445643)))
        var count = 1
        var last = first
        while let row = try r.next() { count += 1; last = row }
        XCTAssertEqual(count, lines - 1)
        XCTAssertEqual(last.tSeconds, Double(count - 1) / 100, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(IMUCSVReader.estimateRateHz(path: url.path)), 100, accuracy: 1e-6)
    }

    func testGarbageNeverCrashesOnlyThrowsImportErrors() throws {
        var rng = SystemRandomNumberGenerator()
        for k in 0..<60 {
            var bytes = Array("time_s,acc_x_g,acc_y_g,acc_z_g\n0,1,2,3\n".utf8)
            let alphabet = Array("0123456789.,;-+eE\"\r\n \tnaNIf\u{0}x".utf8) + [0xFF, 0xC3]
            for _ in 0..<Int.random(in: 0..<3000, using: &rng) { bytes.append(alphabet.randomElement(using: &rng)!) }
            let p = write("fuzz\(k).csv", bytes: bytes)
            do {
                let r = try IMUCSVReader(path: p)
                var errors = 0
                while errors < 10_000 {
                    do { if try r.next() == nil { break } } catch { XCTAssertTrue(error is ImportError); errors += 1 }
                }
            } catch {
                XCTAssertTrue(error is ImportError, "\(error)")
            }
        }
    }

    // MARK: - IMU CSV: errors

    func testFileErrors() throws {
        let missing = path("nope.csv")
        assertError("cannot open \(missing): No such file or directory") { _ = try IMUCSVReader(path: missing) }
        assertError("cannot open \(dir.path): it is a directory") { _ = try IMUCSVReader(path: dir.path) }
        let empty = write("empty.csv", "")
        assertError("\(empty) is empty (0 bytes)") { _ = try IMUCSVReader(path: empty) }
        let blank = write("blank.csv", "\n  \r\n\n")
        assertError("\(blank) has no header row (only blank lines)") { _ = try IMUCSVReader(path: blank) }
        assertCSVError("\n0.0,1,2,3\n1,2,3,4\n") {
            "\($0) line 2: no header row: the first line holds numbers; expected column names such as "
                + "time_s,acc_x_g,acc_y_g,acc_z_g"
        }
    }

    func testMissingColumnErrors() {
        assertCSVError("t,ax,ay,az\n0,1,2,3\n") {
            "\($0): no accelerometer columns: expected acc_x_g,acc_y_g,acc_z_g or acc_x_ms2,acc_y_ms2,acc_z_ms2; "
                + "found: t,ax,ay,az (name them with --acc-columns)"
        }
        assertCSVError("time_s,acc_x_g,acc_y_g\n0,1,2\n") {
            "\($0): missing column acc_z_g; found: time_s,acc_x_g,acc_y_g"
        }
        assertCSVError("time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps\n0,1,2,3,4\n") {
            "\($0): missing columns gyr_y_dps,gyr_z_dps; found: time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps"
        }
        assertCSVError("t,ax,ay,az\n0,1,2,3\n", mapping: ColumnMapping(accColumns: ["ax", "ay", "accz"])) {
            "\($0): missing column accz; found: t,ax,ay,az"
        }
        assertCSVError("t,ax,ay,az\n0,1,2,3\n",
                       mapping: ColumnMapping(timeColumn: "time", accColumns: ["ax", "ay", "az"])) {
            "\($0): missing column time; found: t,ax,ay,az"
        }
        assertCSVError("t,ax,ay,az\n0,1,2,3\n", mapping: ColumnMapping(accColumns: ["ax", "ay"])) {
            "\($0): accelerometer columns need three names (x,y,z), got 2: ax,ay"
        }
        assertCSVError("ax,ay,az\n1,2,3\n", mapping: ColumnMapping(accColumns: ["ax", "ay", "az"])) {
            "\($0): no time column (time_s or time_ms) and no sample rate given; found: ax,ay,az "
                + "(give the rate with --rate HZ, or name the time column with --time-column)"
        }
        assertCSVError("acc_x_g,acc_y_g,acc_z_g\n1,2,3\n", rateHz: 0) {
            "\($0): sample rate 0.0 Hz is not valid (it must be a positive number)"
        }
    }

    func testRowErrorsNameTheLineAndColumn() {
        let header = "time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n"
        assertCSVError(header + "0,1,2,3,4,5,6\n\n0.01,1,2,3\n") { "\($0) line 4: 4 fields, expected at least 7" }
        assertCSVError(header + "0,1,2,3,4,5,6\n0.01,1,abc,3,4,5,6\n") {
            "\($0) line 3, column acc_y_g: \"abc\" is not a number"
        }
        assertCSVError(header + "0,1,,3,4,5,6\n") { "\($0) line 2, column acc_y_g: \"\" is not a number" }
        assertCSVError(header + "0,1,2,NaN,4,5,6\n") { "\($0) line 2, column acc_z_g: NaN" }
        assertCSVError(header + "0,1,2,3,-inf,5,6\n") { "\($0) line 2, column gyr_x_dps: infinite" }
        assertCSVError(header + "0,1,2,3,4,5,1e999\n") { "\($0) line 2, column gyr_z_dps: infinite" }
        assertCSVError(header + "2.300,1,2,3,4,5,6\n2.290,1,2,3,4,5,6\n") {
            "\($0) line 3: time 2.290 s is not after 2.300 s on line 2"
        }
        assertCSVError(header + "1,1,2,3,4,5,6\n\n1.0,1,2,3,4,5,6\n") {
            "\($0) line 4: time 1.000 s is not after 1.000 s on line 2"
        }
        assertCSVError(header + "2.3004,1,2,3,4,5,6\n2.3002,1,2,3,4,5,6\n") {
            "\($0) line 3: time 2.3002 s is not after 2.3004 s on line 2"
        }
        assertCSVError("time_ms,acc_x_g,acc_y_g,acc_z_g\r\n2300,1,2,3\r\n2290,1,2,3\r\n") {
            "\($0) line 3: time 2.290 s is not after 2.300 s on line 2"
        }
        assertCSVError(header + String(repeating: "1", count: 300_000) + "\n") {
            "\($0) line 2: longer than 262144 bytes (is this a CSV file?)"
        }
    }

    func testAnOverlongLineIsSkippedAfterItsError() throws {
        let p = write("long.csv", "time_s,acc_x_g,acc_y_g,acc_z_g\n0,1,2,3\n" + String(repeating: "9", count: 600_000)
            + "\n1,4,5,6\n")
        let r = try IMUCSVReader(path: p)
        XCTAssertEqual(try r.next()?.accG, SIMD3(1, 2, 3))
        assertError("\(p) line 3: longer than 262144 bytes (is this a CSV file?)") { _ = try r.next() }
        let row = try XCTUnwrap(r.next())
        XCTAssertEqual(row, IMURow(tSeconds: 1, accG: SIMD3(4, 5, 6), gyroDps: nil))
        XCTAssertNil(try r.next())
        // Lines after the long one keep their numbers in messages.
        let q = write("long2.csv", "time_s,acc_x_g,acc_y_g,acc_z_g\n" + String(repeating: "9", count: 300_000)
            + "\n\n1,x,5,6\n")
        let r2 = try IMUCSVReader(path: q)
        XCTAssertThrowsError(try r2.next())
        assertError("\(q) line 4, column acc_x_g: \"x\" is not a number") { _ = try r2.next() }
    }

    // MARK: - WAV reading

    enum Kind: CaseIterable {
        case pcm8, pcm16, pcm24, pcm32, float32, float64
        var tag: Int { self == .float32 || self == .float64 ? 3 : 1 }
        var bits: Int {
            switch self {
            case .pcm8: 8
            case .pcm16: 16
            case .pcm24: 24
            case .pcm32, .float32: 32
            case .float64: 64
            }
        }
    }

    /// Little-endian byte building.
    struct Bytes {
        var bytes: [UInt8] = []
        mutating func id(_ s: String) { bytes += Array(s.utf8) }
        mutating func u16(_ v: Int) { bytes += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        mutating func u32(_ v: Int) { for k in 0..<4 { bytes.append(UInt8((v >> (8 * k)) & 0xFF)) } }
        mutating func chunk(_ id: String, _ body: [UInt8]) {
            self.id(id)
            u32(body.count)
            bytes += body
            if body.count % 2 == 1 { bytes.append(0) }
        }
    }

    /// One sample's bytes, and the Float the reader must return for it (full scale: 128, 32768, 2²³, 2³¹).
    static func encode(_ v: Double, _ kind: Kind) -> (bytes: [UInt8], expected: Float) {
        func le(_ x: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: x >> (8 * $0)) } }
        switch kind {
        case .pcm8:
            let q = Int((v * 127).rounded())
            return ([UInt8(q + 128)], Float(q) / 128)
        case .pcm16:
            let q = Int((v * 32767).rounded())
            return (le(UInt64(UInt16(bitPattern: Int16(q))), 2), Float(q) / 32768)
        case .pcm24:
            let q = Int((v * 8_388_607).rounded())
            return (le(UInt64(UInt32(bitPattern: Int32(q))), 3), Float(q) / 8_388_608)
        case .pcm32:
            let q = Int((v * 2_147_483_647).rounded())
            return (le(UInt64(UInt32(bitPattern: Int32(q))), 4), Float(Double(q) / 2_147_483_648))
        case .float32:
            return (le(UInt64(Float(v).bitPattern), 4), Float(v))
        case .float64:
            return (le(v.bitPattern, 8), Float(v))
        }
    }

    /// A 440 Hz sine on channel 0 and other signals on the others; the data bytes and channel 0 as the reader
    /// must return it.
    static func sine(frames: Int, channels: Int, kind: Kind, rateHz: Int = 16000) -> (data: [UInt8], first: [Float]) {
        var data: [UInt8] = []
        var first: [Float] = []
        for k in 0..<frames {
            for c in 0..<channels {
                let t = Double(k) / Double(rateHz)
                let v = c == 0 ? 0.8 * sin(2 * Double.pi * 440 * t) : 0.5 * cos(2 * Double.pi * 97 * t + Double(c))
                let e = encode(v, kind)
                data += e.bytes
                if c == 0 { first.append(e.expected) }
            }
        }
        return (data, first)
    }

    /// A fmt chunk body: plain (16 bytes, or 18 with `cbSize`), or WAVE_FORMAT_EXTENSIBLE (40 bytes).
    static func fmt(tag: Int, channels: Int, rateHz: Int, bits: Int, extensible: Bool = false,
                    withCbSize: Bool = false) -> [UInt8] {
        let container = (bits + 7) / 8
        var b = Bytes()
        b.u16(extensible ? 0xFFFE : tag)
        b.u16(channels)
        b.u32(rateHz)
        b.u32(rateHz * channels * container)
        b.u16(channels * container)
        b.u16(bits)
        if extensible {
            b.u16(22)
            b.u16(bits)
            b.u32(channels == 1 ? 0x4 : 0x3)
            // KSDATAFORMAT_SUBTYPE_xxx: {0000tttt-0000-0010-8000-00AA00389B71}, stored as a little-endian GUID.
            b.u32(tag)
            b.u16(0x0000)
            b.u16(0x0010)
            b.bytes += [0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        } else if withCbSize {
            b.u16(0)
        }
        return b.bytes
    }

    static func wav(fmt: [UInt8]?, data: [UInt8]?, dataSizeField: Int? = nil, before: [(String, [UInt8])] = [],
                    between: [(String, [UInt8])] = [], after: [(String, [UInt8])] = [],
                    riff: String = "RIFF") -> [UInt8] {
        var body = Bytes()
        body.id("WAVE")
        for c in before { body.chunk(c.0, c.1) }
        if let f = fmt { body.chunk("fmt ", f) }
        for c in between { body.chunk(c.0, c.1) }
        if let d = data {
            body.id("data")
            body.u32(dataSizeField ?? d.count)
            body.bytes += d
            if d.count % 2 == 1 { body.bytes.append(0) }
        }
        for c in after { body.chunk(c.0, c.1) }
        var w = Bytes()
        w.id(riff)
        w.u32(body.bytes.count)
        return w.bytes + body.bytes
    }

    func readAll(_ r: WAVReader, block: Int = 300) throws -> [Float] {
        var out: [Float] = []
        var buffer: [Float] = []
        while true {
            let n = try r.read(into: &buffer, maxFrames: block)
            if n == 0 { break }
            XCTAssertLessThanOrEqual(n, block)
            out += buffer[0..<n]
        }
        XCTAssertEqual(try r.read(into: &buffer, maxFrames: block), 0, "the end stays the end")
        XCTAssertEqual(buffer.count, block, "the buffer is reused, not regrown")
        return out
    }

    func testEveryFormatRoundTripsMonoAndStereoFirstChannel() throws {
        let rates = [8000, 16000, 44100, 48000]
        for (i, kind) in Kind.allCases.enumerated() {
            for channels in [1, 2, 3] {
                let rate = rates[(i + channels) % rates.count]
                let s = Self.sine(frames: 1000, channels: channels, kind: kind, rateHz: rate)
                let p = write("\(kind)-\(channels).wav", bytes: Self.wav(
                    fmt: Self.fmt(tag: kind.tag, channels: channels, rateHz: rate, bits: kind.bits), data: s.data))
                let r = try WAVReader(path: p)
                XCTAssertEqual(r.sampleRateHz, rate)
                XCTAssertEqual(r.channels, channels)
                XCTAssertEqual(r.bitsPerSample, kind.bits)
                XCTAssertEqual(r.frameCount, 1000)
                XCTAssertEqual(try readAll(r), s.first, "\(kind), \(channels) channels")
                XCTAssertEqual(r.framesRead, 1000)
                XCTAssertTrue(r.warnings.isEmpty)
            }
        }
        let p = write("desc.wav", bytes: Self.wav(fmt: Self.fmt(tag: 1, channels: 2, rateHz: 44100, bits: 24),
                                                  data: Self.sine(frames: 10, channels: 2, kind: .pcm24).data))
        XCTAssertEqual(try WAVReader(path: p).formatDescription, "PCM 24-bit, 2 channels, 44100 Hz")
    }

    func testExtensibleFormat() throws {
        for kind in [Kind.pcm16, .pcm24, .float32] {
            let s = Self.sine(frames: 777, channels: 2, kind: kind)
            let p = write("ext-\(kind).wav", bytes: Self.wav(
                fmt: Self.fmt(tag: kind.tag, channels: 2, rateHz: 16000, bits: kind.bits, extensible: true),
                data: s.data))
            let r = try WAVReader(path: p)
            XCTAssertTrue(r.format.isExtensible)
            XCTAssertEqual(r.format.encoding, kind == .float32 ? WAVFormat.Encoding.float : .pcm)
            XCTAssertEqual(try readAll(r, block: 256), s.first, "\(kind)")
        }
        let p = write("ext-desc.wav", bytes: Self.wav(
            fmt: Self.fmt(tag: 3, channels: 1, rateHz: 48000, bits: 32, extensible: true),
            data: Self.sine(frames: 4, channels: 1, kind: .float32).data))
        XCTAssertEqual(try WAVReader(path: p).formatDescription, "IEEE float 32-bit, mono, 48000 Hz (extensible)")
    }

    func testUnknownChunksAndOddPaddingAreSkipped() throws {
        let s = Self.sine(frames: 501, channels: 1, kind: .pcm8) // 501 data bytes: odd, padded
        let bytes = Self.wav(fmt: Self.fmt(tag: 1, channels: 1, rateHz: 8000, bits: 8, withCbSize: true),
                             data: s.data,
                             before: [("LIST", Array("INFOISFT\u{5}\u{0}\u{0}\u{0}abcd\u{0}".utf8)),
                                      ("JUNK", [1, 2, 3])],
                             between: [("fact", [0xF5, 0x01, 0, 0]), ("bext", [UInt8](repeating: 7, count: 11))],
                             after: [("LIST", Array("INFOICMT\u{3}\u{0}\u{0}\u{0}hi\u{0}".utf8))])
        let r = try WAVReader(path: write("chunks.wav", bytes: bytes))
        XCTAssertEqual(r.frameCount, 501)
        XCTAssertEqual(try readAll(r, block: 64), s.first, "the LIST after the data is not read as audio")
    }

    func testStreamedDataSizeReadsToTheEnd() throws {
        for size in [0, 0xFFFF_FFFF] {
            let s = Self.sine(frames: 1234, channels: 2, kind: .pcm16)
            let p = write("streamed-\(size).wav", bytes: Self.wav(
                fmt: Self.fmt(tag: 1, channels: 2, rateHz: 16000, bits: 16), data: s.data, dataSizeField: size))
            let r = try WAVReader(path: p)
            XCTAssertEqual(r.frameCount, 1234)
            XCTAssertEqual(try readAll(r, block: 1000), s.first)
            XCTAssertTrue(r.warnings.isEmpty)
        }
    }

    func testTruncatedDataIsReadUpToTheCut() throws {
        let s = Self.sine(frames: 1000, channels: 2, kind: .pcm16)
        let full = Self.wav(fmt: Self.fmt(tag: 1, channels: 2, rateHz: 16000, bits: 16), data: s.data)
        let cut = Array(full[0..<(44 + 500 * 4 + 2)]) // half a frame past frame 500
        let r = try WAVReader(path: write("cut.wav", bytes: cut))
        XCTAssertEqual(r.frameCount, 500)
        XCTAssertEqual(try readAll(r, block: 333), Array(s.first[0..<500]))
        XCTAssertEqual(r.warnings,
                       ["the data chunk declares 1000 frames but the file ends after 500; read up to the cut"])
    }

    func testFloatSamplesAreBoundedAndNaNIsSilence() throws {
        var data: [UInt8] = []
        for v: Float in [0.25, 2, -3, .nan, -.infinity] {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { data += $0 }
        }
        let p = write("float.wav", bytes: Self.wav(fmt: Self.fmt(tag: 3, channels: 1, rateHz: 16000, bits: 32),
                                                   data: data))
        XCTAssertEqual(try readAll(WAVReader(path: p)), [0.25, 1, -1, 0, -1])
    }

    func testWAVErrors() throws {
        let pcm = Self.fmt(tag: 1, channels: 1, rateHz: 16000, bits: 16)
        let data: [UInt8] = [0, 0, 1, 0]
        func check(_ name: String, _ bytes: [UInt8], _ message: (String) -> String, line: UInt = #line) {
            let p = write(name, bytes: bytes)
            assertError(message(p), line: line) { _ = try WAVReader(path: p) }
        }
        let missing = path("nope.wav")
        assertError("cannot open \(missing): No such file or directory") { _ = try WAVReader(path: missing) }
        check("empty.wav", []) { "\($0) is empty (0 bytes)" }
        check("text.wav", Array("time_s,acc_x_g\n0,1\n".utf8)) { "\($0) is not a WAV file (no RIFF/WAVE header)" }
        check("short.wav", Array("RIFF".utf8)) { "\($0) is not a WAV file (no RIFF/WAVE header)" }
        check("avi.wav", Self.wav(fmt: pcm, data: data).enumerated().map { $0.offset == 8 ? 0x41 : $0.element }) {
            "\($0) is not a WAV file (no RIFF/WAVE header)"
        }
        check("nofmt.wav", Self.wav(fmt: nil, data: data)) {
            "\($0) has no fmt chunk before its audio data (not a valid WAV file)"
        }
        check("nothing.wav", Self.wav(fmt: nil, data: nil, before: [("LIST", [1, 2])])) {
            "\($0) has no fmt chunk before its audio data (not a valid WAV file)"
        }
        check("nodata.wav", Self.wav(fmt: pcm, data: nil, after: [("LIST", [1, 2, 3])])) {
            "\($0) has no data chunk (no audio in the file)"
        }
        let supported = "gaitpop reads PCM (8/16/24/32-bit integer) and IEEE float (32/64-bit) WAV files"
        check("ulaw.wav", Self.wav(fmt: Self.fmt(tag: 7, channels: 1, rateHz: 8000, bits: 8), data: data)) {
            "\($0): unsupported audio format µ-law (7); \(supported)"
        }
        check("adpcm.wav", Self.wav(fmt: Self.fmt(tag: 2, channels: 1, rateHz: 8000, bits: 4), data: data)) {
            "\($0): unsupported audio format Microsoft ADPCM (2); \(supported)"
        }
        check("ext-alaw.wav", Self.wav(fmt: Self.fmt(tag: 6, channels: 1, rateHz: 8000, bits: 8, extensible: true),
                                       data: data)) {
            "\($0): unsupported audio format A-law (6) in WAVE_FORMAT_EXTENSIBLE; \(supported)"
        }
        check("odd-tag.wav", Self.wav(fmt: Self.fmt(tag: 0x4242, channels: 1, rateHz: 8000, bits: 8), data: data)) {
            "\($0): unsupported audio format unknown format (16962); \(supported)"
        }
        check("rifx.wav", Self.wav(fmt: pcm, data: data, riff: "RIFX")) {
            "\($0): unsupported audio format big-endian RIFX; \(supported)"
        }
        check("4bit.wav", Self.wav(fmt: Self.fmt(tag: 1, channels: 1, rateHz: 8000, bits: 4), data: data)) {
            "\($0): 4-bit PCM samples are not supported; \(supported)"
        }
        check("half.wav", Self.wav(fmt: Self.fmt(tag: 3, channels: 1, rateHz: 8000, bits: 16), data: data)) {
            "\($0): 16-bit IEEE float samples are not supported; \(supported)"
        }
        check("96k.wav", Self.wav(fmt: Self.fmt(tag: 1, channels: 1, rateHz: 96000, bits: 16), data: data)) {
            "\($0): sample rate 96000 Hz is not supported (8000–48000 Hz; resample the file first)"
        }
        check("7999.wav", Self.wav(fmt: Self.fmt(tag: 1, channels: 1, rateHz: 7999, bits: 16), data: data)) {
            "\($0): sample rate 7999 Hz is not supported (8000–48000 Hz; resample the file first)"
        }
        check("nochannels.wav", Self.wav(fmt: Self.fmt(tag: 1, channels: 0, rateHz: 8000, bits: 16), data: data)) {
            "\($0): invalid WAV fmt chunk: 0 channels"
        }
        check("shortfmt.wav", Self.wav(fmt: Array(pcm[0..<14]), data: data)) {
            "\($0): invalid WAV fmt chunk: the fmt chunk is 14 bytes, at least 16 needed"
        }
        check("cutfmt.wav", Array(Self.wav(fmt: pcm, data: data)[0..<26])) {
            "\($0): invalid WAV fmt chunk: the file ends inside the fmt chunk"
        }
    }

    func testGarbageWAVNeverCrashes() throws {
        var rng = SystemRandomNumberGenerator()
        let good = Self.wav(fmt: Self.fmt(tag: 1, channels: 2, rateHz: 16000, bits: 24),
                            data: Self.sine(frames: 200, channels: 2, kind: .pcm24).data)
        for k in 0..<200 {
            var bytes = good
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            bytes = Array(bytes[0..<Int.random(in: 0...bytes.count, using: &rng)])
            let p = write("fuzz\(k).wav", bytes: bytes)
            do {
                let r = try WAVReader(path: p)
                var buffer: [Float] = []
                var total = 0
                while true {
                    let n = try r.read(into: &buffer, maxFrames: 97)
                    if n == 0 { break }
                    total += n
                }
                XCTAssertTrue(buffer.allSatisfy { $0 >= -1 && $0 <= 1 })
                if let c = r.frameCount { XCTAssertLessThanOrEqual(total, c) }
            } catch {
                XCTAssertTrue(error is ImportError, "\(error)")
            }
        }
    }

    // MARK: - WAV writing

    func testWAVWriterRoundTripAndHeader() throws {
        let p = path("out.wav")
        let samples: [Int16] = (0..<100_000).map { k in Int16((0.7 * sin(Double(k) * 0.05) * 32767).rounded()) }
        let w = try WAVWriter(path: p, sampleRateHz: 16000)
        try w.append(Array(samples[0..<10]))
        try samples[10...].withUnsafeBufferPointer { try w.append($0) }
        XCTAssertEqual(w.samplesWritten, 100_000)
        XCTAssertEqual(w.durationSeconds, 6.25)
        try w.finish()
        try w.finish()

        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: p)))
        var h = Bytes()
        h.id("RIFF"); h.u32(36 + 200_000); h.id("WAVE")
        h.id("fmt "); h.u32(16); h.u16(1); h.u16(1); h.u32(16000); h.u32(32000); h.u16(2); h.u16(16)
        h.id("data"); h.u32(200_000)
        XCTAssertEqual(Array(bytes[0..<44]), h.bytes)
        XCTAssertEqual(bytes.count, 44 + 200_000)

        let r = try WAVReader(path: p)
        XCTAssertEqual(r.formatDescription, "PCM 16-bit, mono, 16000 Hz")
        XCTAssertEqual(try readAll(r, block: 4096), samples.map { Float($0) / 32768 })
    }

    func testUnfinishedWAVIsReadableToTheEnd() throws {
        let p = path("killed.wav")
        let w = try WAVWriter(path: p, sampleRateHz: 8000)
        let samples = [Int16](repeating: -1234, count: 40_000)
        try w.append(samples) // 32768 samples go to disk, the rest stays buffered
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: p)))
        XCTAssertEqual(Array(bytes[4..<8]), [0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(Array(bytes[40..<44]), [0xFF, 0xFF, 0xFF, 0xFF])
        let r = try WAVReader(path: p)
        XCTAssertEqual(r.frameCount, 32768)
        XCTAssertEqual(try readAll(r, block: 5000).count, 32768)
        try w.finish()
        XCTAssertEqual(try readAll(WAVReader(path: p)), [Float](repeating: -1234.0 / 32768, count: 40_000))
    }

    func testWAVWriterFloatInput() throws {
        let p = path("float-in.wav")
        let w = try WAVWriter(path: p, sampleRateHz: 16000)
        // Int16 → Float (÷ 32768) → WAV is lossless, full scale included; beyond it clips, NaN is silence.
        let ints: [Int16] = [0, 1, -1, 12345, -20000, 32767, -32768]
        var input = ints.map { Float($0) / 32768 }
        input += [1, 1.5, -7, .infinity, .nan]
        try input.withUnsafeBufferPointer { try w.append($0) }
        try w.finish()
        let expected = ints + [32767, 32767, -32768, 32767, 0]
        XCTAssertEqual(try readAll(WAVReader(path: p)), expected.map { Float($0) / 32768 })
    }

    func testWAVWriterErrors() throws {
        assertError("disk full writing /dev/full; nothing was written") {
            _ = try WAVWriter(path: "/dev/full", sampleRateHz: 16000)
        }
        let noDir = path("no/such/dir.wav")
        assertError("cannot create \(noDir): No such file or directory") {
            _ = try WAVWriter(path: noDir, sampleRateHz: 16000)
        }
        let p = path("zero.wav")
        assertError("cannot create \(p): sample rate 0 Hz is not valid") { _ = try WAVWriter(path: p, sampleRateHz: 0) }
    }

    func testWAVWriterDiskFullKeepsAPlayableFile() throws {
        let p = path("full.wav")
        var budget = 44 + 65536 + 1000 // bytes the "disk" accepts: the header, one 64 KiB block and a bit
        let w = try WAVWriter(path: p, sampleRateHz: 8000, write: { fd, ptr, n in
            if budget <= 0 { errno = ENOSPC; return -1 }
            let k = min(n, budget)
            budget -= k
            return Glibc.write(fd, ptr, k)
        })
        let samples = (0..<100_000).map { Int16(truncatingIfNeeded: $0 &* 7) }
        let expected = "disk full writing \(p); the first 4.10 s are kept and playable"
        assertError(expected) { try w.append(samples) }
        assertError(expected) { try w.append([1, 2, 3]) }
        assertError(expected) { try w.finish() }
        let r = try WAVReader(path: p)
        XCTAssertEqual(r.frameCount, 32768, "cut back to the last whole block and the header patched to match")
        XCTAssertEqual(try readAll(r, block: 10_000), samples[0..<32768].map { Float($0) / 32768 })
        XCTAssertTrue(r.warnings.isEmpty)
    }

    // MARK: - CSV table writing

    func testCSVTableWriterFormatsAndQuotes() throws {
        let p = path("table.csv")
        let w = try CSVTableWriter(path: p, columns: [.init("t_s", decimals: 3), .init("label, kind", decimals: 0),
                                                      .init("acc_g", decimals: 2)])
        try w.writeRow([.number(1.5), .text("heel, left"), .number(-0.0001)])
        try w.writeRow([.number(-2), .text("say \"hi\""), .number(2.675)])
        try w.writeRow([.number(.nan), .text(" lead"), .number(-.infinity)])
        try w.writeRow([.empty, .text("line\nbreak"), .number(1234567.891)])
        w.add(0.0005)
        w.add("plain")
        w.addEmpty()
        try w.endRow()
        try w.writeRow([1e20, 3, 0.125])
        XCTAssertEqual(w.rowsWritten, 6)
        try w.finish()
        let text = try String(contentsOfFile: p, encoding: .utf8)
        XCTAssertEqual(text, [
            #"t_s,"label, kind",acc_g"#,
            #"1.500,"heel, left",0.00"#,
            #"-2.000,"say ""hi""",2.68"#, // 2.675 × 100 is 267.5 in binary: half away from zero (printf would say 2.67)
            #"NaN," lead",-inf"#,
            #","line"#,
            #"break",1234567.89"#,
            "0.001,plain,",
            "100000000000000000000.000,3,0.13",
            "",
        ].joined(separator: "\n"))
    }

    func testCSVTableWriterOutputReadsBackAsIMUData() throws {
        let p = path("export.csv")
        let w = try CSVTableWriter(path: p, columns: ["time_s", "acc_x_g", "acc_y_g", "acc_z_g"].map {
            CSVTableWriter.Column($0, decimals: 4)
        })
        for k in 0..<500 { try w.writeRow([Double(k) / 100, 1, -0.5, Double(k % 7) * 0.1234]) }
        try w.finish()
        let all = try rows(IMUCSVReader(path: p))
        XCTAssertEqual(all.count, 500)
        XCTAssertEqual(all[123].tSeconds, 1.23)
        XCTAssertEqual(all[123].accG, SIMD3(1, -0.5, 0.4936)) // 123 % 7 = 4
    }

    func testCSVTableWriterDiskFull() throws {
        assertError("disk full writing /dev/full; nothing was written") {
            _ = try CSVTableWriter(path: "/dev/full", columns: [.init("a")])
        }
        let p = path("full.csv")
        var budget = 4 + 100_000
        let w = try CSVTableWriter(path: p, columns: [.init("i", decimals: 0), .init("x", decimals: 6)],
                                   write: { fd, ptr, n in
                                       if budget <= 0 { errno = ENOSPC; return -1 }
                                       let k = min(n, budget)
                                       budget -= k
                                       return Glibc.write(fd, ptr, k)
                                   })
        var thrown: ImportError?
        for k in 0..<50_000 where thrown == nil {
            do { try w.writeRow([Double(k), 1]) } catch { thrown = error as? ImportError }
        }
        let message = try XCTUnwrap(thrown).description
        let prefix = "disk full writing \(p); the first ", suffix = " rows are kept"
        XCTAssertTrue(message.hasPrefix(prefix) && message.hasSuffix(suffix), message)
        let kept = try XCTUnwrap(Int(message.dropFirst(prefix.count).dropLast(suffix.count)))
        XCTAssertGreaterThan(kept, 1000)
        assertError(message) { try w.finish() }
        let text = try String(contentsOfFile: p, encoding: .utf8)
        XCTAssertEqual(text, "i,x\n" + (0..<kept).map { "\($0),1.000000\n" }.joined(), "cut back to whole rows")
    }
}
