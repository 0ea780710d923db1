import Foundation

/// One line of gaitpop's JSON-lines output (docs/OUTPUT.md): a flat object with a "type" and snake_case keys.
/// Built by hand into a reusable buffer so live output does not allocate an encoder per event.
public struct JSONLine {
    private var parts: [String] = []

    public init(type: String) { parts = ["\"type\":\"\(type)\""] }

    public mutating func add(_ key: String, _ v: Double?, decimals: Int = 3) {
        guard let v, v.isFinite else { parts.append("\"\(key)\":null"); return }
        parts.append("\"\(key)\":" + String(format: "%.\(decimals)f", v))
    }

    public mutating func add(_ key: String, _ v: Int?) {
        parts.append("\"\(key)\":" + (v.map(String.init) ?? "null"))
    }

    public mutating func add(_ key: String, _ v: Bool) { parts.append("\"\(key)\":\(v)") }

    public mutating func add(_ key: String, _ v: String?) {
        guard let v else { parts.append("\"\(key)\":null"); return }
        parts.append("\"\(key)\":" + JSONLine.quote(v))
    }

    public mutating func addRaw(_ key: String, json: String) { parts.append("\"\(key)\":\(json)") }

    public var text: String { "{" + parts.joined(separator: ",") + "}" }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
