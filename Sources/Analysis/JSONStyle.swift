import Foundation

/// gaitpop's one JSON data style (docs/OUTPUT.md, "Data style"), shared by every object the tool emits: reports,
/// JSON lines, `inspect --json`, `devices --json`, `history --json`, calibration files, BIDS sidecars.
///
/// Why one place: four hand-made styles had grown (camelCase here, `t` vs `t_seconds` there, numbers as strings);
/// one encoder makes the rules impossible to forget:
/// - keys are snake_case, converted from the Swift property names, which carry the unit (`tSeconds` → `t_seconds`);
/// - numbers are JSON numbers at full precision (shortest text that reads back to the same `Double`);
/// - a value that is not known is left out; the only `null` is a number that is not finite (NaN, ±∞), which no
///   computation should produce: JSON has no spelling for it, and `null` keeps the line valid instead of failing;
/// - keys are sorted, so the same value always gives the same bytes (diffs, snapshots, caches).
public enum JSONStyle {
    /// The text the encoder writes for a non-finite number before it is turned into `null`. A control character
    /// that `JSONEncoder` always escapes, so no user text (notes, paths) can produce the same bytes.
    static let nonFiniteMarker = "\u{1}gaitpop-non-finite"
    private static let nonFiniteBytes = Data("\"\\u0001gaitpop-non-finite\"".utf8)

    /// An encoder in the house style; `pretty` for files people open, compact for JSON lines.
    public static func encoder(pretty: Bool) -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: nonFiniteMarker,
                                                                negativeInfinity: nonFiniteMarker, nan: nonFiniteMarker)
        return e
    }

    /// The matching decoder: reads snake_case keys, and also the camelCase keys of files written before the data
    /// style was unified (a key without underscores is left as it is, so `neutralUpSensor` still matches).
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }

    /// `value` as JSON in the house style.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
        nullForNonFinite(try encoder(pretty: pretty).encode(value))
    }

    /// Replaces the non-finite marker strings by `null`.
    static func nullForNonFinite(_ data: Data) -> Data {
        guard data.range(of: nonFiniteBytes) != nil else { return data }
        var out = Data(capacity: data.count)
        var rest = data[...]
        while let r = rest.range(of: nonFiniteBytes) {
            out += rest[rest.startIndex..<r.lowerBound]
            out += Data("null".utf8)
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
