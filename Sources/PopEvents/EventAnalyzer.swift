import Foundation

/// Measures one finished event from the detector's history: sample-exact onset, end, peak level, and the features
/// the classifier reads. Runs once per event (never per sample) on preallocated buffers.
struct EventAnalyzer {
    struct Candidate {
        var onsetSeconds: Double
        var durationSeconds: Double
        var levelDbfs: Double
        var snrDb: Double
        var features: PopFeatures
        /// Last hop of the event's core (its impacts and their ring).
        var coreEndHop = 0
    }

    let sampleRateHz: Double
    let hopSamples: Int
    let config: PopConfig
    let lowHz: Double
    let highHz: Double
    private let spectrum: SpectrumAnalyzer
    /// Envelope smoothing for impulse counting and decay: 2 ms, about one period of the lowest band frequency,
    /// so a ring's own cycles do not look like separate impacts.
    private let smoothHops: Int
    private let impulseSeparationHops: Int
    /// Sub-bands to count impulses in, and the envelope smoothing (hops) for each stream.
    let bands: [Int]
    private let bandSmoothHops: [Int]

    init(sampleRateHz: Double, hopSamples: Int, config: PopConfig, lowHz: Double, highHz: Double, bands: [Int]) {
        self.bands = bands
        self.sampleRateHz = sampleRateHz
        self.hopSamples = hopSamples
        self.config = config
        self.lowHz = lowHz
        self.highHz = highHz
        spectrum = SpectrumAnalyzer(sampleRateHz: sampleRateHz)
        let hop = Double(hopSamples) / sampleRateHz
        smoothHops = max(1, Int((0.002 / hop).rounded()))
        impulseSeparationHops = max(1, Int((0.002 / hop).rounded()))
        // band: 2 ms; low band (≥ 300 Hz): 3 ms; mid and high (≥ 1 kHz): 1 ms.
        bandSmoothHops = [0.002, 0.003, 0.001, 0.001, 0.004].map { max(1, Int(($0 / hop).rounded())) }
    }

    /// Envelope peaks that stand ≥ 6 dB over the background, ≥ 4 dB over the valley since the previous counted
    /// peak, ≥ 3 dB over the mean of the 10 ms before them (so that fluctuations of noise riding along — rustle
    /// under a grind — are not impacts), within 25 dB of the event's peak, and ≥ 2 ms apart. Also returns where the last one rang out
    /// (its envelope 20 dB down, or back to the continuation level): the end of the event's core.
    private func countImpulses(_ hist: SignalHistory, band b: Int, from h0: Int, to h1: Int, reference: Double,
                               lastHop: Int) -> (count: Int, coreEndHop: Int) {
        let n = bandSmoothHops[b]
        let half = n / 2
        let localHops = max(1, Int((0.010 * sampleRateHz / Double(hopSamples)).rounded()))
        let gapHops = max(1, Int((0.001 * sampleRateHz / Double(hopSamples)).rounded()))
        func env(_ h: Int) -> Double { hist.meanEnergy(b, from: h - half, to: h - half + n - 1) }
        var envMax = 0.0
        var envMaxHop = h0
        for h in h0...h1 {
            let v = env(h)
            if v > envMax { envMax = v; envMaxHop = h }
        }
        let floor = max(reference * 4, envMax * pow(10, -2.5))
        var count = 0
        var valley = reference
        var lastPeak = Int.min / 2
        var lastPeakEnergy = envMax
        var prev = env(h0 - 1)
        var cur = env(h0)
        for h in h0...h1 {
            let next = env(h + 1)
            valley = min(valley, cur)
            if cur >= prev && cur > next && cur >= floor && cur >= 2.5 * max(valley, reference)
                && h - lastPeak >= impulseSeparationHops
                && cur >= 2 * hist.meanEnergy(b, from: h - half - localHops - gapHops, to: h - half - gapHops - 1) {
                count += 1
                lastPeak = h
                lastPeakEnergy = cur
                valley = cur
            }
            prev = cur
            cur = next
        }
        var end = count > 0 ? lastPeak : envMaxHop
        let target = max(lastPeakEnergy / 100, reference * pow(10, config.continueDb / 10))
        while end < min(h1, lastHop) && env(end) > target { end += 1 }
        return (count, end)
    }

    private func smoothed(_ h: SignalHistory, _ s: Int, _ hop: Int) -> Double {
        let half = smoothHops / 2
        return h.meanEnergy(s, from: hop - half, to: hop - half + smoothHops - 1)
    }

