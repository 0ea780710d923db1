import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal for the dashboard: raw keys without echo (restored on exit), non-blocking key reads, and screen
/// redraws in one write.
final class RawTerminal {
    private var saved = termios()
    private var active = false

    init?() {
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

    func restore() {
        guard active else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
        write("\u{1B}[?25h\n")
        active = false
    }

    /// A key if one was pressed, without waiting.
    func key() -> Character? {
        var c: UInt8 = 0
        return Glibc.read(STDIN_FILENO, &c, 1) == 1 ? Character(UnicodeScalar(c)) : nil
    }

    func write(_ s: String) { FileHandle.standardOutput.write(Data(s.utf8)) }

    /// Redraws the whole screen.
    func draw(_ lines: [String]) {
        write("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\n") + "\n")
    }

    func bell() { write("\u{07}") }
}
