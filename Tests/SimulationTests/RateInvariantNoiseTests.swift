import XCTest
@testable import Simulation

/// A wearer's body noise has a spectral density in Hz, whatever rate the microphone is sampled at. The randomised
/// microphone's per-sample noise filters once made it depend on the rate (white 4.8 dB lower in every band at 48 kHz,
/// brown 4.6 dB higher), so the acoustic families' rate draw also drew an SNR (docs/POPS-VALIDATION.md, "Latest: the simulator's body noise has one density at every audio rate").
final class RateInvariantNoiseTests: XCTestCase {
    /// One wearer standing still (no heel thumps, rustle, hum or motion): only the body noise, in one colour.
    static func standing(white: Double, pink: Double, brown: Double, rateHz: Int) -> Scenario {
        var m = AcousticFamily.tuning.draw(seed: 3)
        m.background = .init(noiseDbfs: -30, white: white, pink: pink, brown: brown, rustleSeconds: [0.06, 0.4],
                             rustleDb: 0, rustleSwingProbability: 0, rustlePerMinute: 0, humHz: 50, humDb: -200,
                             humHarmonics: [0, 0, 0, 0, 0, 0], motionHz: 5, motionDb: -200, popSnrDb: [16, 20])
        var sc = Scenario.preset("healthy")!
        sc.durationSeconds = 4
        sc.segments = [Scenario.Segment(.stand, seconds: 4)]
        sc.events = .init()
        sc = sc.applying(m)
        sc.audioRateHz = rateHz
        return sc
    }

    /// Mean square (dB) of the rendered noise in `lowHz…highHz` (a 2nd-order band-pass run twice), skipping the
    /// first 0.5 s while the noise filters settle.
    static func bandPowerDb(_ sc: Scenario, lowHz: Double, highHz: Double) -> Double {
        let fs = Double(sc.audioRateHz)
        var mic = MicrophoneModel(schedule: WalkSchedule(scenario: sc, seed: 11), scenario: sc, rateHz: fs, seed: 11)
        var out: [Float] = []
        mic.render(first: 0, count: Int(sc.durationSeconds * fs), into: &out)
        // RBJ's band-pass with its bandwidth in octaves (pre-warped), so the measuring filter is the same band at
        // every rate; the bands stay well below 8 kHz's Nyquist frequency, where the bilinear skirts still differ.
        let centre = (lowHz * highHz).squareRoot(), octaves = log2(highHz / lowHz)
        let w = 2 * Double.pi * centre / fs
        let alpha = sin(w) * sinh(log(2) / 2 * octaves * w / sin(w)), a0 = 1 + alpha
        let b0 = alpha / a0, b2 = -alpha / a0, a1 = -2 * cos(w) / a0, a2 = (1 - alpha) / a0
        var z = [0.0, 0.0, 0.0, 0.0]
        var sum = 0.0, n = 0
        for (i, x) in out.enumerated() {
            var v = Double(x)
            for s in 0..<2 {
                let y = b0 * v + z[2 * s]
                z[2 * s] = -a1 * y + z[2 * s + 1]
                z[2 * s + 1] = b2 * v - a2 * y
                v = y
            }
            if Double(i) >= 0.5 * fs { sum += v * v; n += 1 }
        }
        return 10 * log10(sum / Double(n))
    }

    func testEachColourHasTheSameDensityAt8To48kHz() {
        for (name, mix) in [("white", (1.0, 0.0, 0.0)), ("pink", (0.0, 1.0, 0.0)), ("brown", (0.0, 0.0, 1.0))] {
            for band in [(250.0, 600.0), (600.0, 1500.0)] {
                let ref = Self.bandPowerDb(Self.standing(white: mix.0, pink: mix.1, brown: mix.2, rateHz: 16000),
                                           lowHz: band.0, highHz: band.1)
                XCTAssertTrue(ref.isFinite && ref > -120, "\(name) \(band): \(ref) dB")
                for rate in [8000, 24000, 44100, 48000] {
                    let db = Self.bandPowerDb(Self.standing(white: mix.0, pink: mix.1, brown: mix.2, rateHz: rate),
                                              lowHz: band.0, highHz: band.1)
                    XCTAssertEqual(db, ref, accuracy: 1.0, "\(name) noise in \(band) Hz at \(rate) Hz vs 16 kHz")
                }
            }
        }
    }

    /// A mode drawn for a 44.1 kHz wearer but rendered at 8 kHz stays below 8 kHz's Nyquist frequency (it used to be
    /// capped at 44.1 kHz's, and a 6 kHz cavitation then aliased to 2 kHz).
    func testModesStayBelowTheRenderedRatesNyquist() {
        var m = AcousticFamily.tuning.draw(seed: 5)
        m.audioRateHz = 44100
        m.cavitation.lowHz = 5000
        m.cavitation.highHz = 6000
        var sc = Scenario.preset("cavitation")!
        sc.durationSeconds = 20
        sc = sc.applying(m)
        sc.audioRateHz = 8000
        let schedule = WalkSchedule(scenario: sc, seed: 2)
        let modes = schedule.events.compactMap(\.shape).flatMap(\.modes)
        XCTAssertFalse(modes.isEmpty)
        for mode in modes { XCTAssertLessThanOrEqual(mode.hz, 0.42 * 8000 + 1e-9) }
    }
}
