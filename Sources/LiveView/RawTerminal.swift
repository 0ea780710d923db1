import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal for the dashboard: raw keys without echo (restored on exit, also when the program is stopped by
/// an error), non-blocking key reads, its current size (read at every redraw, so a resized window is followed), and
/// screen redraws in one write. Signals (Ctrl-C) stay on: ISIG is left set.
public final class RawTerminal {
    private var saved = termios()
    private var active = false

    /// nil when stdin or stdout is not a terminal.
    public init?() {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1, tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        active = true
        write("\u{1B}[?25l") // hide the cursor
    }

    deinit { restore() }

    public func restore() {
        guard active else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
        write("\u{1B}[?25h\n")
        active = false
    }

    /// The bytes typed since the last call, without waiting (empty when none).
    public func readKeys() -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: 64)
        let n = buf.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
        return n > 0 ? Array(buf.prefix(n)) : []
    }

    /// Columns and rows now (80×24 when the terminal does not say).
    public var size: (columns: Int, rows: Int) {
        var ws = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return (80, 24) }
        return (Int(ws.ws_col), Int(ws.ws_row))
    }

    public func write(_ s: String) { FileHandle.standardOutput.write(Data(s.utf8)) }

    /// Redraws the whole screen: home, each line cleared to its end, the rest of the screen cleared.
    public func draw(_ lines: [String]) {
        write("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J")
    }

    public func bell() { write("\u{07}") }
}
