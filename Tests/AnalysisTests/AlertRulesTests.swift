import Foundation
import GaitVocabulary
import XCTest
import TestSupport
@testable import Analysis
@testable import Gait
@testable import PopEvents

/// Each alert rule fires when it should, stays quiet when it should, and respects its cooldown.
final class AlertRulesTests: XCTestCase {
    func pop(_ t: Double, _ kind: PopKind, cycle: Double? = nil) -> PopEvent {
        let f = PopFeatures(spectralCentroidHz: 1000, spectralBandwidthHz: 500, peakFrequencyHz: 900, crestFactor: 6,
                            kurtosis: 5, microImpulses: kind == .grind ? 8 : 1, riseTimeSeconds: 0.0005,
                            decaySeconds: 0.004, thumpRatioDb: -10, nearContact: false, clipped: false)
        let phase = cycle.map { StridePhase(cyclePercent: $0, phase: .nominal(cyclePercent: $0), leftLeg: .stance, stepIndex: 0, bout: 0) }
        return PopEvent(tSeconds: t, durationSeconds: 0.01, kind: kind, confidence: 0.9, levelDbfs: -30, snrDb: 20,
                        features: f, phase: phase)
    }

    func testGrindingThatRecursFiresOnceThenCoolsDown() {
        let r = AlertRules()
        XCTAssertTrue(r.pop(pop(10, .grind)).isEmpty)
        XCTAssertTrue(r.pop(pop(20, .grind)).isEmpty)
        let a = r.pop(pop(30, .grind))
        XCTAssertEqual(a.map(\.rule), [.grindRecurring])
        XCTAssertEqual(a.first?.evidence, [10, 20, 30])
        XCTAssertTrue(r.pop(pop(40, .grind)).isEmpty, "cooldown")
        XCTAssertTrue(r.pop(pop(200, .grind)).isEmpty, "old grinds left the window")
        _ = r.pop(pop(210, .grind))
        XCTAssertEqual(r.pop(pop(220, .grind)).map(\.rule), [.grindRecurring], "fires again after the cooldown")
    }

    func testGrindsFarApartDoNotAlert() {
        let r = AlertRules()
        for t in stride(from: 0.0, to: 600, by: 45) { XCTAssertTrue(r.pop(pop(t, .grind)).isEmpty) }
    }

    func testPhaseLockedSnapsAlertButScatteredOnesDoNot() {
        let locked = AlertRules()
        var fired: [WalkAlert] = []
        for i in 0..<8 { fired += locked.pop(pop(Double(i) * 1.1, .snap, cycle: 7 + Double(i % 3))) }
        XCTAssertEqual(fired.map(\.rule), [.phaseLocked])
        XCTAssertTrue(fired[0].message.contains("loading response"), fired[0].message)
        let scattered = AlertRules()
        var none: [WalkAlert] = []
        for i in 0..<12 { none += scattered.pop(pop(Double(i) * 1.1, .snap, cycle: Double(i * 37 % 100))) }
        XCTAssertTrue(none.isEmpty)
    }

    func testPopNearPainEitherOrderOncePerPair() {
        let r = AlertRules()
        XCTAssertTrue(r.pop(pop(100, .cavitation)).isEmpty)
        let a = r.painMarker(at: 103)
        XCTAssertEqual(a.map(\.rule), [.popNearPain])
        XCTAssertTrue(a[0].message.contains("before you marked pain"))
        let r2 = AlertRules()
        XCTAssertTrue(r2.painMarker(at: 50).isEmpty)
        XCTAssertEqual(r2.pop(pop(52, .snap)).map(\.rule), [.popNearPain])
        XCTAssertTrue(r2.pop(pop(70, .snap)).isEmpty, "18 s later is not near the pain")
    }

    func testRisingPopRate() {
        let r = AlertRules()
        r.noteWalking(at: 0)
        var fired: [WalkAlert] = []
        fired += r.pop(pop(30, .cavitation))
        fired += r.pop(pop(90, .cavitation))                                 // first 120 s: 2 pops
        for t in stride(from: 250.0, to: 360, by: 12) { fired += r.pop(pop(t, .unknown)) } // last 120 s: 10
        XCTAssertEqual(fired.map(\.rule), [.risingPopRate])
    }

    func testSustainedTiltAndTheGlobalCap() {
        var c = AlertRuleConfig()
        c.maxAlertsPerMinute = 1
        let r = AlertRules(config: c)
        let e = PostureEvent(startSeconds: 10, endSeconds: 30, meanTiltDeg: 12, maxTiltDeg: 14, ongoing: true)
        XCTAssertEqual(r.posture(e).map(\.rule), [.sustainedAnteriorTilt])
        _ = r.pop(pop(31, .grind)); _ = r.pop(pop(32, .grind))
        XCTAssertTrue(r.pop(pop(33, .grind)).isEmpty, "one alert per minute at most")
    }

    func testConfigFileOverridesOnlyWhatItNames() throws {
        let p = try makeTemporaryDirectory("gaitpop-rules").appendingPathComponent("rules.json").path
        try #"{"grind_count": 2, "cooldown_seconds": {"grind_recurring": 10}}"#.replacingOccurrences(of: "grind_count", with: "grindCount")
            .replacingOccurrences(of: "cooldown_seconds", with: "cooldownSeconds").write(toFile: p, atomically: true, encoding: .utf8)
        let c = try AlertRuleConfig.load(path: p)
        XCTAssertEqual(c.grindCount, 2)
        XCTAssertEqual(c.cooldownSeconds[.grindRecurring], 10)
        XCTAssertEqual(c.cooldownSeconds[.popNearPain], 30, "others keep their defaults")
        XCTAssertEqual(c.painWindowSeconds, 5)
        // The shipped defaults file is the defaults.
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/alert-rules.json").path
        XCTAssertEqual(try AlertRuleConfig.load(path: shipped), AlertRuleConfig())
    }

    func testRayleighStatistics() {
        let uniform = CircularStatistics.summary(cyclePercents: (0..<40).map { Double($0) * 2.5 })!
        XCTAssertLessThan(uniform.resultantLength, 0.05)
        XCTAssertGreaterThan(uniform.rayleighP, 0.5)
        let locked = CircularStatistics.summary(cyclePercents: [98, 99, 1, 2, 0, 3, 97])!
        XCTAssertGreaterThan(locked.resultantLength, 0.95)
        XCTAssertEqual(locked.meanCyclePercent > 50 ? locked.meanCyclePercent - 100 : locked.meanCyclePercent, 0, accuracy: 1.5, "wraps around 0/100")
        XCTAssertLessThan(locked.rayleighP, 0.001)
    }
}
