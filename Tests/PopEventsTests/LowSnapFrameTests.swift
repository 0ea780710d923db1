import XCTest
@testable import PopEvents
@testable import Simulation

/// The thump band's onset frame (`PopConfig.bassFrameSeconds`, shared by the narrow low bands of `LowBandBank`):
/// 12 ms, as long as a low snap's ring and longer than the slowest heel-strike rise (8 ms). With the 8 ms frame it
/// replaced, the documented worst heel strike — a 25 Hz thump with an 8 ms soft onset and a −6 dB contact transient
/// 40 ms late — opened bass events whose extent and features varied step to step (the frame ended part-way up the
/// rise), and 5–13 of 65 such heel strikes per walk were reported as pops; with 12 ms, 0–1 (measured on this walk:
/// seeds 21 and 22, 5 + 6 events at 8 ms, 0 + 1 at 12 ms).
final class LowSnapFrameTests: XCTestCase {
    func testSoftOnsetHeelStrikesAreNotReportedWithTheMatchedBassFrame() {
        XCTAssertEqual(PopConfig().bassFrameSeconds, 0.012, accuracy: 1e-9)
        let (_, m) = ContactSignatureTests.shapes[0]
        let sc = ContactSignatureTests.scenario(m)
        var events = 0, steps = 0
        for seed: UInt64 in [21, 22] {
            let w = SimulatedWalk(sc, seed: seed)
            steps += w.schedule.steps.count
            events += w.detect().count
        }
        XCTAssertGreaterThan(steps, 100)
        // No pops in these walks: every event is a heel strike taken for a pop (11 with the 8 ms frame).
        XCTAssertLessThanOrEqual(events, 2, "\(events) events at \(steps) heel strikes")
    }
}
