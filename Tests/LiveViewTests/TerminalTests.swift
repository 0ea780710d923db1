import XCTest
@testable import LiveView

/// Keys typed on a real keyboard (arrow keys arrive as escape sequences, "ä" as two bytes) and the terminal's
/// wishes (NO_COLOR, TERM=dumb).
final class TerminalTests: XCTestCase {
    func feed(_ s: String, _ k: inout KeyInput) -> [KeyInput.Action] { k.feed(Array(s.utf8)) + k.endOfRead() }

    func testSingleKeys() {
        var k = KeyInput()
        XCTAssertEqual(feed("p", &k), [.pain])
        XCTAssertEqual(feed("q", &k), [.quit])
        XCTAssertEqual(feed("x", &k), [])
    }

    func testNoteTypedSavedWithEnter() {
        var k = KeyInput()
        XCTAssertEqual(feed("n", &k), [.noteOpened])
        XCTAssertEqual(feed("left ", &k), [])
        XCTAssertEqual(k.noteText, "left ")
        XCTAssertEqual(feed("knee qp\r", &k), [.noteSaved("left knee qp")], "q and p are text inside a note")
        XCTAssertNil(k.noteText)
        XCTAssertEqual(feed("q", &k), [.quit])
    }

    func testEscCancelsButArrowKeysAreSwallowed() {
        var k = KeyInput()
        _ = feed("nab", &k)
        XCTAssertEqual(feed("\u{1B}[D", &k), [], "← is not Esc")
        XCTAssertEqual(feed("\u{1B}OA", &k), [], "↑ in application mode")
        XCTAssertEqual(k.noteText, "ab")
        XCTAssertEqual(feed("\u{1B}", &k), [.noteCancelled])
        XCTAssertNil(k.noteText)
        _ = feed("nab", &k)
        XCTAssertEqual(feed("\u{1B}p", &k), [.noteCancelled, .pain], "Esc then a key in one read")
    }

    func testBackspaceRemovesWholeCharactersAndCtrlUClears() {
        var k = KeyInput()
        _ = feed("nKnie schmerzt ä", &k)
        _ = feed("\u{7F}", &k)
        XCTAssertEqual(k.noteText, "Knie schmerzt ")
        _ = feed("ö\u{7F}\u{7F}\u{08}", &k)
        XCTAssertEqual(k.noteText, "Knie schmerz")
        _ = feed("\u{15}", &k)
        XCTAssertEqual(k.noteText, "")
        XCTAssertEqual(feed("\r", &k), [.noteCancelled], "an empty note is not saved")
    }

    func testNoteLengthIsBounded() {
        var k = KeyInput()
        _ = feed("n" + String(repeating: "x", count: 5000), &k)
        XCTAssertEqual(k.noteText?.utf8.count, KeyInput.maxNoteBytes)
    }

    func testStyleFollowsNoColourAndDumbTerminals() {
        XCTAssertEqual(TerminalStyle.detect(environment: ["TERM": "xterm-256color"], isTerminal: true),
                       TerminalStyle(colour: true, redraw: true))
        XCTAssertEqual(TerminalStyle.detect(environment: ["TERM": "xterm", "NO_COLOR": "1"], isTerminal: true),
                       TerminalStyle(colour: false, redraw: true))
        XCTAssertEqual(TerminalStyle.detect(environment: ["TERM": "xterm", "NO_COLOR": ""], isTerminal: true),
                       TerminalStyle(colour: true, redraw: true), "NO_COLOR counts only when non-empty")
        XCTAssertEqual(TerminalStyle.detect(environment: ["TERM": "dumb"], isTerminal: true), .plain)
        XCTAssertEqual(TerminalStyle.detect(environment: ["TERM": "xterm"], isTerminal: false), .plain)
        XCTAssertEqual(TerminalStyle.plain.paint("x", .red), "x")
        XCTAssertEqual(TerminalStyle(colour: true, redraw: true).paint("x", .red), "\u{1B}[31mx\u{1B}[0m")
    }

    func testFittingCountsVisibleColumnsOnly() {
        let s = "\u{1B}[1;31mALERT\u{1B}[0m 12345"
        XCTAssertEqual(LineFitting.visibleWidth(s), 11)
        XCTAssertEqual(LineFitting.fit(s, width: 11), s)
        let cut = LineFitting.fit(s, width: 8)
        XCTAssertEqual(LineFitting.visibleWidth(cut), 8)
        XCTAssertTrue(cut.hasSuffix("…\u{1B}[0m"))
        XCTAssertEqual(LineFitting.fit("héllo wörld", width: 6), "héllo…")
    }

    func testPhaseNamesInWords() {
        XCTAssertEqual(PhaseWording.human("loading_response"), "loading response")
        XCTAssertEqual(PhaseWording.human("mid_swing"), "mid-swing")
        XCTAssertEqual(PhaseWording.human("something_new"), "something new")
    }
}
