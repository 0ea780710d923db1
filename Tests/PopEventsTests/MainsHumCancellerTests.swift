import XCTest
@testable import PopEvents

/// The hum canceller removes mains harmonics as well as notches do, follows a mains frequency off its nominal value,
/// and — unlike a notch — does not ring after a loud sound next to a harmonic (docs/POPS.md, "Signal path").
final class MainsHumCancellerTests: XCTestCase {
    /// Deterministic Gaussian noise (Box–Muller on a 64-bit LCG).
    struct Noise {
        var state: UInt64
        mutating func next() -> Double {
            func u() -> Double {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return (Double(state >> 11) + 0.5) / Double(1 << 53)
            }
            return (-2 * log(u())).squareRoot() * cos(2 * .pi * u())
        }
    }

    let fs = 16_000.0
    let noiseRms = 1e-3

    /// Hum at `trueHz` (the mains fundamental as the grid runs it) with harmonics 3…7, ~+30 dB over the noise.
    func hum(_ t: Double, trueHz: Double) -> Double {
        var v = 0.0
        for k in 3...7 { v += 0.03 / Double(k - 2) * sin(2 * .pi * Double(k) * trueHz * t + 0.7 * Double(k)) }
        return v
    }

    func harmonics(_ nominal: Double) -> [Double] { (3...7).map { Double($0) * nominal } }

    func testRemovesHumDownToTheNoiseAlsoOffNominalFrequency() {
        for (nominal, trueHz) in [(50.0, 50.0), (50.0, 50.17), (60.0, 59.85)] {
            let c = MainsHumCanceller<SIMD8<Double>>(mainsHz: nominal, harmonicsHz: harmonics(nominal), sampleRateHz: fs)
            var noise = Noise(state: 7)
            var residual = 0.0, noisePower = 0.0, humPower = 0.0
            let n = Int(8 * fs)
            for i in 0..<n {
                let t = Double(i) / fs
                let w = noiseRms * noise.next()
                let h = hum(t, trueHz: trueHz)
                let y = c.step(h + w)
                if t >= 4 {
                    residual += (y - w) * (y - w)
                    noisePower += w * w
                    humPower += h * h
                }
            }
            let leftDb = 10 * log10(residual / noisePower)
            XCTAssertGreaterThan(10 * log10(humPower / noisePower), 25, "the hum is loud")
            // What is left of the hum lies ≥ 10 dB under the noise: it adds ≤ 0.4 dB to the band's floor.
            XCTAssertLessThan(leftDb, -10, "hum left at \(trueHz) Hz (nominal \(nominal)): \(leftDb) dB re noise")
            XCTAssertEqual(nominal + c.offsetHz, trueHz, accuracy: 0.02, "frequency locked")
        }
    }

    /// A 30 ms burst at 345 Hz, 30 dB over the noise, beside a weak 350 Hz harmonic (a heel thump's overtone next
    /// to hum, as on the tuning wearer where notches made a false snap after every step). Whatever the output holds
    /// besides the burst and the noise, in the 150 ms after the burst, is what the filter added.
    func testDoesNotRingAfterALoudSoundNextToAHarmonic() {
        func added(_ filter: (Double) -> Double) -> (after: Double, noise: Double) {
            var noise = Noise(state: 11)
            var after = 0.0, noisePower = 0.0
            let burstAt = 4.0
            for i in 0..<Int(4.4 * fs) {
                let t = Double(i) / fs
                let w = noiseRms * noise.next()
                let h = 0.003 * sin(2 * .pi * 350 * t)
                let since = t - burstAt
                let burst = since >= 0 ? 0.03 * exp(-since / 0.01) * sin(2 * .pi * 345 * since) : 0
                let y = filter(h + w + burst)
                if since >= 0.06 && since < 0.21 {
                    let extra = y - w - burst
                    after += extra * extra
                    noisePower += w * w
                }
            }
            return (after, noisePower)
        }
        let c = MainsHumCanceller<SIMD2<Double>>(mainsHz: 50, harmonicsHz: [350], sampleRateHz: fs)
        let canceller = added { c.step($0) }
        var notch = Biquad.notch(centreHz: 350, bandwidthHz: 4, sampleRateHz: fs)
        let notched = added { notch.step($0) }
        let cancellerDb = 10 * log10(canceller.after / canceller.noise)
        let notchDb = 10 * log10(notched.after / notched.noise)
        XCTAssertLessThan(cancellerDb, -10, "canceller adds \(cancellerDb) dB re noise after the burst")
        XCTAssertGreaterThan(notchDb, cancellerDb + 15, "the notch rings (\(notchDb) dB), the canceller does not")
    }
}
