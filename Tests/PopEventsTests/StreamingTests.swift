import XCTest
@testable import PopEvents
import Simulation
import Analysis

/// Streaming behaviour: any block size gives the same events; memory stays flat over a long stream; late contacts
/// and provisional phases.
final class StreamingTests: XCTestCase {
    func testSmallBlocksGiveTheSameEventsAsBigBlocks() {
        var sc = Scenario.short("grinding", seconds: 25)
        sc.events.snap = .init(cyclePercent: 70, snrDb: 16)
        sc.events.cavitation = .init(count: 3, snrDb: 18)
        let w = SimulatedWalk(sc, seed: 3)
        let whole = w.detect(block: w.audio.count)
        XCTAssertGreaterThan(whole.count, 10)
        for block in [1, 7, 160, 1000] {
            XCTAssertEqual(w.detect(block: block), whole, "block size \(block)")
        }
    }

    /// A long synthetic stream: white noise with a click every 1.7 s, contacts every 0.55 s, fed live.
    func testMemoryStaysBoundedOverALongStream() {
        let fs = 16000.0
        let d = PopDetector(sampleRateHz: fs)
        let bytes = d.historyBytes
        var rng = SplitMix64(seed: 11)
        var block = [Float](repeating: 0, count: 1600)
        var n = 0
        var events = 0
        var nextContact = 0.3
        let minutes = 5.0
        while Double(n) < minutes * 60 * fs {
            for i in block.indices {
                let t = Double(n + i) / fs
                var v = 0.002 * rng.gaussian()
                let sinceClick = t.truncatingRemainder(dividingBy: 1.7) - 0.85
                if sinceClick >= 0 && sinceClick < 0.003 {
                    v += 0.05 * exp(-sinceClick / 0.0006) * sin(2 * .pi * 3500 * sinceClick + 1)
                }
                block[i] = Float(v)
            }
            let t0 = Double(n) / fs
            while nextContact < t0 { d.noteContact(nextContact); nextContact += 0.55 }
            events += block.withUnsafeBufferPointer { d.process($0, startSeconds: t0) }.count
            n += block.count
            XCTAssertEqual(d.historyBytes, bytes)
            XCTAssertLessThan(d.retainedContactCount, 16)
        }
        events += d.finish().count
        let expected = Int(minutes * 60 / 1.7)
        XCTAssertEqual(Double(events), Double(expected), accuracy: 2, "every click found, nothing else")
    }

    /// Live gait detection tells a contact up to ~300 ms after it happened; holding events `contactLatencySeconds`
    /// lets such a late contact still mark a pop as near a heel strike. Snaps at 8 % of the stride sit 0.02–0.1 s
    /// after each left contact, inside the contact window.
    func testContactsArrivingLateStillCount() {
        var sc = Scenario.short("healthy", seconds: 30)
        sc.events.snap = .init(cyclePercent: 8, snrDb: 16)
        let w = SimulatedWalk(sc, seed: 8)
        /// Each contact is told `delay` seconds after it happened (negative: before); events are held `latency` s.
        func detect(contactDelay delay: Double, latency: Double) -> [PopEvent] {
            var config = PopConfig()
            config.contactLatencySeconds = latency
            return w.detectLive(contactDelay: delay, config: config).map(\.event)
        }
        let onTime = detect(contactDelay: -1, latency: 0)
        let lateHeld = detect(contactDelay: 0.3, latency: 0.35)
        let lateAtOnce = detect(contactDelay: 0.3, latency: 0)
        XCTAssertGreaterThanOrEqual(onTime.count, w.schedule.events.count - 1, "the snaps are found")
        XCTAssertGreaterThanOrEqual(onTime.filter(\.features.nearContact).count, onTime.count - 1,
                                    "with contacts on time, the snaps are near contacts")
        // Late contacts with the hold: exactly what on-time contacts give.
        XCTAssertEqual(lateHeld.map(\.tSeconds), onTime.map(\.tSeconds))
        XCTAssertEqual(lateHeld.map(\.features.nearContact), onTime.map(\.features.nearContact))
        // Control: deciding at once, the same late contacts arrive too late to count — so the check above can fail.
        XCTAssertEqual(lateAtOnce.count, onTime.count)
        XCTAssertEqual(lateAtOnce.filter(\.features.nearContact).count, 0, "control: late contacts without the hold")
    }

    func testProvisionalPhaseIsRefinedWhenTheNextContactArrives() {
        let phases = ContactStridePhases()
        phases.noteContact(tSeconds: 10.0, left: true)
        phases.noteContact(tSeconds: 10.5, left: false)
        phases.noteContact(tSeconds: 11.0, left: true)
        phases.noteContact(tSeconds: 11.5, left: false)
        var e = syntheticEvent(t: 11.6, kind: .snap)
        e.retag(using: phases)
        XCTAssertTrue(e.provisional)
        XCTAssertEqual(e.phase!.cyclePercent, 60, accuracy: 0.01) // extrapolated from the 1.0 s stride before
        phases.noteContact(tSeconds: 12.2, left: true) // this stride was longer
        var events = [e]
        events.retag(using: phases)
        XCTAssertFalse(events[0].provisional)
        XCTAssertEqual(events[0].phase!.cyclePercent, 50, accuracy: 0.01)
        XCTAssertEqual(events[0].phase!.phase, .preSwing)
        XCTAssertEqual(events[0].phase!.leftLeg, .stance)
    }

    func testPhaseIsNilOutsideWalking() {
        let phases = ContactStridePhases()
        phases.noteContact(tSeconds: 10.0, left: true)
        phases.noteContact(tSeconds: 10.5, left: false)
        phases.noteContact(tSeconds: 11.0, left: true)
        XCTAssertNil(phases.stridePhase(at: 9.0))
        XCTAssertNil(phases.stridePhase(at: 30.0), "long after the last contact the walk has stopped")
    }

    func testSnakeCaseEncoding() throws {
        var e = syntheticEvent(t: 12.345, kind: .snap, cyclePercent: 12.5)
        e.provisional = true
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        let full = try JSONSerialization.jsonObject(with: enc.encode(e)) as! [String: Any]
        XCTAssertNotNil(full["t_seconds"])
        XCTAssertNotNil(full["level_dbfs"])
        XCTAssertNotNil((full["features"] as? [String: Any])?["spectral_centroid_hz"])
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        XCTAssertEqual(try dec.decode(PopEvent.self, from: enc.encode(e)), e)
    }

    func testConfigDecodesPartialJSON() throws {
        let c = try ConfigLoader.decode(PopConfig.self, from: Data(#"{"onsetDb": 10, "rules": {"grindMinImpulses": 5}}"#.utf8),
                                        defaults: PopConfig())
        XCTAssertEqual(c.onsetDb, 10)
        XCTAssertEqual(c.rules.grindMinImpulses, 5)
        XCTAssertEqual(c.highPassHz, PopConfig().highPassHz)
    }
}
