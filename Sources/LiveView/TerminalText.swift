/// Text from files, devices and flags printed on a terminal: control characters (C0 except newline and tab, DEL,
/// C1) are dropped, so a note in a recording's header cannot move the cursor, recolour or retitle the terminal.
public enum TerminalText {
    public static func clean(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            let v = u.value
            if v == 0x0A || v == 0x09 || !(v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)) { out.append(u) }
        }
        return String(out)
    }
}
