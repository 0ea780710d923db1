import Foundation

/// One loader for every JSON configuration gaitpop reads — alert rules, pop detector, gait engine, simulator
/// scenarios: a file names only what it changes, the rest keeps the type's defaults ("JSON over defaults"), and
/// anything the type would not use is an error rather than silently ignored.
///
/// How: the defaults are encoded with the type's own `Encodable` conformance, the file's object is merged over them
/// (objects key by key, at every depth; any other value replaces the default), and the merge is decoded with the
/// type's own `Decodable` conformance — so no type hand-writes "key or default" decoding, and a field added to a
/// config is loadable the moment it is declared. Then the decoded value is encoded again: a key of the file that
/// does not come back is one the type does not have (a typo, a field of another version), and is rejected.
/// Finally, types with ranges check them (`ValidatedConfig`). Every failure is one line naming the file and the key.
public enum ConfigLoader {
    /// A problem with a configuration file, as one line.
    public struct LoadError: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Loads `path` over `defaults`. `what` names the file in messages ("alert rules", "scenario").
    public static func load<C: Codable>(_ type: C.Type, path: String, defaults: C, what: String) throws -> C {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let reason = !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) ? "no such file"
                : isDir.boolValue ? "it is a directory" : "not readable"
            throw LoadError("cannot read \(what) \(path): \(reason)")
        }
        do {
            return try decode(type, from: data, defaults: defaults)
        } catch let e as LoadError {
            throw LoadError("\(what) \(path): \(e.description)")
        }
    }

    /// Decodes `data` over `defaults` (see the type's documentation); errors are one line without a file name.
    public static func decode<C: Codable>(_ type: C.Type, from data: Data, defaults: C) throws -> C {
        let user: JSONValue
        do {
            user = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw LoadError("not valid JSON (\(underlyingMessage(error)))")
        }
        guard case .object = user else { throw LoadError("must be a JSON object of named settings, got \(user.kind)") }
        let base: JSONValue
        do {
            base = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(defaults))
        } catch {
            preconditionFailure("defaults of \(C.self) do not encode to JSON: \(error)")
        }
        if let (p, x) = user.firstFraction(whereIntegerIn: defaults) {
            throw LoadError("\"\(p)\" must be a whole number, got \(x)")
        }
        let merged = base.merging(user)
        let value: C
        do {
            value = try JSONDecoder().decode(C.self, from: JSONEncoder().encode(merged))
        } catch let e as DecodingError {
            throw LoadError(describe(e, in: merged, defaults: base))
        }
        let echo = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        if let unknown = user.firstKey(missingFrom: echo) {
            throw LoadError("unknown key \"\(unknown.path)\"" + suggestion(unknown.key, among: unknown.known))
        }
        if let v = value as? ValidatedConfig { try v.validate() }
        return value
    }

    private static func suggestion(_ key: String, among known: [String]) -> String {
        guard !known.isEmpty else { return "" }
        let best = known.min { editDistance($0.lowercased(), key.lowercased()) < editDistance($1.lowercased(), key.lowercased()) }!
        // Only a near miss is worth naming: the known keys of a decoded value omit optionals left empty.
        return editDistance(best.lowercased(), key.lowercased()) <= max(2, key.count / 3) ? " (did you mean \"\(best)\"?)" : ""
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }

    private static func path(_ codingPath: [CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    private static func underlyingMessage(_ error: Error) -> String {
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
           let d = u.userInfo[NSDebugDescriptionErrorKey] as? String { return d }
        if case DecodingError.dataCorrupted(let c) = error { return c.debugDescription }
        return "\(error)"
    }

    private static func describe(_ e: DecodingError, in merged: JSONValue, defaults: JSONValue) -> String {
        switch e {
        case .typeMismatch(let t, let c):
            let got = merged.value(at: c.codingPath).map { ", got \($0.kind)" } ?? ""
            return "\"\(path(c.codingPath))\" must be \(typeName(t))\(got)"
        case .valueNotFound(let t, let c):
            return "\"\(path(c.codingPath))\" must be \(typeName(t)), got null"
        case .keyNotFound(let k, let c):
            return "\"\(path(c.codingPath + [k]))\" is required"
        case .dataCorrupted(let c):
            // A key a keyed collection (e.g. cooldowns by rule name) could not take: unknown, like any other key.
            if let last = c.codingPath.last, last.intValue == nil,
               case .object(let known)? = defaults.value(at: c.codingPath.dropLast()), known[last.stringValue] == nil,
               case .object(let given)? = merged.value(at: c.codingPath.dropLast()), given[last.stringValue] != nil {
                return "unknown key \"\(path(c.codingPath))\"" + suggestion(last.stringValue, among: known.keys.sorted())
            }
            let got = merged.value(at: c.codingPath).map { " (got \($0.text))" } ?? ""
            // Out-of-range integers and unknown enum values land here.
            return "\"\(path(c.codingPath))\" is not a valid value\(got)"
        @unknown default:
            return "\(e)"
        }
    }

    private static func typeName(_ t: Any.Type) -> String {
        switch t {
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt.Type, is UInt64.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default:
            "\(t)".hasPrefix("Array") ? "a list" : "\(t)".hasPrefix("Dictionary") ? "an object" : "\(t)"
        }
    }
}

/// A configuration with ranges: `validate` throws `ConfigLoader.LoadError` naming the first value out of range.
public protocol ValidatedConfig {
    func validate() throws
}

/// A JSON document as a value, for merging and comparing key sets. Numbers keep their integer-ness so an integer
/// field is not handed a float.
indirect enum JSONValue: Codable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "true/false"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }

    /// Short JSON text of the value, for messages.
    var text: String {
        let s = (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? kind
        return s.count > 40 ? String(s.prefix(37)) + "…" : s
    }

    /// `other` over `self`: objects merge key by key (recursively); anything else replaces.
    func merging(_ other: JSONValue) -> JSONValue {
        guard case .object(var base) = self, case .object(let top) = other else { return other }
        for (k, v) in top { base[k] = base[k].map { $0.merging(v) } ?? v }
        return .object(base)
    }

    func value<P: Collection>(at path: P) -> JSONValue? where P.Element == CodingKey {
        var cur: JSONValue? = self
        for k in path {
            switch cur {
            case .object(let o)?: cur = o[k.stringValue]
            case .array(let a)?: cur = k.intValue.flatMap { a.indices.contains($0) ? a[$0] : nil }
            default: return nil
            }
        }
        return cur
    }

    /// The first number with a fraction given for a stored property of `defaults` that is an integer (found by
    /// reflection: JSON itself writes 2.0 as 2, so the defaults' JSON cannot tell an Int field from a Double one).
    func firstFraction(whereIntegerIn defaults: Any, prefix: String = "") -> (String, Double)? {
        guard case .object(let o) = self else { return nil }
        var fields: [String: Any] = [:]
        for c in Mirror(reflecting: defaults).children { if let l = c.label { fields[l] = c.value } }
        for k in o.keys.sorted() {
            guard let field = fields[k] else { continue }
            let p = prefix.isEmpty ? k : prefix + "." + k
            if field is any BinaryInteger || field is Int? { if case .double(let x)? = o[k], x != x.rounded() { return (p, x) } }
            if let f = o[k]!.firstFraction(whereIntegerIn: field, prefix: p) { return f }
        }
        return nil
    }

    /// The first key (in sorted order, depth first) of `self` that `echo` lacks: a key the decoded type dropped.
    /// A key set to null may be absent from the echo (an optional left empty) and is not reported.
    func firstKey(missingFrom echo: JSONValue, prefix: String = "") -> (path: String, key: String, known: [String])? {
        switch (self, echo) {
        case (.object(let o), .object(let e)):
            for k in o.keys.sorted() {
                let p = prefix.isEmpty ? k : prefix + "." + k
                guard let ev = e[k] else {
                    if o[k] == .null { continue }
                    return (p, k, e.keys.sorted())
                }
                if let f = o[k]!.firstKey(missingFrom: ev, prefix: p) { return f }
            }
        case (.array(let a), .array(let e)):
            for (i, (x, y)) in zip(a, e).enumerated() {
                if let f = x.firstKey(missingFrom: y, prefix: prefix + "[\(i)]") { return f }
            }
        default: break
        }
        return nil
    }
}
