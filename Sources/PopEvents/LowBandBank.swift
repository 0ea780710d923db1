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
final class LowBandBank {
    /// Band edges (Hz): half-octave bands, overlapping a little, from below the lowest snap to the detection band.
    static let bandsHz: [(low: Double, high: Double)] = [(70, 110), (100, 160), (140, 225), (200, 320)]

    let count: Int
    private let frameHops: Int
    private let backgroundHops: Int
    /// 1 / frameHops and 1 / backgroundHops, divided once (the same values `push` divided at every hop).
    private let invFrameHops: Double
    private let invBackgroundHops: Double
    private let gapHops: Int
    private let onsetRatio: Double
    private let snrRatio: Double
    private let minFloor: Double
    private var floors: [NoiseFloorTracker]
    private let floorHops: Int
    private var floorFill = 0
    /// Per band: filter, floor accumulator, current floor (mean square), frame and background window sums.
    private let filters: UnsafeMutablePointer<Biquad>
    private let scalars: UnsafeMutablePointer<Double>
    private enum Slot { static let floorAcc = 0, floor = 1, frameSum = 2, backgroundSum = 3, count = 4 }
    /// Per band ring of per-hop energies, and the ring of per-hop onset decisions.
    private let energy: UnsafeMutablePointer<Double>
    private let hits: UnsafeMutablePointer<UInt8>
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
        count = f.count
        filters = .allocate(capacity: max(f.count, 1))
        filters.initialize(from: f, count: f.count)
        func hops(_ s: Double) -> Int { max(1, Int((s / hopSeconds).rounded())) }
        frameHops = hops(frameSeconds)
        backgroundHops = hops(backgroundSeconds)
        gapHops = max(0, Int((gapSeconds / hopSeconds).rounded()))
        invFrameHops = 1 / Double(frameHops)
        invBackgroundHops = 1 / Double(backgroundHops)
        precondition(frameHops + gapHops + backgroundHops < Self.ringHops / 2)
        onsetRatio = pow(10, onsetDb / 10)
        snrRatio = pow(10, minSnrDb / 10)
        minFloor = pow(10, minFloorDbfs / 10)
        floorHops = hops(floorFrameSeconds)
        floors = (0..<f.count).map { _ in
            NoiseFloorTracker(windowFrames: max(1, Int(floorWindowSeconds / floorFrameSeconds)),
                              percentile: floorPercentile)
        }
        scalars = .allocate(capacity: max(f.count, 1) * Slot.count)
        scalars.initialize(repeating: 0, count: max(f.count, 1) * Slot.count)
        for k in 0..<f.count { scalars[k * Slot.count + Slot.floor] = minFloor }
        energy = .allocate(capacity: max(f.count, 1) * Self.ringHops)
        energy.initialize(repeating: 0, count: max(f.count, 1) * Self.ringHops)
        hits = .allocate(capacity: Self.ringHops)
        hits.initialize(repeating: 0, count: Self.ringHops)
    }

    deinit {
        filters.deallocate()
        scalars.deallocate()
        energy.deallocate()
        hits.deallocate()
    }

    /// Adds one decimated sample (the mean of the thump band over the hop just ended) and decides that hop.
    /// Frame and background sums are kept incrementally (O(1) per band), recomputed exactly every 1024 hops.
    func push(_ x: Double, warm: Bool) {
        let h = hopCount
        let mask = Self.ringMask
        let slot = h & mask
        var hit: UInt8 = 0
        let lf = frameHops, bg = backgroundHops
        let bgEnd = h - lf - gapHops
        let ready = warm && h >= lf + gapHops + bg + 1 && floorsReady
        let exact = h & 1023 == 0
        let invFrame = invFrameHops, invBackground = invBackgroundHops
        for k in 0..<count {
            let y = filters[k].step(x)
            let e = y * y
            let base = k * Self.ringHops
            let w = scalars + k * Slot.count
            energy[base + slot] = e
            w[Slot.floorAcc] += e
            if exact {
                var f = 0.0, g = 0.0
                var j = h - lf + 1
                while j <= h { f += energy[base + (j & mask)]; j += 1 }
                j = bgEnd - bg + 1
                while j <= bgEnd { g += energy[base + (j & mask)]; j += 1 }
                w[Slot.frameSum] = f
                w[Slot.backgroundSum] = g
            } else {
                w[Slot.frameSum] += e - energy[base + ((h - lf) & mask)]
                w[Slot.backgroundSum] += energy[base + (bgEnd & mask)] - energy[base + ((bgEnd - bg) & mask)]
            }
            guard ready else { continue }
            let frame = w[Slot.frameSum] * invFrame, back = w[Slot.backgroundSum] * invBackground
            let fl = w[Slot.floor]
            if frame >= max(back, fl) * onsetRatio && frame >= fl * snrRatio { hit = 1 }
        }
        hits[slot] = hit
        floorFill += 1
        if floorFill == floorHops {
            for k in 0..<count {
                let w = scalars + k * Slot.count
                floors[k].push(meanSquare: w[Slot.floorAcc] / Double(floorHops))
                w[Slot.floor] = max(floors[k].floorMeanSquare, minFloor)
                w[Slot.floorAcc] = 0
                filters[k].flushTiny()
            }
            floorsReady = true
            floorFill = 0
        }
        hopCount = h + 1
    }
    private var floorsReady = false

    /// Whether some band fired at hop `h` (one of the last `ringHops` hops).
    func hit(atHop h: Int) -> Bool {
        guard h >= 0, h < hopCount, hopCount - h < Self.ringHops else { return false }
        return hits[h & Self.ringMask] != 0
    }
}
