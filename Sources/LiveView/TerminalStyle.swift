import Foundation

/// What the terminal on the other end can show: colour (SGR codes) and in-place redraws (cursor movement).
///
/// Why: `NO_COLOR` (no-color.org) asks every program to print no colour when it is set to anything non-empty, and
/// `TERM=dumb` (Emacs shells, some CI logs, screen readers) understands neither colour nor cursor movement, so a
/// dashboard that redraws in place turns into a scroll of escape codes there. Both are read once, at start.
public struct TerminalStyle: Equatable, Sendable {
    /// SGR colour and bold codes allowed.
    public var colour: Bool
    /// Cursor movement allowed: a dashboard redrawn in place. Without it, one plain line per event.
    public var redraw: Bool

    public init(colour: Bool, redraw: Bool) {
        self.colour = colour
        self.redraw = redraw
    }

    /// The style for an output stream given the environment and whether the stream is a terminal.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment,
                              isTerminal: Bool) -> TerminalStyle {
        let term = environment["TERM"] ?? ""
        let dumb = term == "dumb"
        let noColour = !(environment["NO_COLOR"] ?? "").isEmpty
        return TerminalStyle(colour: isTerminal && !dumb && !noColour, redraw: isTerminal && !dumb)
    }

    /// Plain text: no colour, no redraw (files, pipes).
    public static let plain = TerminalStyle(colour: false, redraw: false)

    /// Named SGR attributes used by the dashboard.
    public enum Paint: String, Sendable {
        case bold = "1", red = "31", green = "32", yellow = "33", boldRed = "1;31", boldYellow = "1;33", dim = "2"
    }

    /// `text` in the given attribute, or unchanged when colour is off.
    public func paint(_ text: String, _ p: Paint) -> String {
        colour ? "\u{1B}[\(p.rawValue)m" + text + "\u{1B}[0m" : text
    }
}