    func analyze(_ hist: SignalHistory, event ev: PopDetector.OpenEvent, floors: [Double], latestSample: Int,
                 timeOrigin: Double) -> Candidate? {
        let fs = sampleRateHz
        let hs = hopSamples
        let band = SignalHistory.Stream.band
        let earliest = latestSample - hist.sampleCapacity + 1
        let ms = { (x: Double) in Int((x * fs / 1000).rounded()) }

        // Onset: the first sample, from shortly before the triggering frame up to its early peak, above a level
        // set by that peak and by the background just before the event.
        let frameStart = ev.firstHop * hs
        let s0 = max(frameStart - ms(2), earliest)
        let s1 = min((ev.triggerHop + 1) * hs + ms(3), latestSample)
        guard s1 > s0 else { return nil }
        var peakEarly: Float = 0
        var pk = frameStart
        for i in max(frameStart, s0)...s1 {
            let v = abs(hist.sample(i))
            if v > peakEarly { peakEarly = v; pk = i }
        }
        let sigma = Float(ev.reference[band].squareRoot())
        let thr = min(max(0.2 * peakEarly, 4 * sigma), 0.7 * peakEarly)
        var onset = pk
        for i in s0...pk where abs(hist.sample(i)) >= thr { onset = i; break }

        // Activity end: the last hop whose band energy is still above the continuation level.
        let onsetHop = onset / hs
        let lastHop = latestSample / hs - smoothHops
        var endHop = max(ev.lastActiveHop, onsetHop)
        let cont = ev.reference[band] * pow(10, config.continueDb / 10)
        while endHop > onsetHop && hist.energy(band, hop: endHop) < cont { endHop -= 1 }

        // Micro-impulses, counted in the sub-band where the event stands highest above its background (a grind's
        // impacts ring at 1–4 kHz; counting there keeps body noise and rustle in other bands out), on an envelope
        // smoothed over about one period of the band's lowest frequency so a ring's own cycles are not impacts.
        var countBand = bands[0]
        var bestRise = 0.0
        for b in bands {
            var m = 0.0
            for h in onsetHop...endHop { m = max(m, hist.energy(b, hop: h)) }
            let rise = m / max(ev.reference[b], 1e-30)
            if rise > bestRise { bestRise = rise; countBand = b }
        }
        let imp = countImpulses(hist, band: countBand, from: onsetHop, to: endHop,
                                reference: ev.reference[countBand], lastHop: lastHop)
        let impulses = imp.count
        // The event is its impacts and their ring; noise that stays up after them (rustle) is not part of it.
        endHop = max(min(endHop, imp.coreEndHop), onsetHop)
        let end = min(max((endHop + 1) * hs, onset + hs), latestSample + 1)

        // Peak, level and level above the floor.
        var peak: Float = 0
        var peakIdx = onset
        for i in onset..<end {
            let v = abs(hist.sample(i))
            if v > peak { peak = v; peakIdx = i }
        }
        guard peak > 0 else { return nil }
        let levelDbfs = 20 * log10(Double(peak))
        let snrDb = levelDbfs - 10 * log10(max(floors[band], 1e-20))

        // Rise: onset to the first sample within 90 % of the early peak (first 20 ms).
        let riseEnd = min(end, onset + ms(20))
        var riseMax: Float = 0
        for i in onset..<riseEnd { riseMax = max(riseMax, abs(hist.sample(i))) }
        var riseIdx = onset
        for i in onset..<riseEnd where abs(hist.sample(i)) >= 0.9 * riseMax { riseIdx = i; break }
        let riseSeconds = Double(riseIdx - onset) / fs

        // Crest factor over max(20 ms, duration) from the onset; kurtosis over the event itself (Gaussian noise
        // gives 3; sparse impacts far more).
        let crestEnd = min(max(end, onset + ms(20)), latestSample + 1)
        var sumSq = 0.0
        var crestPeak: Float = 0
        for i in onset..<crestEnd {
            let v = hist.sample(i)
            sumSq += Double(v) * Double(v)
            crestPeak = max(crestPeak, abs(v))
        }
        let rms = (sumSq / Double(max(crestEnd - onset, 1))).squareRoot()
        let crest = rms > 0 ? Double(crestPeak) / rms : 0
        let kEnd = max(end, min(onset + ms(5), latestSample + 1))
        var m2 = 0.0, m4 = 0.0
        for i in onset..<kEnd {
            let v = Double(hist.sample(i)), v2 = v * v
            m2 += v2; m4 += v2 * v2
        }
        let kn = Double(max(kEnd - onset, 1))
        let kurtosis = m2 > 0 ? (m4 / kn) / ((m2 / kn) * (m2 / kn)) : 0

        // Decay of the strongest part, on the smoothed band envelope.
        let ref = ev.reference[band]
        var envMax = 0.0
        var envMaxHop = onsetHop
        for h in onsetHop...endHop {
            let v = smoothed(hist, band, h)
            if v > envMax { envMax = v; envMaxHop = h }
        }
        let decayTarget = max(envMax / 100, 2 * ref)
        var decayHop = envMaxHop
        while decayHop < lastHop && smoothed(hist, band, decayHop) > decayTarget { decayHop += 1 }
        let decaySeconds = Double((decayHop - envMaxHop) * hs) / fs

        // Thump band: its rise above its own background, against the detection band's peak energy.
        let thump = SignalHistory.Stream.thump
        var thumpMax = 0.0
        for h in (onsetHop - 2)...endHop { thumpMax = max(thumpMax, smoothed(hist, thump, h)) }
        let thumpExcess = max(thumpMax - ev.reference[thump], 1e-20)
        let thumpRatioDb = 10 * log10(thumpExcess / max(envMax, 1e-20))

        var clipped = false
        for h in onsetHop...endHop where hist.clipped(hop: h) { clipped = true; break }

        // Spectrum, centred on the energy of short events.
        var centre = peakIdx
        if end - onset < ms(12) {
            var w = 0.0, wi = 0.0
            for i in onset..<end {
                let v = Double(hist.sample(i)); w += v * v; wi += v * v * Double(i - onset)
            }
            if w > 0 { centre = onset + Int(wi / w) }
        }
        let spec = spectrum.centroid(hist, onset: onset, end: end, centre: centre, earliest: earliest,
                                     latest: latestSample, lowHz: lowHz, highHz: highHz)

        let features = PopFeatures(spectralCentroidHz: spec.centroidHz, spectralBandwidthHz: spec.bandwidthHz,
                                   peakFrequencyHz: spec.peakHz,
                                   crestFactor: crest, kurtosis: kurtosis, microImpulses: impulses, riseTimeSeconds: riseSeconds,
                                   decaySeconds: decaySeconds, thumpRatioDb: thumpRatioDb, nearContact: false,
                                   clipped: clipped)
        return Candidate(onsetSeconds: timeOrigin + Double(onset) / fs, durationSeconds: Double(end - onset) / fs,
                         levelDbfs: levelDbfs, snrDb: snrDb, features: features, coreEndHop: endHop)
    }
}
