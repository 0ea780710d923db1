import XCTest
@testable import PopEvents
@testable import Simulation

/// An onset inside a heel strike's sound is reported as a snap only when its ring rises `innerMinLowRiseDb` over the
/// heel strike's sound in the low band, where tendons ring (docs/POPS.md, "A joint sound inside the heel strike's
/// sound"). At 8 kHz the high band is dropped, and blips of body noise riding on heel strikes passed the 6 dB inner
/// onset test and were named snaps: on tuning-family wearers walking without any pop, most false events were such
/// inner snaps.
final class InnerLowRiseTests: XCTestCase {
    /// Tuning-family wearers without pops at 8 kHz, as `scripts/validate_pops.py --family tuning --presets healthy
    /// --audio-rate 8000` draws them (acoustic seed = seed × 16 + 4).
    static func walk(seed: UInt64) -> SimulatedWalk {
        var sc = Scenario.preset("healthy")!
        sc.durationSeconds = 60
        sc = sc.applying(AcousticFamily.tuning.draw(seed: seed * 16 + 4))
        sc.audioRateHz = 8000
        return SimulatedWalk(sc, seed: seed, rateHz: 8000)
    }

    func testBlipsInsideHeelStrikesAreNotSnaps() {
        var without = 0, with = 0, minutes = 0.0
        var off = PopConfig()
        off.innerMinLowRiseDb = 0
        for seed: UInt64 in [2, 11, 14, 21, 23] {
            let w = Self.walk(seed: seed)
            XCTAssertTrue(w.schedule.events.isEmpty, "a walk without pops")
            with += w.detect().count
            without += w.detect(config: off).count
            minutes += w.scenario.durationSeconds / 60
        }
        print("inner low-rise rule: \(with) false events with it, \(without) without, over \(minutes) min")
        XCTAssertLessThanOrEqual(Double(with), 0.4 * minutes, "\(with) false events in \(minutes) min")
        XCTAssertGreaterThanOrEqual(without - with, 3, "the rule removes false inner snaps: \(without) → \(with)")
    }
}
