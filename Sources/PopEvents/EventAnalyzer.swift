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
        /// Peak energy of each sub-band (low, mid, high) over its background at the onset (dB; 0 for a band the
        /// sample rate does not allow): the spectral shape the contact signature compares.
        var bandRiseDb: [Double] = [0, 0, 0]
        /// Opened by the heel-thump band: a low sound, measured on that band.
        var bassTriggered = false
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

    /// Where the analysis may look: the oldest sample still in the history and the newest one seen.
    struct Window {
        var earliest: Int
        var latest: Int
        var lastHop: Int
    }

    /// Stage 1: the onset sample and the early peak it was measured against.
    struct Onset {
        var sample: Int
        var hop: Int
    }

    /// Stage 2: how far the event reaches and how many impacts it holds.
    struct Extent {
        /// Last hop of the core (impacts and their ring).
        var endHop: Int
        /// One past the last sample of the core.
        var endSample: Int
        var microImpulses: Int
        /// Peak energy of each sub-band over its background (dB), low, mid, high.
        var bandRiseDb: [Double]
    }

    /// Stage 3: peak level of the band-limited transient.
    struct Level {
        var peakSample: Int
        var levelDbfs: Double
        var snrDb: Double
    }

    /// Stage 4: the waveform's shape — rise, crest, kurtosis, decay, and the smoothed envelope's peak.
    struct Shape {
        var riseSeconds: Double
        var crestFactor: Double
        var kurtosis: Double
        var decaySeconds: Double
        var envelopePeak: Double
    }

    /// Stage 5: what the heel-thump band and the clip detector saw during the event.
    struct ThumpContext {
        var thumpRatioDb: Double
        var clipped: Bool
    }

    func analyze(_ hist: SignalHistory, event ev: PopDetector.OpenEvent, floors: [Double], latestSample: Int,
                 timeOrigin: Double) -> Candidate? {
        let win = Window(earliest: latestSample - hist.sampleCapacity + 1, latest: latestSample,
                         lastHop: latestSample / hopSamples - smoothHops)
        guard let onset = locateOnset(hist, ev, win) else { return nil }
        let extent = measureExtent(hist, ev, onset, win)
        guard let level = measureLevel(hist, ev, onset, extent, floors) else { return nil }
        let shape = measureShape(hist, ev, onset, extent, win)
        let thump = thumpContext(hist, ev, onset, extent, envelopePeak: shape.envelopePeak)
        let spec = measureSpectrum(hist, ev, onset, extent, level, win)
        let features = PopFeatures(spectralCentroidHz: spec.centroidHz, spectralBandwidthHz: spec.bandwidthHz,
                                   peakFrequencyHz: spec.peakHz, crestFactor: shape.crestFactor,
                                   kurtosis: shape.kurtosis, microImpulses: extent.microImpulses,
                                   riseTimeSeconds: shape.riseSeconds, decaySeconds: shape.decaySeconds,
                                   thumpRatioDb: thump.thumpRatioDb, nearContact: false, clipped: thump.clipped,
                                   ringDecaySeconds: ringDecay(hist, ev, onset, extent, win))
        return Candidate(onsetSeconds: timeOrigin + Double(onset.sample) / sampleRateHz,
                         durationSeconds: Double(extent.endSample - onset.sample) / sampleRateHz,
                         levelDbfs: level.levelDbfs, snrDb: level.snrDb, features: features,
                         coreEndHop: extent.endHop, bandRiseDb: extent.bandRiseDb, bassTriggered: Self.isBass(ev))
    }

    private func samples(_ ms: Double) -> Int { Int((ms * sampleRateHz / 1000).rounded()) }

    /// Whether the event was opened by the heel-thump band (a low sound): it is then measured on that band's signal.
    @inline(__always) static func isBass(_ ev: PopDetector.OpenEvent) -> Bool { ev.triggerBand == SignalHistory.Stream.thump }

    /// The signal an event is measured on: the detection band, or the thump band for a low sound.
    @inline(__always) static func signal(_ hist: SignalHistory, _ bass: Bool, _ i: Int) -> Float {
        bass ? hist.bassSample(i) : hist.sample(i)
    }

    /// Onset: the first sample, from shortly before the triggering frame up to its early peak, above a level set by
    /// that peak and by the background just before the event.
    func locateOnset(_ hist: SignalHistory, _ ev: PopDetector.OpenEvent, _ win: Window) -> Onset? {
        let bass = Self.isBass(ev)
        let band = bass ? SignalHistory.Stream.thump : SignalHistory.Stream.band
        let frameStart = ev.firstHop * hopSamples
        let s0 = max(frameStart - samples(2), win.earliest)
        let s1 = min((ev.triggerHop + 1) * hopSamples + samples(3), win.latest)
        guard s1 > s0 else { return nil }
        var peakEarly: Float = 0
        var pk = frameStart
        for i in max(frameStart, s0)...s1 {
            let v = abs(Self.signal(hist, bass, i))
            if v > peakEarly { peakEarly = v; pk = i }
        }
        let sigma = Float(ev.reference[band].squareRoot())
        let thr = min(max(0.2 * peakEarly, 4 * sigma), 0.7 * peakEarly)
        var onset = pk
        for i in s0...pk where abs(Self.signal(hist, bass, i)) >= thr { onset = i; break }
        return Onset(sample: onset, hop: onset / hopSamples)
    }

    /// Activity end (the last hop still above the continuation level), then micro-impulses counted in the sub-band
    /// where the event stands highest above its background (a grind's impacts ring at 1–4 kHz; counting there keeps
    /// body noise and rustle in other bands out). The event is its impacts and their ring; noise that stays up after
    /// them (rustle) is not part of it.
    func measureExtent(_ hist: SignalHistory, _ ev: PopDetector.OpenEvent, _ onset: Onset, _ win: Window) -> Extent {
        let bass = Self.isBass(ev)
        let band = bass ? SignalHistory.Stream.thump : SignalHistory.Stream.band
        var endHop = max(ev.lastActiveHop, onset.hop)
        let cont = ev.reference[band] * pow(10, config.continueDb / 10)
        while endHop > onset.hop && hist.energy(band, hop: endHop) < cont { endHop -= 1 }
        var countBand = bands[0]
        var bestRise = 0.0
        var riseDb: [Double] = [0, 0, 0]
        for b in bands {
            var m = 0.0
            for h in onset.hop...endHop { m = max(m, hist.energy(b, hop: h)) }
            let rise = m / max(ev.reference[b], 1e-30)
            riseDb[b - SignalHistory.Stream.low] = 10 * log10(max(rise, 1e-3))
            if rise > bestRise { bestRise = rise; countBand = b }
        }
        if bass { countBand = SignalHistory.Stream.thump }
        var imp = countImpulses(hist, band: countBand, from: onset.hop, to: endHop,
                                reference: ev.reference[countBand], lastHop: win.lastHop)
        // Impacts a few ms apart ringing at 0.3–1 kHz merge in the low band's 3 ms envelope, while the broadband
        // start of each stands out in the finer mid and high bands: the band that resolves the most impacts counts
        // (the core still ends where the strongest band's last impact rang out).
        if !bass {
            for b in bands where b != countBand && riseDb[b - SignalHistory.Stream.low] >= 6 {
                let other = countImpulses(hist, band: b, from: onset.hop, to: endHop, reference: ev.reference[b],
                                          lastHop: win.lastHop)
                if other.count > imp.count { imp.count = other.count }
            }
        }
        endHop = max(min(endHop, imp.coreEndHop), onset.hop)
        let end = min(max((endHop + 1) * hopSamples, onset.sample + hopSamples), win.latest + 1)
        // A low sound is one ring: grinds' micro-impacts ring at 0.3–3 kHz, above the thump band, and the thump
        // band's envelope ripples with its own cycles.
        return Extent(endHop: endHop, endSample: end, microImpulses: bass ? min(imp.count, 1) : imp.count,
                      bandRiseDb: riseDb)
    }

    /// Peak, level and level above the floor; nil for an all-zero stretch.
    func measureLevel(_ hist: SignalHistory, _ ev: PopDetector.OpenEvent, _ onset: Onset, _ extent: Extent,
                      _ floors: [Double]) -> Level? {
        let bass = Self.isBass(ev)
        var peak: Float = 0
        var peakIdx = onset.sample
        for i in onset.sample..<extent.endSample {
            let v = abs(Self.signal(hist, bass, i))
            if v > peak { peak = v; peakIdx = i }
        }
        guard peak > 0 else { return nil }
        let levelDbfs = 20 * log10(Double(peak))
        let floor = floors[bass ? SignalHistory.Stream.thump : SignalHistory.Stream.band]
        let snrDb = levelDbfs - 10 * log10(max(floor, 1e-20))
        return Level(peakSample: peakIdx, levelDbfs: levelDbfs, snrDb: snrDb)
    }

    /// Rise (onset to the first sample within 90 % of the early peak, first 20 ms); crest factor over max(20 ms,
    /// duration) from the onset; kurtosis over the event itself (Gaussian noise gives 3; sparse impacts far more);
    /// decay of the strongest part on the smoothed band envelope.
    func measureShape(_ hist: SignalHistory, _ ev: PopDetector.OpenEvent, _ onset: Onset, _ extent: Extent,
                      _ win: Window) -> Shape {
        let bass = Self.isBass(ev)
        let band = bass ? SignalHistory.Stream.thump : SignalHistory.Stream.band
        let o = onset.sample, end = extent.endSample
        let riseEnd = min(end, o + samples(20))
        var riseMax: Float = 0
        for i in o..<riseEnd { riseMax = max(riseMax, abs(Self.signal(hist, bass, i))) }
        var riseIdx = o
        for i in o..<riseEnd where abs(Self.signal(hist, bass, i)) >= 0.9 * riseMax { riseIdx = i; break }
        let riseSeconds = Double(riseIdx - o) / sampleRateHz

        let crestEnd = min(max(end, o + samples(20)), win.latest + 1)
        var sumSq = 0.0
        var crestPeak: Float = 0
        for i in o..<crestEnd {
            let v = Self.signal(hist, bass, i)
            sumSq += Double(v) * Double(v)
            crestPeak = max(crestPeak, abs(v))
        }
        let rms = (sumSq / Double(max(crestEnd - o, 1))).squareRoot()
        let crest = rms > 0 ? Double(crestPeak) / rms : 0
        let kEnd = max(end, min(o + samples(5), win.latest + 1))
        var m2 = 0.0, m4 = 0.0
        for i in o..<kEnd {
            let v = Double(Self.signal(hist, bass, i)), v2 = v * v
            m2 += v2; m4 += v2 * v2
        }
        let kn = Double(max(kEnd - o, 1))
        let kurtosis = m2 > 0 ? (m4 / kn) / ((m2 / kn) * (m2 / kn)) : 0

        let ref = ev.reference[band]
        var envMax = 0.0
        var envMaxHop = onset.hop
        for h in onset.hop...extent.endHop {
            let v = smoothed(hist, band, h)
            if v > envMax { envMax = v; envMaxHop = h }
        }
        let decayTarget = max(envMax / 100, 2 * ref)
        var decayHop = envMaxHop
        while decayHop < win.lastHop && smoothed(hist, band, decayHop) > decayTarget { decayHop += 1 }
        let decaySeconds = Double((decayHop - envMaxHop) * hopSamples) / sampleRateHz
        return Shape(riseSeconds: riseSeconds, crestFactor: crest, kurtosis: kurtosis, decaySeconds: decaySeconds,
                     envelopePeak: envMax)
    }

    /// 20 dB decay of the ring, extrapolated from the part standing above the background: measured in the sub-band
    /// where the event stands highest (the thump band for a low sound), from the envelope's peak down by
    /// D = min(20, rise − 3) dB, then scaled to 20 dB (an exponential ring loses equal dB in equal times). A weak
    /// snap's 10 ms ring reaches a broadband background within 2–3 ms; measured this way its length does not
    /// depend on how far it stood above the noise. nil when the event stands < 6 dB over its background there.
    func ringDecay(_ hist: SignalHistory, _ ev: PopDetector.OpenEvent, _ onset: Onset, _ extent: Extent,
                   _ win: Window) -> Double? {
        var b = SignalHistory.Stream.thump
        if !Self.isBass(ev) {
            var best = -Double.infinity
            for k in 0..<3 where extent.bandRiseDb[k] > best {
                best = extent.bandRiseDb[k]; b = SignalHistory.Stream.low + k
            }
        }
        let n = bandSmoothHops[b], half = n / 2
        func env(_ h: Int) -> Double { hist.meanEnergy(b, from: h - half, to: h - half + n - 1) }
        var peak = 0.0, peakHop = onset.hop
        for h in onset.hop...max(onset.hop, min(extent.endHop, onset.hop + Int(0.02 * sampleRateHz) / hopSamples)) {
            let v = env(h)
            if v > peak { peak = v; peakHop = h }
        }
        let riseDb = 10 * log10(max(peak, 1e-30) / max(ev.reference[b], 1e-30))
        let drop = min(20, riseDb - 3)
        guard drop >= 3 else { return nil }
        let target = peak * pow(10, -drop / 10)
        let limit = min(win.lastHop, peakHop + Int(0.1 * sampleRateHz) / hopSamples)
        var h = peakHop
        while h < limit && env(h) > target { h += 1 }
        return Double((h - peakHop) * hopSamples) / sampleRateHz * 20 / drop
    }

    /// The thump band's rise above its own background against the detection band's peak energy, and clipping.
    func thumpContext(_ hist: SignalHistory, _ ev: PopDetector.OpenEvent, _ onset: Onset, _ extent: Extent,
                      envelopePeak: Double) -> ThumpContext {
        let thump = SignalHistory.Stream.thump
        var thumpMax = 0.0
        for h in (onset.hop - 2)...extent.endHop { thumpMax = max(thumpMax, smoothed(hist, thump, h)) }
        let thumpExcess = max(thumpMax - ev.reference[thump], 1e-20)
        let thumpRatioDb = 10 * log10(thumpExcess / max(envelopePeak, 1e-20))
        var clipped = false
        for h in onset.hop...extent.endHop where hist.clipped(hop: h) { clipped = true; break }
        return ThumpContext(thumpRatioDb: thumpRatioDb, clipped: clipped)
    }

    /// Spectrum, centred on the energy of short events.
    func measureSpectrum(_ hist: SignalHistory, _ ev: PopDetector.OpenEvent, _ onset: Onset, _ extent: Extent,
                         _ level: Level, _ win: Window) -> (centroidHz: Double, bandwidthHz: Double, peakHz: Double) {
        let o = onset.sample, end = extent.endSample
        if Self.isBass(ev) {
            // A low ring: its pitch from the zero crossings of the thump band over its first 30 ms.
            let stop = min(max(end, o + samples(10)), o + samples(30), win.latest)
            var crossings = 0
            var first = -1, last = -1
            var prev = hist.bassSample(o)
            if o + 1 <= stop {
                for i in (o + 1)...stop {
                    let v = hist.bassSample(i)
                    if (prev < 0) != (v < 0) {
                        crossings += 1
                        if first < 0 { first = i }
                        last = i
                    }
                    prev = v
                }
            }
            let hz = crossings >= 3 ? Double(crossings - 1) / 2 / (Double(last - first) / sampleRateHz) : 100
            return (hz, 0, hz)
        }
        var centre = level.peakSample
        if end - o < samples(12) {
            var w = 0.0, wi = 0.0
            for i in o..<end {
                let v = Double(hist.sample(i)); w += v * v; wi += v * v * Double(i - o)
            }
            if w > 0 { centre = o + Int(wi / w) }
        }
        let spec = spectrum.centroid(hist, onset: o, end: end, centre: centre, earliest: win.earliest,
                                     latest: win.latest, lowHz: lowHz, highHz: highHz)
        return (spec.centroidHz, spec.bandwidthHz, spec.peakHz)
    }
}
