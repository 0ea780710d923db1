import Analysis
import Gait
import PopEvents
import SensorDevice
import GaitVocabulary
import XCTest
@testable import LiveView

/// The dashboard at the sizes people's terminals have: nothing wider than the screen (a wrapped line scrolls the
/// header away), the header and footer always there, the event log in time order, no escape codes without colour.
final class DashboardTests: XCTestCase {
    func pop(_ t: Double, cyclePercent: Double = 14, phase: GaitPhaseName = .midStance, provisional: Bool = false) -> PopEvent {
        let f = PopFeatures(spectralCentroidHz: 600, spectralBandwidthHz: 200, peakFrequencyHz: 550, crestFactor: 8,
                            kurtosis: 20, microImpulses: 1, riseTimeSeconds: 0.001, decaySeconds: 0.01,
                            thumpRatioDb: 0, nearContact: false, clipped: false)
        return PopEvent(tSeconds: t, durationSeconds: 0.02, kind: .snap, confidence: 0.9, levelDbfs: -20, snrDb: 18,
                        features: f,
                        phase: StridePhase(cyclePercent: cyclePercent, phase: phase, leftLeg: .stance, stepIndex: 3, bout: 0),
                        provisional: provisional)
    }

    func busyDashboard(colour: Bool) -> Dashboard {
        let d = Dashboard(style: TerminalStyle(colour: colour, redraw: true))
        d.title = "gaitpop live — /dev/serial/by-id/usb-gaitpop_Hip_Sensor_GP-000123-if00"
        d.link.connected = true
        d.link.link = "/dev/ttyACM0 (USB 1209:c0de GP-000123)"
        d.status.steps = 123
        d.status.cadenceStepsPerMin = 108
        d.status.walking = true
        d.status.tiltDeg = 7.5
        d.status.popsByKind = ["snap": 3, "grind": 1]
        for k in 0..<10 {
            d.addAlert(.init(tSeconds: Double(k) * 3,
                             text: "grinding has recurred 4 times in the last 30 s, in early stance of both legs; "
                                 + "stop the walk if it hurts and see a professional", urgent: k % 2 == 0))
        }
        for k in 0..<40 { d.log.add(tSeconds: Double(k), text: String(format: "%8.2f s  step left", Double(k))) }
        d.lastPop = TextEvent.popSummary(pop(12.3))
        return d
    }

    func testEveryLineFitsAndHeaderAndFooterStayAtEverySize() {
        for colour in [false, true] {
            let d = busyDashboard(colour: colour)
            for (w, h) in [(80, 24), (60, 18), (40, 12), (120, 50), (30, 6), (20, 3)] {
                let lines = d.lines(width: w, height: h, nowSeconds: 31)
                XCTAssertLessThanOrEqual(lines.count, h, "\(w)×\(h)")
                for l in lines { XCTAssertLessThanOrEqual(LineFitting.visibleWidth(l), w, "\(w)×\(h): \(l)") }
                XCTAssertTrue(lines[0].contains("gaitpop live"), "\(w)×\(h): header first")
                if h >= 3 { XCTAssertTrue(lines[1].contains("elapsed"), "\(w)×\(h)") }
                if h >= 5 {
                    XCTAssertTrue(lines.last!.hasPrefix("gaitpop informs"), "\(w)×\(h): footer last")
                    XCTAssertTrue(lines[lines.count - 2].hasPrefix("p: pain now"), "\(w)×\(h)")
                }
            }
        }
    }

    func testShortTerminalDropsLogThenOlderAlertsButKeepsNewest() {
        let d = busyDashboard(colour: false)
        let tall = d.lines(width: 100, height: 40, nowSeconds: 31)
        XCTAssertTrue(tall.contains { $0.contains("39.00 s  step left") }, "newest log line shown when there is room")
        XCTAssertEqual(tall.filter { $0.hasPrefix("ALERT") }.count, 4)
        let short = d.lines(width: 100, height: 12, nowSeconds: 31)
        XCTAssertFalse(short.contains { $0.contains("step left") }, "the log gives way first")
        let alerts = short.filter { $0.hasPrefix("ALERT") }
        XCTAssertGreaterThanOrEqual(alerts.count, 1)
        XCTAssertTrue(alerts.last!.contains("27.0 s"), "the newest alert is kept: \(alerts)")
    }

    func testNoEscapeCodesWithoutColourAndColourWithIt() {
        let plain = busyDashboard(colour: false).lines(width: 80, height: 24, nowSeconds: 31)
        XCTAssertFalse(plain.joined().contains("\u{1B}"))
        let coloured = busyDashboard(colour: true).lines(width: 80, height: 24, nowSeconds: 31)
        XCTAssertTrue(coloured.joined().contains("\u{1B}[1;31m"))
    }

