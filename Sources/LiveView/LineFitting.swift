/// Fitting text into a terminal line: its visible width skips SGR escape sequences (`ESC [ … m`), and a line longer
/// than the terminal is cut with an ellipsis rather than left to wrap (a wrapped line scrolls the header off a small
/// terminal and breaks in-place redraws).
public enum LineFitting {
    /// Columns the line takes on screen: characters outside escape sequences (each counted as one column).
    public static func visibleWidth(_ line: String) -> Int {
        var n = 0
        var inEscape = false
        for u in line.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(u.value), u != "[" { inEscape = false }
                continue
            }
            if u == "\u{1B}" { inEscape = true; continue }
            if u.properties.generalCategory == .nonspacingMark || u.value == 0x200D || u.value == 0xFE0F { continue }
            n += 1
        }
        return n
    }

    /// The line cut to `width` visible columns, ending in "…" when cut; escape sequences are kept and a reset is
    /// appended when the cut may have left an attribute on.
    public static func fit(_ line: String, width: Int) -> String {
        guard width > 0 else { return "" }
        if visibleWidth(line) <= width { return line }
        var out = String.UnicodeScalarView()
        var n = 0
        var inEscape = false
        var sawEscape = false
        for u in line.unicodeScalars {
            if inEscape {
                out.append(u)
                if (0x40...0x7E).contains(u.value), u != "[" { inEscape = false }
                continue
            }
            if u == "\u{1B}" { inEscape = true; sawEscape = true; out.append(u); continue }
            let zeroWidth = u.properties.generalCategory == .nonspacingMark || u.value == 0x200D || u.value == 0xFE0F
            if !zeroWidth {
                if n == width - 1 { break }
                n += 1
            }
            out.append(u)
        }
        return String(out) + "…" + (sawEscape ? "\u{1B}[0m" : "")
    }
}
