import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a decimal number straight from CSV bytes, with no String and no heap allocation per field.
///
/// The syntax is checked by hand (sign, digits, one decimal point, exponent; surrounding blanks allowed; `nan`,
/// `inf`, `infinity` in any case are read as such so the caller can name them). The value then comes from Clinger's
/// fast path (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990): when the digits fit in 53
/// bits and the power of ten is at most 10²², one IEEE multiplication or division is correctly rounded. That covers
/// what loggers write (`0.95451315`, `-1.13445643`, `12345`). Longer numbers (numpy's `%.18e`) go to `strtod` on a
/// NUL-terminated copy in a preallocated scratch buffer, which rounds correctly too.
///
/// `decimalComma` also accepts `,` as the decimal point: semicolon- and tab-separated files from European
/// spreadsheets write `0,954`.
final class DecimalParser {
    private static let scratchSize = 512
    private let scratch: UnsafeMutablePointer<CChar>
    /// Exact powers of ten (all are representable up to 10²²).
    private static let powers: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { acc, _ in acc * 10 } }

    init() { scratch = .allocate(capacity: Self.scratchSize) }
    deinit { scratch.deallocate() }

    /// The number in `field`, or nil when it is not one. NaN and infinities are returned, not rejected.
    func parse(_ field: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> Double? {
        var lo = 0, hi = field.count
        while lo < hi && (field[lo] == 0x20 || field[lo] == 0x09) { lo += 1 }
        while hi > lo && (field[hi - 1] == 0x20 || field[hi - 1] == 0x09) { hi -= 1 }
        guard lo < hi else { return nil }
        var i = lo
        var negative = false
        if field[i] == UInt8(ascii: "-") || field[i] == UInt8(ascii: "+") {
            negative = field[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent10 = 0
        var inexact = false
        var sawDigit = false
        while i < hi, case let d = field[i] &- 0x30, d < 10 {
            sawDigit = true
            if mantissa == 0 && d == 0 {
                // leading zero: contributes nothing
            } else if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                significantDigits += 1
            } else {
                exponent10 += 1
                if d != 0 { inexact = true }
            }
            i += 1
        }
        if i < hi && (field[i] == UInt8(ascii: ".") || (decimalComma && field[i] == UInt8(ascii: ","))) {
            i += 1
            while i < hi, case let d = field[i] &- 0x30, d < 10 {
                sawDigit = true
                if mantissa == 0 && d == 0 {
                    exponent10 -= 1
                } else if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significantDigits += 1
                    exponent10 -= 1
                } else if d != 0 {
                    inexact = true
                }
                i += 1
            }
        }
        guard sawDigit else { return Self.special(field, from: i, to: hi, negative: negative) }
        if i < hi && (field[i] == UInt8(ascii: "e") || field[i] == UInt8(ascii: "E")) {
            i += 1
            var expNegative = false
            if i < hi && (field[i] == UInt8(ascii: "-") || field[i] == UInt8(ascii: "+")) {
                expNegative = field[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < hi, case let d = field[i] &- 0x30, d < 10 {
                if e < 100_000 { e = e * 10 + Int(d) } // beyond any double's range either way; no overflow
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent10 += expNegative ? -e : e
        }
        guard i == hi else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if !inexact && mantissa <= 1 << 53 && exponent10 >= -22 && exponent10 <= 22 {
            let m = Double(mantissa)
            let v = exponent10 < 0 ? m / Self.powers[-exponent10] : m * Self.powers[exponent10]
            return negative ? -v : v
        }
        return slowPath(UnsafeBufferPointer(rebasing: field[lo..<hi]))
    }

    /// Correctly rounded conversion of an already validated number through `strtod`.
    private func slowPath(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        if text.count < Self.scratchSize {
            for k in 0..<text.count {
                scratch[k] = CChar(bitPattern: text[k] == UInt8(ascii: ",") ? UInt8(ascii: ".") : text[k])
            }
            scratch[text.count] = 0
            var endPointer: UnsafeMutablePointer<CChar>?
            let v = strtod(scratch, &endPointer)
            if let e = endPointer, scratch.distance(to: e) == text.count { return v }
        }
        // Very long digit strings, or a C locale whose decimal point is not '.': the standard library's parser.
        let s = String(decoding: text, as: UTF8.self).replacingOccurrences(of: ",", with: ".")
        return Double(s)
    }

    /// `nan`, `inf`, `infinity` (any case, after the sign).
    private static func special(_ field: UnsafeBufferPointer<UInt8>, from: Int, to: Int, negative: Bool) -> Double? {
        func matches(_ word: StaticString) -> Bool {
            guard to - from == word.utf8CodeUnitCount else { return false }
            let w = word.utf8Start
            for k in 0..<(to - from) where field[from + k] | 0x20 != w[k] { return false }
            return true
        }
        if matches("nan") { return .nan }
        if matches("inf") || matches("infinity") { return negative ? -.infinity : .infinity }
        return nil
    }
}