    func testLinesAreCutNotWrappedAndKeepWholeWordsUpToTheCut() {
        let d = busyDashboard(colour: false)
        let lines = d.lines(width: 80, height: 24, nowSeconds: 31)
        let alert = lines.first { $0.hasPrefix("ALERT") }!
        XCTAssertEqual(LineFitting.visibleWidth(alert), 80)
        XCTAssertTrue(alert.hasSuffix("…"))
        XCTAssertTrue(alert.hasPrefix("ALERT   18.0 s  grinding has recurred"), alert)
    }

    func testTiltBarAndLastPopInWords() {
        let d = busyDashboard(colour: false)
        let lines = d.lines(width: 80, height: 24, nowSeconds: 31)
        let tilt = lines.first { $0.hasPrefix("tilt") }!
        XCTAssertTrue(tilt.contains("+7.5°") && tilt.contains("posterior") && tilt.contains("anterior"), tilt)
        let last = lines.first { $0.contains("last:") }!
        XCTAssertTrue(last.contains("probably snap at 12.3 s, 14 % of stride (mid-stance)"), last)
        XCTAssertFalse(last.contains("_"), "phase identifiers are shown as words")
    }

    func testNoteConfirmationShowsForAFewSecondsThenTheKeysReturn() {
        let d = Dashboard(style: .plain)
        d.flash("note saved at 12.0 s", nowSeconds: 12)
        XCTAssertEqual(d.lines(width: 80, height: 24, nowSeconds: 13).dropLast().last, "note saved at 12.0 s")
        XCTAssertTrue(d.lines(width: 80, height: 24, nowSeconds: 17).dropLast().last!.hasPrefix("p: pain now"))
        d.notePrompt = "knee"
        XCTAssertTrue(d.lines(width: 80, height: 24, nowSeconds: 17).dropLast().last!.hasPrefix("note: knee_"))
    }

    func testScreenLogsEventsInTimeOrderAndReplacesAProvisionalPop() {
        let screen = LiveScreen(mode: .dashboard, style: .plain, title: "t", out: LineWriter(), terminal: nil)
        screen.handle(.step(GaitStep(t: 10.0, side: .left, fc: 10.6, bout: 0, provisional: false)))
        screen.handle(.pop(pop(10.2, cyclePercent: 6, phase: .loadingResponse, provisional: true)))
        // A step confirmed late, but earlier in time than the pop.
        screen.handle(.step(GaitStep(t: 9.5, side: .right, fc: 10.1, bout: 0, provisional: false)))
        screen.handle(.pop(pop(10.2, cyclePercent: 5, phase: .loadingResponse, provisional: false)))
        let log = screen.dashboard.log.entries
        XCTAssertEqual(log.map(\.tSeconds), [9.5, 10.0, 10.2])
        XCTAssertEqual(log.filter { $0.text.contains("POP") }.count, 1, "one line per pop")
        XCTAssertTrue(log[2].text.contains("5 % of stride (loading response)"), log[2].text)
        XCTAssertFalse(log[2].text.contains("provisional"))
        screen.noted(pain: false, text: "left knee", tSeconds: 10.1)
        XCTAssertEqual(screen.dashboard.log.entries.map(\.tSeconds), [9.5, 10.0, 10.1, 10.2])
        XCTAssertEqual(screen.notesSaved, 1)
    }

    func testEventLogIsBoundedAndKeepsTheNewest() {
        var log = EventLog(capacity: 8)
        for k in (0..<100).reversed() { log.add(tSeconds: Double(k), text: "\(k)") }
        XCTAssertEqual(log.entries.count, 8)
        XCTAssertEqual(log.entries.map(\.tSeconds), (92..<100).map(Double.init))
    }

    func testSummaryCountsWhatHappened() {
        var s = AnalysisStatus()
        s.tSeconds = 62.4
        s.steps = 103
        s.cadenceStepsPerMin = 108
        s.popsByKind = ["snap": 3]
        let lines = LiveSummary.lines(status: s, link: nil, alerts: 1, painMarks: 2, notes: 1, recording: "/tmp/x/walk.gpsession")
        XCTAssertEqual(lines[0], "stopped at 62.4 s: 103 steps (last cadence 108 steps/min), 3 pops (3 snap), 1 alert, 2 pain marks, 1 note")
        XCTAssertEqual(lines[1], "recording: walk.gpsession (gaitpop report / replay / inspect it)")
    }
}
