/// The dashboard's keys as a small state machine over raw terminal bytes: `p` marks pain now, `n` opens a note,
/// `q` stops; while a note is open, typed text (UTF-8, so "Schmerz läuft ins Bein" survives), Backspace, Ctrl-U
/// (clear), Enter (save) and Esc (cancel). Arrow keys and other escape sequences are swallowed whole, so pressing
/// ← in a note neither cancels it nor types "[D".
///
/// Pure: bytes in, actions out, so every key sequence is tested without a terminal.
public struct KeyInput: Sendable {
    public enum Action: Equatable, Sendable {
        case pain
        case quit
        case noteOpened
        case noteSaved(String)
        case noteCancelled
    }

    /// The note being typed (nil when none is open): what the dashboard shows after "note:".
    public var noteText: String? { noteBytes.map { String(decoding: $0, as: UTF8.self) } }

    /// Longest note kept, in bytes: a stuck key cannot grow it without bound.
    public static let maxNoteBytes = 500

    private var noteBytes: [UInt8]?
    private var escape: EscapeState = .none

    private enum EscapeState: Sendable { case none, started, csi }

    public init() {}

    /// Feeds one read's worth of bytes. A lone Esc at the end of a read is a key (cancel); Esc followed by `[` or `O`
    /// in the same read starts a sequence to swallow.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Action] {
        var actions: [Action] = []
        for b in bytes {
            switch escape {
            case .started:
                if b == UInt8(ascii: "[") || b == UInt8(ascii: "O") { escape = .csi; continue }
                escape = .none
                cancelNote(&actions)            // Esc then another key: the Esc was a key press
            case .csi:
                if (0x40...0x7E).contains(b) { escape = .none }
                continue
            case .none:
                break
            }
            if b == 0x1B { escape = .started; continue }
            handle(b, &actions)
        }
        return actions
    }

    /// Ends a read: an Esc still pending is a lone Esc key.
    public mutating func endOfRead() -> [Action] {
        guard escape == .started else { return [] }
        escape = .none
        var actions: [Action] = []
        cancelNote(&actions)
        return actions
    }

    private mutating func cancelNote(_ actions: inout [Action]) {
        if noteBytes != nil { noteBytes = nil; actions.append(.noteCancelled) }
    }

    private mutating func handle(_ b: UInt8, _ actions: inout [Action]) {
        guard var note = noteBytes else {
            switch b {
            case UInt8(ascii: "p"), UInt8(ascii: "P"): actions.append(.pain)
            case UInt8(ascii: "q"), UInt8(ascii: "Q"): actions.append(.quit)
            case UInt8(ascii: "n"), UInt8(ascii: "N"): noteBytes = []; actions.append(.noteOpened)
            default: break
            }
            return
        }
        switch b {
        case 0x0A, 0x0D:
            let text = String(decoding: note, as: UTF8.self).trimmingWhitespace()
            noteBytes = nil
            actions.append(text.isEmpty ? .noteCancelled : .noteSaved(text))
            return
        case 0x7F, 0x08:
            // Remove one whole UTF-8 scalar: continuation bytes (10xxxxxx) and their lead byte.
            while let last = note.popLast(), last & 0xC0 == 0x80 {}
        case 0x15:
            note.removeAll()
        case 0x00..<0x20:
            break                                 // other control keys do nothing in a note
        default:
            if note.count < Self.maxNoteBytes { note.append(b) }
        }
        noteBytes = note
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
