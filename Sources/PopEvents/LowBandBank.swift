import Foundation

/// Onsets of low snaps (rings at 80–300 Hz) from a bank of narrow bands on a decimated copy of the heel-thump band.
///
/// Why: a snap's ring is a damped sinusoid 30–150 Hz wide (20 dB decay 5–25 ms), while the one wide thump band
/// (40–250 Hz) also holds brown body noise (power ∝ f⁻², mostly near 40 Hz), motion leakage and the heel thump's
/// fundamental. A half-octave band around the ring keeps the ring's energy and drops most of that noise: on the
/// tuning walks the bank's onsets reached about three times as many low snaps as the wide band's at a similar rate of
/// onsets away from contacts (prototype on the tuning family's WAVs; docs/POPS.md).
///
/// Why decimated: every band here lies below 350 Hz, so it runs at one sample per hop (fs / hopSamples ≈ 2 kHz)
/// instead of per input sample. The input is the thump band's output averaged over the hop — the thump band's
/// 2nd-order low-pass (−36 dB at 2 kHz) followed by the hop's boxcar (a null at the new rate) is the anti-alias
/// filter, so the bank costs a few multiply-adds per hop and nothing per sample.
///
/// Each band keeps its own noise floor (the same minimum statistics as the detector's streams) and fires when its
/// frame energy jumps `onsetDb` over both its local background and its floor and stands `minSnrDb` over the floor.
/// Decisions are kept per hop in a small ring so the detector can read them at its (look-ahead-delayed) hop.
/// Memory is fixed at construction; nothing is allocated per hop.
struct LowBandBank {
    /// Band edges (Hz): half-octave bands, overlapping a little, from below the lowest snap to the detection band.
    static let bandsHz: [(low: Double, high: Double)] = [(70, 110), (100, 160), (140, 225), (200, 320)]

    private var filters: [Biquad]
    let count: Int
    private let frameHops: Int
    private let backgroundHops: Int
    private let gapHops: Int
    private let onsetRatio: Double
    private let snrRatio: Double
    private let minFloor: Double
    private var floors: [NoiseFloorTracker]
    private let floorHops: Int
    private var floorFill = 0
    /// Per band: floor accumulator, current floor (mean square).
    private var floorAcc: [Double]
    private var floor: [Double]
    /// Per band ring of per-hop energies, and the ring of per-hop onset decisions.
    private var energy: [Double]
    private var hits: [UInt8]
    private static let ringHops = 256
    private static let ringMask = ringHops - 1
    private var hopCount = 0

    /// `lowRateHz`: the decimated rate (one sample per detector hop).
    init(lowRateHz: Double, hopSeconds: Double, frameSeconds: Double, backgroundSeconds: Double, gapSeconds: Double,
         onsetDb: Double, minSnrDb: Double, floorFrameSeconds: Double, floorWindowSeconds: Double,
         floorPercentile: Double, minFloorDbfs: Double) {
        let nyquist = 0.45 * lowRateHz
        var f: [Biquad] = []
        for b in Self.bandsHz where b.high < nyquist {
            let centre = (b.low * b.high).squareRoot()
            f.append(.bandPass(centreHz: centre, q: centre / (b.high - b.low), sampleRateHz: lowRateHz))
        }
        filters = f
        count = f.count
        func hops(_ s: Double) -> Int { max(1, Int((s / hopSeconds).rounded())) }
        frameHops = hops(frameSeconds)
        backgroundHops = hops(backgroundSeconds)
        gapHops = max(0, Int((gapSeconds / hopSeconds).rounded()))
        precondition(frameHops + gapHops + backgroundHops < Self.ringHops / 2)
        onsetRatio = pow(10, onsetDb / 10)
        snrRatio = pow(10, minSnrDb / 10)
        minFloor = pow(10, minFloorDbfs / 10)
        floorHops = hops(floorFrameSeconds)
        floors = (0..<f.count).map { _ in
            NoiseFloorTracker(windowFrames: max(1, Int(floorWindowSeconds / floorFrameSeconds)),
                              percentile: floorPercentile)
        }
        floorAcc = [Double](repeating: 0, count: f.count)
        floor = [Double](repeating: minFloor, count: f.count)
        energy = [Double](repeating: 0, count: f.count * Self.ringHops)
        hits = [UInt8](repeating: 0, count: Self.ringHops)
    }

    /// Adds one decimated sample (the mean of the thump band over the hop just ended) and decides that hop.
    mutating func push(_ x: Double, warm: Bool) {
        let h = hopCount
        let slot = h & Self.ringMask
        var hit: UInt8 = 0
        let lf = frameHops, bg = backgroundHops
        let bgEnd = h - lf - gapHops
        for k in 0..<count {
            let y = filters[k].step(x)
            let e = y * y
            let base = k * Self.ringHops
            energy[base + slot] = e
            floorAcc[k] += e
            guard warm, h >= lf + gapHops + bg, floors[k].frames > 0 else { continue }
            var frame = 0.0, back = 0.0
            var j = h - lf + 1
            while j <= h { frame += energy[base + (j & Self.ringMask)]; j += 1 }
            j = bgEnd - bg + 1
            while j <= bgEnd { back += energy[base + (j & Self.ringMask)]; j += 1 }
            frame /= Double(lf)
            back /= Double(bg)
            let fl = floor[k]
            if frame >= max(back, fl) * onsetRatio && frame >= fl * snrRatio { hit = 1 }
        }
        hits[slot] = hit
        floorFill += 1
        if floorFill == floorHops {
            for k in 0..<count {
                floors[k].push(meanSquare: floorAcc[k] / Double(floorHops))
                floor[k] = max(floors[k].floorMeanSquare, minFloor)
                floorAcc[k] = 0
                filters[k].flushTiny()
            }
            floorFill = 0
        }
        hopCount = h + 1
    }

    /// Whether some band fired at hop `h` (one of the last `ringHops` hops).
    func hit(atHop h: Int) -> Bool {
        guard h >= 0, h < hopCount, hopCount - h < Self.ringHops else { return false }
        return hits[h & Self.ringMask] != 0
    }
}
