import Foundation

/// Streaming pop detector for a skin-contact microphone on the lower back (aubio-style: fixed hops, a few named
/// parameters, no allocation while processing samples; memory fixed at construction).
///
/// Signal path, per sample: 8th-order Butterworth high-pass at `highPassHz` (heel thumps, hum fundamentals and
/// motion artefacts lie below) → notches on the mains harmonics that the start-up probe found (or, with
/// `humCanceller`, the harmonics subtracted by a gated LMS canceller that does not ring) → three sub-bands
/// (low / mid / high) and, from the raw input, the heel-thump band. Per hop (0.5 ms): each stream's mean-square
/// energy, and every 10 ms each stream's adaptive noise floor (`NoiseFloorTracker`).
///
/// An onset is declared when a sub-band's short-frame energy jumps `onsetDb` above both its local background
/// (the 16 ms before) and its floor, or two sub-bands jump `broadbandOnsetDb` at once — the energy-based onset
/// functions of J. P. Bello et al., "A tutorial on onset detection in music signals", IEEE Trans. Speech Audio Proc.
/// 13(5), 2005, computed per band as in A. Klapuri, "Sound onset detection by applying psychoacoustic knowledge",
/// ICASSP 1999 — unless the heel-thump band explains it (thump masking, decided `thumpLookaheadSeconds` late). The
/// event lasts while new impacts keep coming or the last one rings, and ends after `mergeGapSeconds` of quiet (the
/// minimum inter-onset interval: no double onsets, and a grind stays one event). The onset is then located to the
/// sample on the band-limited signal, features are measured (`EventAnalyzer`), thumps and rustle are rejected and
/// the kind is decided (`PopClassifier`). docs/POPS.md explains every step and threshold.
public final class PopDetector {
    public let sampleRateHz: Double
    public let config: PopConfig
    /// Tags each event with the stride phase at its onset (provisional while the stride is open).
    public var phaseProvider: StridePhaseProvider?

    /// The mains frequency found by the start-up probe (nil: none found, or not decided yet).
    public private(set) var mainsHz: Double?
    /// Harmonic frequencies being removed from the detection band (notched, or cancelled with `humCanceller`).
    public private(set) var notchedHz: [Double] = []
    public private(set) var mainsDecided = false

    // Filters, run side by side in SIMD lanes (`LaneBiquad`; each lane bit-for-bit the scalar cascade).
    /// Lanes (detection band, heel-thump band), both from the raw input: the 8th-order Butterworth high-pass's four
    /// sections beside the thump band's two, then the thump band's first two mains notches once the probe has chosen
    /// them (pass-through until then).
    private var front: (LaneBiquad<SIMD2<Double>>, LaneBiquad<SIMD2<Double>>, LaneBiquad<SIMD2<Double>>,
                        LaneBiquad<SIMD2<Double>>)
    /// Mains notches, lanes (detection band, heel-thump band): on the thump band the fundamental and the harmonics
    /// inside it (hum there would hide the onsets of low snaps). The shorter list is padded with pass-through.
    private let notchChain: UnsafeMutablePointer<LaneBiquad<SIMD2<Double>>>
    private var notchChainCount = 0
    private let notchChainCapacity: Int
    /// Lanes (low, mid) of the sub-bands, two sections each, on the notched detection band; the high band beside
    /// them as scalars (four lanes with one idle compiled to worse code than this on SSE: ~12 % slower filterRun).
    private var subBands: (LaneBiquad<SIMD2<Double>>, LaneBiquad<SIMD2<Double>>)
    private var highBand: BiquadPair
    /// `filterRun`'s working buffer: one hop of (detection band, thump band) samples.
    private let scratch: UnsafeMutablePointer<SIMD2<Double>>
    /// Narrow low bands on the thump band decimated to one sample per hop: onsets of low snaps (`LowBandBank`).
    private let bank: LowBandBank?
    private var bassHopSum = 0.0
    /// A bank onset's narrow bands ring up over their group delay (≈ 1 / (π × bandwidth), up to ~8 ms): the onset is
    /// searched for that much earlier.
    private let bankDelayHops: Int
    private let highBandEnabled: Bool
    private var probe: MainsHumProbe?
    /// Hum removal on the detection band when `config.humCanceller` (the notches then act on the thump band only).
    private var hum: HumCancellerLanes?
    /// Hum removal on the heel-thump band when `config.bassHumCanceller`.
    private var bassHum: HumCancellerLanes?
    private let probeSamples: Int

    // Hop bookkeeping.
    let hopSamples: Int
    private var hopFill = 0
    private var acc = (0.0, 0.0, 0.0, 0.0, 0.0)
    private var hopClipped = false
    private(set) var sampleCount = 0
    private(set) var hopCount = 0
    private var timeOrigin = 0.0

    // Floors.
    private var floors: [NoiseFloorTracker]
    private let floorHops: Int
    private var floorFill = 0
    private var floorFrames = 0
    /// Per-stream scalars: floor accumulators, floors, window sums (see `WorkSlot`).
    private let work: UnsafeMutablePointer<Double>
    private var sumsHop = Int.min

    // Detection geometry (in hops).
    private let frameHops: [Int] // per stream
    private let backgroundHops: Int
    private let gapHops: Int
    private let warmupHops: Int
    private let mergeGapHops: Int
    private let maxEventHops: Int
    private let maxRingHops: Int
    private let onsetRatio: Double
    private let innerOnsetRatio: Double
    private let bassOnsetRatio: Double
    private let bassSnrRatio: Double
    private let snrRatio: Double
    private let continueRatio: Double
    private let bands: [Int]
    /// Streams whose onsets open events: the sub-bands, and the heel-thump band when `bassOnsets` is on (snaps ring
    /// down to 80 Hz, where only the wearer's contact signature tells them from heel strikes).
    private let detectBands: [Int]
    /// Sub-band streams are 1...lastBand (low, mid, and high when the sample rate allows).
    private let lastBand: Int
    private let retriggerRatio: Double
    private let minFloorMeanSquare: Double
    private let broadbandRatio: Double
    private let broadbandSnrRatio: Double
    /// Per stream: the share of the heel-thump band's energy that may leak into it (normal / clipped input).
    private var thumpMask: [Double]
    private var thumpMaskClipped: [Double]
    private let thumpPeakHops: Int
    private let lookaheadHops: Int
    private let impulseCheckHops: Int
    private let splitGapHops: Int
    /// `PopConfig.contactSplitSeconds` in hops (0 = off).
    private let contactSplitHops: Int
    /// Lead-in search (`PopConfig.leadInSeconds`): how far back, and the floor margin, as hops and a ratio.
    private let leadInHops: Int
    private let leadInSnrRatio: Double
    private let splitRingingOnsets: Bool
    /// A detection-band onset this soon after a thump-band onset is the same sound (the bass frame's delay).
    private let sameSoundHops: Int

    let history: SignalHistory
    private var analyzer: EventAnalyzer
    private var open: OpenEvent?
    /// The hop at which the last event was closed: a lead-in search does not reach back into it.
    private var lastClosedHop = Int.min / 2
    private var pending: [EventAnalyzer.Candidate] = []
    private var contacts: [Double] = []
    /// The leg of each contact in `contacts` (a contact of unknown side takes the other leg of the one before).
    private var contactLegs: [Leg] = []
    /// Whether a sound was heard time-locked to each contact in `contacts`.
    private var contactHeard: [Bool] = []
    /// Contacts pruned from the front of `contacts` so far.
    private var prunedContacts = 0
    /// Each pop's phase on its own leg (bounded).
    public let legPhases: ContactLegPhases
    /// The wearer's heel-strike sound, per leg (`ContactSignature`).
    private(set) var signature = ContactSignature()
    /// Recent candidates (accepted or not) that no contact has claimed yet: a late contact can still teach the
    /// signature from them. Bounded.
    private var recent: [(onsetSeconds: Double, vector: [Double])] = []
    /// Contacts kept: enough for minutes of walking, while pruning by age keeps the list short live.
    private static let contactCapacity = 1024
    private var output: [PopEvent] = []
    /// A grind held while its train may continue (`GrindTrain`).
    private var train: GrindTrain
    /// Diagnostics: called with each candidate the classifier rejected (heel thump or rustle).
    var rejectedCandidate: ((EventAnalyzer.Candidate) -> Void)?
    /// Diagnostics: at each onset, per sub-band (hop, band, frame energy, local background, floor).
    var onsetTrace: ((Int, Int, Double, Double, Double) -> Void)?

    struct OpenEvent {
        var firstHop: Int
        var triggerHop: Int
        var lastActiveHop: Int
        var lastOnsetHop: Int
        var triggerBand: Int
        /// Per stream: max(local background, floor) at the onset (mean square).
        var reference: [Double]
        /// Every further impact inside the event: (hop, sub-band, ringing). Lets `close` split off a separate event
        /// that fell inside the merge gap of an earlier one (a click 50 ms after a snap), which the core of the first
        /// event does not reach. `ringing`: an onset that rang too long to be an impact
        /// (`PopConfig.splitRingingOnsets`).
        var impacts: [(hop: Int, band: Int, ringing: Bool)] = []
        /// The last hop at which a detection sub-band jumped as an onset would (see `advance`).
        var lastJumpHop = Int.min / 2
    }

    public init(sampleRateHz: Double, config: PopConfig = .init()) {
        precondition(sampleRateHz >= 4000, "pop detection needs at least 4 kHz")
        self.sampleRateHz = sampleRateHz
        self.config = config
        let fs = sampleRateHz
        let top = min(config.maxBandHz, 0.45 * fs)
        let highPass = BiquadQuad.butterworthHighPass(cutoffHz: config.highPassHz, sampleRateHz: fs)
        let split1 = min(config.bandSplitLowHz, top * 0.8)
        let split2 = min(config.bandSplitHighHz, top)
        let lowBand = BiquadPair.butterworthLowPass(cutoffHz: split1, sampleRateHz: fs)
        highBandEnabled = split2 < top * 0.95
        let midBand = BiquadPair.band(lowHz: split1, highHz: split2, sampleRateHz: fs)
        let highBand = highBandEnabled ? BiquadPair.butterworthHighPass(cutoffHz: split2, sampleRateHz: fs)
                                       : BiquadPair.butterworthHighPass(cutoffHz: top, sampleRateHz: fs)
        let thumpBand = BiquadPair.band(lowHz: config.thumpBandLowHz, highHz: config.thumpBandHighHz, sampleRateHz: fs)
        front = (LaneBiquad([highPass.a, thumpBand.a]), LaneBiquad([highPass.b, thumpBand.b]),
                 LaneBiquad([highPass.c, Biquad()]), LaneBiquad([highPass.d, Biquad()]))
        subBands = (LaneBiquad([lowBand.a, midBand.a]), LaneBiquad([lowBand.b, midBand.b]))
        self.highBand = highBand
        notchChainCapacity = max(config.maxMainsNotches, Self.maxBassNotches, 1)
        notchChain = .allocate(capacity: notchChainCapacity)
        probeSamples = Int(config.mainsProbeSeconds * fs)
        if probeSamples > 0 { probe = MainsHumProbe(sampleRateHz: fs, harmonics: config.mainsHarmonics) }

        hopSamples = max(1, Int((config.hopSeconds * fs).rounded()))
        scratch = .allocate(capacity: hopSamples)
        scratch.initialize(repeating: .zero, count: hopSamples)
        let hop = Double(hopSamples) / fs
        func hops(_ s: Double) -> Int { max(1, Int((s / hop).rounded())) }
        floorHops = hops(config.floorFrameSeconds)
        floors = (0..<SignalHistory.Stream.count).map { _ in
            NoiseFloorTracker(windowFrames: max(1, Int(config.floorWindowSeconds / config.floorFrameSeconds)),
                              percentile: config.floorPercentile)
        }
        frameHops = [hops(config.highBandFrameSeconds), hops(config.lowBandFrameSeconds),
                     hops(config.midBandFrameSeconds), hops(config.highBandFrameSeconds),
                     hops(config.bassOnsets ? config.bassFrameSeconds : config.lowBandFrameSeconds)]
        backgroundHops = hops(config.backgroundSeconds)
        gapHops = max(0, Int((config.backgroundGapSeconds / hop).rounded()))
        warmupHops = max(hops(config.warmupSeconds), frameHops.max()! + gapHops + backgroundHops)
        mergeGapHops = hops(config.mergeGapSeconds)
        maxEventHops = hops(config.maxEventSeconds)
        maxRingHops = hops(config.maxRingSeconds)
        onsetRatio = pow(10, config.onsetDb / 10)
        innerOnsetRatio = pow(10, config.innerOnsetDb / 10)
        bassOnsetRatio = pow(10, config.bassOnsetDb / 10)
        bassSnrRatio = pow(10, config.bassMinSnrDb / 10)
        snrRatio = pow(10, config.minSnrDb / 10)
        continueRatio = pow(10, config.continueDb / 10)
        retriggerRatio = pow(10, config.retriggerDb / 10)
        minFloorMeanSquare = pow(10, config.minFloorDbfs / 10)
        broadbandRatio = pow(10, config.broadbandOnsetDb / 10)
        broadbandSnrRatio = pow(10, (config.broadbandOnsetDb + config.minSnrDb - config.onsetDb) / 10)
        // Thump masking: a heel thump's spectrum falls steeply above its band (≈ −12 dB/octave, power ∝ f⁻⁴; a
        // clipped thump's harmonics only ≈ −6 dB/octave). A sub-band may carry that share of the thump band's
        // energy, plus a margin, before anything in it counts as a separate event.
        let centres = [config.highPassHz * 2, (config.highPassHz * split1).squareRoot(), (split1 * split2).squareRoot(),
                       (split2 * top).squareRoot(), config.thumpBandHighHz]
        let margin = pow(10, config.thumpMaskMarginDb / 10)
        thumpMask = centres.map { margin * pow($0 / config.thumpBandHighHz, -4) }
        thumpMaskClipped = centres.map { margin * pow($0 / config.thumpBandHighHz, -2) }
        thumpPeakHops = max(1, Int((0.01 / (Double(hopSamples) / fs)).rounded()))
        lookaheadHops = max(0, Int((config.thumpLookaheadSeconds / (Double(hopSamples) / fs)).rounded()))
        impulseCheckHops = max(1, Int((0.003 / (Double(hopSamples) / fs)).rounded()))
        if config.bassOnsets && config.bassBankOnsets {
            bank = LowBandBank(lowRateHz: fs / Double(hopSamples), hopSeconds: hop, frameSeconds: config.bassFrameSeconds,
                               backgroundSeconds: config.backgroundSeconds, gapSeconds: config.backgroundGapSeconds,
                               onsetDb: config.bassBankOnsetDb, minSnrDb: config.bassBankMinSnrDb,
                               floorFrameSeconds: config.floorFrameSeconds,
                               floorWindowSeconds: config.floorWindowSeconds, floorPercentile: config.floorPercentile,
                               minFloorDbfs: config.minFloorDbfs)
        } else {
            bank = nil
        }
        bankDelayHops = max(0, Int((0.008 / hop).rounded()))
        sameSoundHops = max(1, Int((config.bassFrameSeconds / (Double(hopSamples) / fs)).rounded()))
        splitGapHops = max(1, Int((config.splitGapSeconds / (Double(hopSamples) / fs)).rounded()))
        contactSplitHops = Int((config.contactSplitSeconds / (Double(hopSamples) / fs)).rounded())
        leadInHops = Int((config.leadInSeconds / (Double(hopSamples) / fs)).rounded())
        leadInSnrRatio = pow(10, config.leadInMinSnrDb / 10)
        splitRingingOnsets = config.splitRingingOnsets
        lastBand = highBandEnabled ? SignalHistory.Stream.high : SignalHistory.Stream.mid
        work = .allocate(capacity: WorkSlot.count)
        work.initialize(repeating: 0, count: WorkSlot.count)
        bands = highBandEnabled ? [SignalHistory.Stream.low, SignalHistory.Stream.mid, SignalHistory.Stream.high]
                                : [SignalHistory.Stream.low, SignalHistory.Stream.mid]
        detectBands = bands + (config.bassOnsets ? [SignalHistory.Stream.thump] : [])

        // Enough history for the longest event, the merge gap, and the analysis frames before the onset.
        let analyzerFrame = 2 * SpectrumAnalyzer(sampleRateHz: fs).size
        let historySeconds = config.maxEventSeconds + config.leadInSeconds + config.mergeGapSeconds
            + config.backgroundSeconds + 0.05
        history = SignalHistory(minSamples: Int(historySeconds * fs) + analyzerFrame + 4 * hopSamples,
                                minHops: Int(historySeconds / hop) + analyzerFrame / hopSamples + 64)
        analyzer = EventAnalyzer(sampleRateHz: fs, hopSamples: hopSamples, config: config,
                                 lowHz: config.highPassHz, highHz: top, bands: bands)
        legPhases = ContactLegPhases(micSide: config.micSide)
        pending.reserveCapacity(16)
        contacts.reserveCapacity(Self.contactCapacity + 1)
        output.reserveCapacity(16)
        train = GrindTrain(gapSeconds: config.grindTrainGapSeconds)
    }

    deinit {
        work.deallocate()
        scratch.deallocate()
        notchChain.deinitialize(count: notchChainCount)
        notchChain.deallocate()
    }

    /// Bytes of signal history held (constant).
    public var historyBytes: Int { history.bytes }

    /// The current noise floor of the detection band (dBFS RMS).
    public var noiseFloorDbfs: Double {
        10 * log10(max(work[WorkSlot.floor + SignalHistory.Stream.band], 1e-20))
    }

    // MARK: Context

    /// Heel-strike initial-contact times (s), in any order, possibly late: context for recognising thumps.
    public func noteContacts(_ tSeconds: [Double]) { for t in tSeconds { noteContact(t) } }

    /// Contacts with their legs (nil: side unknown).
    public func noteContacts(_ tSeconds: [Double], legs: [Leg?]) {
        for (t, l) in zip(tSeconds, legs) { noteContact(t, leg: l) }
    }

    /// One initial contact (heel strike) at `t`; `leg` nil when the side is not known (then legs alternate).
    public func noteContact(_ t: Double, leg: Leg? = nil) {
        let i: Int
        if let last = contacts.last, t < last {
            i = contacts.firstIndex { $0 > t } ?? contacts.count
        } else {
            i = contacts.count
        }
        let l = leg ?? (i > 0 ? contactLegs[i - 1].other : .left)
        contacts.insert(t, at: i)
        contactLegs.insert(l, at: i)
        contactHeard.insert(false, at: i)
        signature.noteContact(l)
        legPhases.noteContact(tSeconds: t, leg: l)
        if contacts.count > Self.contactCapacity {
            prunedContacts += contacts.count - Self.contactCapacity
            contacts.removeFirst(contacts.count - Self.contactCapacity)
            contactLegs.removeFirst(contactLegs.count - Self.contactCapacity)
            contactHeard.removeFirst(contactHeard.count - Self.contactCapacity)
        }
        // Sounds already heard that this contact explains teach the signature.
        var k = 0
        while k < recent.count {
            if let j = contactIndex(near: recent[k].onsetSeconds) {
                learn(recent[k].vector, contact: j)
                recent.remove(at: k)
            } else {
                k += 1
            }
        }
    }

    enum ContactProximity { case near, far, unknown }

    /// Where a sound starting at `onset` lies relative to the wearer's contacts: near a noted one, or near one the
    /// step rhythm predicts (live, contacts are noted ~300 ms late, so the latest ones are not known yet when a
    /// sound is decided); far from all while walking; unknown before any rhythm is known or long after the last.
    func contactProximity(_ onset: Double) -> ContactProximity {
        if contactLeg(near: onset) != nil { return .near }
        guard contacts.count >= 3, let last = contacts.last else { return .unknown }
        if onset <= last {
            // Walking around the onset (contacts within 1.5 s both sides) and none near it: far.
            let before = contacts.last { $0 <= onset }, after = contacts.first { $0 > onset }
            if let b = before, let a = after, onset - b < 1.5, a - onset < 1.5 { return .far }
            return .unknown
        }
        guard let (lag, slack) = predictedContactLag(onset) else { return .unknown }
        return lag >= -config.signatureBeforeSeconds - slack && lag <= config.signatureAfterSeconds + slack ? .near : .far
    }

    /// Onset minus the contact the step rhythm predicts nearest to it (median of the last step intervals after the
    /// last noted contact), with the prediction's slack (s); nil before the last noted contact or with no rhythm.
    func predictedContactLag(_ onset: Double) -> (seconds: Double, slack: Double)? {
        guard contacts.count >= 3, let last = contacts.last, onset > last else { return nil }
        let n = contacts.count
        var gaps = [contacts[n - 1] - contacts[n - 2], contacts[n - 2] - contacts[n - 3]]
        if n >= 4 { gaps.append(contacts[n - 3] - contacts[n - 4]) }
        gaps.sort()
        let step = gaps[gaps.count / 2]
        guard step > 0.2, step < 1.5, onset - last < 3 * step else { return nil }
        let k = max(1, ((onset - last) / step).rounded())
        return (onset - (last + k * step), 0.03 * k)
    }

    /// The leg of a noted contact that a sound starting at `onset` is time-locked to: onset − contact within
    /// [−`signatureBeforeSeconds`, +`signatureAfterSeconds`] (the nearest such contact).
    func contactLeg(near onset: Double) -> Leg? { contactIndex(near: onset).map { contactLegs[$0] } }

    func contactIndex(near onset: Double) -> Int? {
        let lo = onset - config.signatureAfterSeconds, hi = onset + config.signatureBeforeSeconds
        var best: Int?
        var j = contacts.count - 1
        while j >= 0 && contacts[j] >= lo {
            if contacts[j] <= hi && (best == nil || abs(contacts[j] - onset) < abs(contacts[best!] - onset)) { best = j }
            j -= 1
        }
        return best
    }

    /// The first steps of a session, up to a sound at `onset`: fewer than 8 contacts before it and no signature yet.
    /// (Counted from the contacts before the sound, so reports — which know every contact in advance — bootstrap
    /// the same way as live use.)
    func isBootstrapping(at onset: Double) -> Bool {
        guard signature.count(.left) < signature.minCount || signature.count(.right) < signature.minCount else {
            return false
        }
        var before = contacts.count
        while before > 0 && contacts[before - 1] > onset { before -= 1 }
        return prunedContacts + before < 8
    }

    /// Onset of the latest candidate decided (accepted or not).
    private var lastCandidateSeconds = -Double.infinity
    /// Quiet before a walk's first heel strike: no contact noted and no sound heard for this long.
    static let boutGapSeconds = 2.0

    /// Whether a sound at `onset` opens a bout: no contact noted from `boutGapSeconds` before it up to the contact
    /// window after it, and no candidate in the `boutGapSeconds` before it.
    func opensBout(_ onset: Double) -> Bool {
        guard lastCandidateSeconds < onset - Self.boutGapSeconds else { return false }
        let hi = onset + config.signatureBeforeSeconds, lo = onset - Self.boutGapSeconds
        for t in contacts.reversed() {
            if t < lo { break }
            if t <= hi { return false }
        }
        return true
    }

    /// A sound time-locked to contact `j` teaches that leg's signature.
    private func learn(_ v: [Double], contact j: Int) {
        signature.learn(v, leg: contactLegs[j])
        if !contactHeard[j] {
            contactHeard[j] = true
            signature.noteHeard(contactLegs[j])
        }
    }

    /// Forgets contacts that can no longer matter (older than the history plus the contact window).
    private func pruneContacts(now: Double) {
        let keepFrom = now - config.maxEventSeconds - config.contactAfterSeconds - config.contactLatencySeconds - 3
        if let first = contacts.first, first < keepFrom {
            let k = contacts.firstIndex { $0 >= keepFrom } ?? contacts.count
            contacts.removeFirst(k)
            prunedContacts += k
            contactLegs.removeFirst(k)
            contactHeard.removeFirst(k)
        }
        // A sound no contact claimed within the contact delay is not a heel strike's.
        let wait = config.signatureAfterSeconds + max(config.contactLatencySeconds, 0.5)
        while let r = recent.first, r.onsetSeconds < now - max(wait, 3) - 1 { recent.removeFirst() }
    }

    /// Contacts currently remembered (bounded: pruned by age).
    var retainedContactCount: Int { contacts.count }

    /// Whether a contact, noted or predicted, lies within `lowAfterContactSeconds` before `onset`.
    func followsContact(_ onset: Double) -> Bool {
        let window = config.lowAfterContactSeconds
        guard window > 0 else { return false }
        if hasNotedContact(from: onset - window, to: onset) { return true }
        // Live, the latest contacts are not noted yet: the one the step rhythm predicts, with its slack.
        if let (lag, slack) = predictedContactLag(onset) { return lag >= -slack && lag <= window + slack }
        return false
    }

    /// Onset minus the nearest contact, noted or predicted (s; traces only).
    func traceContactLag(_ onset: Double) -> Double {
        let noted = contacts.min { abs($0 - onset) < abs($1 - onset) }.map { onset - $0 }
        let predicted = predictedContactLag(onset)?.seconds
        return [noted, predicted].compactMap { $0 }.min { abs($0) < abs($1) } ?? 9
    }

    func isNearContact(_ onset: Double) -> Bool {
        hasNotedContact(from: onset - config.contactAfterSeconds, to: onset + config.contactBeforeSeconds)
    }

    /// Whether a noted contact lies in [lo, hi]; contacts are kept sorted, so the scan stops at the first one
    /// before `lo`.
    private func hasNotedContact(from lo: Double, to hi: Double) -> Bool {
        for c in contacts.reversed() {
            if c < lo { return false }
            if c <= hi { return true }
        }
        return false
    }

    // MARK: Streaming

    /// Feeds a block (full scale ±1) whose first sample was taken at `startSeconds`; returns the events whose end
    /// has been seen. Any block size works and gives the same events.
    public func process(_ samples: UnsafeBufferPointer<Float>, startSeconds: Double) -> [PopEvent] {
        timeOrigin = startSeconds - Double(sampleCount) / sampleRateHz
        output.removeAll(keepingCapacity: true)
        guard !samples.isEmpty else { return [] }
        var i = 0
        let n = samples.count
        while i < n {
            // Run until the end of the block, the end of the hop, or the end of the mains probe.
            var stop = min(n, i + (hopSamples - hopFill))
            if probe != nil { stop = min(stop, i + max(1, probeSamples - sampleCount)) }
            filterRun(samples, from: i, to: stop)
            hopFill += stop - i
            i = stop
            if probe != nil && sampleCount >= probeSamples { decideMains() }
            if hopFill == hopSamples { endHop() }
        }
        releasePending(final: false)
        releaseTrain(final: false)
        pruneContacts(now: timeOrigin + Double(sampleCount) / sampleRateHz)
        return takeOutput()
    }

    /// Closes the stream: the open event (if any) ends now, and held events are decided.
    public func finish() -> [PopEvent] {
        output.removeAll(keepingCapacity: true)
        // Decide the hops still inside the look-ahead, then close whatever is open.
        var h = max(0, hopCount - lookaheadHops)
        while h < hopCount { detect(atHop: h, newestHop: hopCount - 1); h += 1 }
        if let e = open {
            open = nil
            close(e, atHop: max(hopCount - 1, e.lastActiveHop))
        }
        releasePending(final: true)
        releaseWaiting(final: true)
        releaseTrain(final: true)
        return takeOutput()
    }

    /// Hands over the events found (no allocation when there are none).
    private func takeOutput() -> [PopEvent] {
        guard !output.isEmpty else { return [] }
        let out = output
        output = []
        return out
    }

    /// The per-sample work: filters, energies, history. Locals only in the loops (no exclusivity checks, no ARC).
    ///
    /// The filters run side by side in SIMD lanes (`LaneBiquad`), in passes over the run's samples (at most one
    /// hop, kept in `scratch`) so that every section's state stays in a register: the high-pass beside the thump
    /// band, then the mains notches a few sections per pass (their number is only known after the probe), then the
    /// sub-bands, energies and history. (One loop doing all of them, specialised per notch count, was ~40 % slower:
    /// SSE's 16 registers cannot hold every section's state, and spilled state puts a store-to-load round trip into
    /// its recursion.) Every lane does the scalar filters' operations in their order, so the
    /// output is bit-for-bit that of one scalar loop doing all filters per sample — only 2–4× fewer instructions.
    private func filterRun(_ samples: UnsafeBufferPointer<Float>, from a: Int, to b: Int) {
        let n = b - a
        guard n > 0 else { return }
        let buf = scratch
        var clipped = hopClipped
        let clip = Float(config.clipLevel)
        do {
            var (f0, f1, f2, f3) = front
            for k in 0..<n {
                let xf = samples[a + k]
                if abs(xf) >= clip { clipped = true }
                let x = SIMD2(repeating: Double(xf))
                buf[k] = f3.step(f2.step(f1.step(f0.step(x))))
            }
            front = (f0, f1, f2, f3)
        }
        if notchChainCount > 0 { Self.runSections(notchChain, notchChainCount, over: buf, n) }
        hum?.run(buf, lane: 0, count: n)
        bassHum?.run(buf, lane: 1, count: n)
        var (s0, s1) = subBands
        var hi = highBand
        let highOn = highBandEnabled
        var eyt = SIMD2(acc.0, acc.4)
        var elm = SIMD2(acc.1, acc.2)
        var e3 = acc.3
        var bassSum = bassHopSum
        let hist = history
        var idx = sampleCount
        for k in 0..<n {
            let v = buf[k]
            let y = v[0], t = v[1]
            let lm = s1.step(s0.step(SIMD2(repeating: y)))
            let h = highOn ? hi.step(y) : 0
            eyt += v * v
            elm += lm * lm
            e3 += h * h
            bassSum += t
            hist.setSample(idx, Float(y))
            hist.setBassSample(idx, Float(t))
            idx &+= 1
        }
        if probe != nil { probe!.feed(samples, from: a, to: b) }
        subBands = (s0, s1)
        highBand = hi
        acc = (eyt[0], elm[0], elm[1], e3, eyt[1])
        bassHopSum = bassSum
        hopClipped = clipped
        sampleCount = idx
    }

    /// Runs the cascade `f[0..<count]` in place over `buf[0..<n]`, up to four sections per pass so that their
    /// states live in registers and their recursions overlap.
    @inline(__always)
    private static func runSections(_ f: UnsafeMutablePointer<LaneBiquad<SIMD2<Double>>>, _ count: Int,
                                    over buf: UnsafeMutablePointer<SIMD2<Double>>, _ n: Int) {
        var j = 0
        while j + 4 <= count {
            var s0 = f[j], s1 = f[j + 1], s2 = f[j + 2], s3 = f[j + 3]
            for k in 0..<n { buf[k] = s3.step(s2.step(s1.step(s0.step(buf[k])))) }
            f[j] = s0; f[j + 1] = s1; f[j + 2] = s2; f[j + 3] = s3
            j += 4
        }
        if j + 2 <= count {
            var s0 = f[j], s1 = f[j + 1]
            for k in 0..<n { buf[k] = s1.step(s0.step(buf[k])) }
            f[j] = s0; f[j + 1] = s1
            j += 2
        }
        if j < count {
            var s0 = f[j]
            for k in 0..<n { buf[k] = s0.step(buf[k]) }
            f[j] = s0
        }
    }

    /// At most this many mains notches on the heel-thump band.
    private static let maxBassNotches = 6

    private func decideMains() {
        guard let p = probe else { return }
        let d = p.decide(minToneDb: config.mainsToneDb, notchFromHz: 0.4 * config.highPassHz,
                         maxHz: 0.45 * sampleRateHz, maxNotches: config.maxMainsNotches)
        mainsHz = d.mainsHz
        notchedHz = d.notchHz
        // Notches start from rest on a signal already high-passed: their output begins equal to the input and the
        // tone fades out over ~1/bandwidth — no step, so no false onset.
        var notches = d.notchHz.map {
            Biquad.notch(centreHz: $0, bandwidthHz: config.mainsNotchBandwidthHz, sampleRateHz: sampleRateHz)
        }
        if config.humCanceller, let mains = d.mainsHz, !d.notchHz.isEmpty {
            hum = HumCancellerLanes(mainsHz: mains, harmonicsHz: d.notchHz, sampleRateHz: sampleRateHz)
            notches = []
        }
        var bassNotches: [Biquad] = []
        if config.bassOnsets {
            let low = p.decide(minToneDb: config.mainsToneDb, notchFromHz: 0,
                               maxHz: min(0.45 * sampleRateHz, config.thumpBandHighHz * 1.3),
                               maxNotches: Self.maxBassNotches)
            bassNotches = low.notchHz.map {
                Biquad.notch(centreHz: $0, bandwidthHz: config.mainsNotchBandwidthHz, sampleRateHz: sampleRateHz)
            }
            if config.bassHumCanceller, let mains = low.mainsHz, !low.notchHz.isEmpty {
                bassHum = HumCancellerLanes(mainsHz: mains, harmonicsHz: low.notchHz, sampleRateHz: sampleRateHz)
                bassNotches = []
            }
        }
        // The thump band's first two notches take the front's idle thump-lane sections (pass-through until now, so
        // their state is at rest), which run anyway: the same sections in the same order on the same samples, and
        // up to two fewer passes of the chain below when hum has harmonics under 325 Hz (up to `maxBassNotches`).
        let inFront = min(2, bassNotches.count)
        if inFront > 0 { front.2.setLane(1, to: bassNotches[0]) }
        if inFront > 1 { front.3.setLane(1, to: bassNotches[1]) }
        bassNotches.removeFirst(inFront)
        // Lanes (detection band, thump band); the shorter chain is padded with pass-through sections.
        notchChainCount = min(max(notches.count, bassNotches.count), notchChainCapacity)
        for j in 0..<notchChainCount {
            (notchChain + j).initialize(to: LaneBiquad([j < notches.count ? notches[j] : Biquad(),
                                                        j < bassNotches.count ? bassNotches[j] : Biquad()]))
        }
        probe = nil
        mainsDecided = true
    }

    /// Per-hop work: energies into history, floors, onset/offset decisions.
    private func endHop() {
        let h = hopCount
        let inv = 1 / Double(hopSamples)
        let hist = history
        let e = (acc.0 * inv, acc.1 * inv, acc.2 * inv, acc.3 * inv, acc.4 * inv)
        hist.setEnergy(0, hop: h, e.0)
        hist.setEnergy(1, hop: h, e.1)
        hist.setEnergy(2, hop: h, e.2)
        hist.setEnergy(3, hop: h, e.3)
        hist.setEnergy(4, hop: h, e.4)
        hist.setClipped(hop: h, hopClipped)
        acc = (0, 0, 0, 0, 0)
        bank?.push(bassHopSum * inv, warm: h >= warmupHops)
        bassHopSum = 0
        hopClipped = false
        hopFill = 0
        hopCount = h + 1
        // Filters: drop decayed state so that digital silence cannot go subnormal.
        if h & 63 == 0 {
            front.0.flushTiny(); front.1.flushTiny(); front.2.flushTiny(); front.3.flushTiny()
            subBands.0.flushTiny(); subBands.1.flushTiny(); highBand.flushTiny()
            for j in 0..<notchChainCount { notchChain[j].flushTiny() }
        }
        // Floors, every floor frame.
        let w = work
        w[WorkSlot.floorAcc + 0] += e.0
        w[WorkSlot.floorAcc + 1] += e.1
        w[WorkSlot.floorAcc + 2] += e.2
        w[WorkSlot.floorAcc + 3] += e.3
        w[WorkSlot.floorAcc + 4] += e.4
        floorFill += 1
        if floorFill == floorHops {
            for s in 0..<SignalHistory.Stream.count {
                floors[s].push(meanSquare: w[WorkSlot.floorAcc + s] / Double(floorHops))
                w[WorkSlot.floor + s] = max(floors[s].floorMeanSquare, minFloorMeanSquare)
                w[WorkSlot.floorAcc + s] = 0
            }
            floorFrames += 1
            floorFill = 0
        }
        detect(atHop: h - lookaheadHops, newestHop: h)
        if !waiting.isEmpty { releaseWaiting(final: false) }
    }

    /// Offsets into `work`, the detector's few per-stream scalars (one allocation, no exclusivity checks).
    enum WorkSlot {
        static let floorAcc = 0, floor = 5, frameSum = 10, backgroundSum = 15
        static let count = 20
    }

    /// Keeps the frame and background window sums of the sub-bands current for hop `h`: O(1) per hop, recomputed
    /// exactly every 1024 hops (and whenever hops were skipped) so rounding cannot drift.
    @inline(__always) private func updateWindowSums(_ h: Int) {
        let w = work, hist = history
        let exact = h != sumsHop + 1 || h & 1023 == 0
        for b in detectBands {
            let lf = frameHops[b]
            let bgEnd = h - lf - gapHops
            if exact {
                var f = 0.0, g = 0.0
                for k in (h - lf + 1)...h { f += hist.energy(b, hop: k) }
                for k in (bgEnd - backgroundHops + 1)...bgEnd { g += hist.energy(b, hop: k) }
                w[WorkSlot.frameSum + b] = f
                w[WorkSlot.backgroundSum + b] = g
            } else {
                w[WorkSlot.frameSum + b] += hist.energy(b, hop: h) - hist.energy(b, hop: h - lf)
                w[WorkSlot.backgroundSum + b] += hist.energy(b, hop: bgEnd) - hist.energy(b, hop: bgEnd - backgroundHops)
            }
        }
        sumsHop = h
    }

    /// The recent heel-thump peak (10 ms covers half a period of its lowest frequency) and clipping, computed once
    /// per hop and only when some band is loud enough for the mask to matter.
    struct ThumpMaskState {
        var peak = -1.0
        var clippedRecently = false
    }

    /// Whether sub-band `b`'s frame energy `s` at hop `h` is explained by the heel thump leaking into it.
    private func masked(_ b: Int, _ s: Double, hop h: Int, newestHop: Int, _ m: inout ThumpMaskState) -> Bool {
        if b == SignalHistory.Stream.thump { return false } // the thump band is judged by the contact signature
        if m.peak < 0 {
            m.peak = 0
            var k = h - thumpPeakHops + 1
            while k <= newestHop {
                m.peak = max(m.peak, history.energy(SignalHistory.Stream.thump, hop: k))
                if history.clipped(hop: k) { m.clippedRecently = true }
                k += 1
            }
            // The mask scales the thump band's rise over its own local background, not its level: a thump that is
            // already ringing leaks steadily, and that leak is in each sub-band's own background, which an onset must
            // jump over anyway. Only the thump's start leaks as a jump. Scaling the level masked a snap 20–60 ms
            // into a low (36 Hz) thump's ring at −20 dBFS while the thump's real leak was at the floor (−50 dBFS).
            // Clipped input keeps the level: clipping's corners make bursts each period, which a mean does not hold.
            var ref = work[WorkSlot.floor + SignalHistory.Stream.thump]
            if config.bassOnsets && !m.clippedRecently {
                ref = max(ref, work[WorkSlot.backgroundSum + SignalHistory.Stream.thump] / Double(backgroundHops))
            }
            m.peak = max(m.peak - ref, 0)
        }
        return s < m.peak * (m.clippedRecently ? thumpMaskClipped[b] : thumpMask[b])
    }

    /// Onset and offset decisions for hop `h`, made `lookaheadHops` late so that the thump mask can see the heel
    /// thump's energy build up in its (slower, low-frequency) band: the thump's sharp start leaks into the
    /// detection band a few milliseconds *before* the thump band reaches its peak.
    private func detect(atHop h: Int, newestHop: Int) {
        guard h >= warmupHops, floorFrames > 0 else { return }
        updateWindowSums(h)
        var mask = ThumpMaskState()
        if let ev = open {
            advance(ev, hop: h, newestHop: newestHop, &mask)
        } else {
            findOnset(hop: h, newestHop: newestHop, &mask)
        }
    }

    /// Keeps an open event going or closes it. Activity is either a new impact (a jump of `retriggerDb` over the
    /// local background that has fallen by half 3 ms later, seen through the look-ahead: the next micro-impact of a
    /// grind, not the rising envelope of rustle) or the ring-down of the last one (above the onset's background, for
    /// at most `maxRingSeconds`). Energy that merely stays up — rustle starting under a snap — is neither.
    private func advance(_ event: OpenEvent, hop h: Int, newestHop: Int, _ mask: inout ThumpMaskState) {
        let w = work
        let invBackground = 1 / Double(backgroundHops)
        var ev = event
        var active = false
        var bassEvent = ev.triggerBand == SignalHistory.Stream.thump
        for b in detectBands {
            let s = w[WorkSlot.frameSum + b] / Double(frameHops[b])
            guard s >= ev.reference[b] * continueRatio, !masked(b, s, hop: h, newestHop: newestHop, &mask) else {
                continue
            }
            if bassEvent && b != SignalHistory.Stream.thump {
                // A sharp sound in the detection band during a low one (a snap's click on a heel thump) is its own
                // event: the low one ends here.
                let ref = max(w[WorkSlot.backgroundSum + b] * invBackground, w[WorkSlot.floor + b])
                if s >= ref * onsetRatio && s >= w[WorkSlot.floor + b] * snrRatio && h - ev.triggerHop <= sameSoundHops {
                    // The same sound reaching the detection band a moment later (a snap ringing near 300 Hz is heard
                    // in both): one event, timed and judged by the detection band (it was two pops 1 ms apart).
                    ev.triggerBand = b
                    ev.firstHop = min(ev.firstHop, h - frameHops[b] + 1)
                    ev.triggerHop = h
                    bassEvent = false
                } else if s >= ref * onsetRatio && s >= w[WorkSlot.floor + b] * snrRatio {
                    open = nil
                    close(ev, atHop: h - 1)
                    findOnset(hop: h, newestHop: newestHop, &mask)
                    return
                }
            }
            let ref = max(w[WorkSlot.backgroundSum + b] * invBackground, w[WorkSlot.floor + b])
            let jump = s >= ref * onsetRatio && s >= w[WorkSlot.floor + b] * snrRatio
            if h + impulseCheckHops <= newestHop && isImpact(b, s, over: ref, atHop: h) {
                // Only an impact that would have opened an event on its own may later split one off.
                if jump && ev.lastOnsetHop != h && ev.impacts.count < 256 { ev.impacts.append((h, b, false)) }
                ev.lastOnsetHop = h
                active = true
            } else if jump && splitRingingOnsets && !bassEvent && b != SignalHistory.Stream.thump {
                // A sound that rings too long to halve in 3 ms (a snap 30–60 ms after a heel strike's click, inside
                // the click's merge gap) is no impact, but it is an onset: it would have opened an event on its own.
                // Its first hop may split it off at the close (`close`); otherwise it is swallowed, and once the
                // event closes its energy is in the local background and nothing hears it.
                if h - ev.lastJumpHop > 1 && ev.lastOnsetHop != h && ev.impacts.count < 256 {
                    ev.impacts.append((h, b, true))
                }
                ev.lastJumpHop = h
                ev.lastOnsetHop = h
                active = true
            } else if h - ev.lastOnsetHop <= maxRingHops {
                active = true
            }
        }
        if active { ev.lastActiveHop = h }
        open = ev
        if h - ev.lastActiveHop >= mergeGapHops || h - ev.firstHop >= maxEventHops {
            open = nil
            close(ev, atHop: h)
        }
    }

    /// Onset: one sub-band jumping `onsetDb`, or — a broadband click's signature — two or more sub-bands jumping
    /// `broadbandOnsetDb` in the same hop (noise fluctuates independently per band, so a joint jump is far rarer
    /// than a single one at the lower level).
    private func findOnset(hop h: Int, newestHop: Int, _ mask: inout ThumpMaskState) {
        let w = work
        let invBackground = 1 / Double(backgroundHops)
        var best = -1
        var bestRatio = 0.0
        var broadBest = -1
        var broadRatio = 0.0
        var broadCount = 0
        var bassHit = false
        for b in detectBands {
            let s = w[WorkSlot.frameSum + b] / Double(frameHops[b])
            let floor = w[WorkSlot.floor + b]
            let ref = max(w[WorkSlot.backgroundSum + b] * invBackground, floor)
            guard s >= floor * broadbandSnrRatio, s >= ref * broadbandRatio,
                  !masked(b, s, hop: h, newestHop: newestHop, &mask) else { continue }
            let isBass = b == SignalHistory.Stream.thump
            if !isBass {
                broadCount += 1
                if s / ref > broadRatio { broadRatio = s / ref; broadBest = b }
            }
            if isBass {
                if s >= ref * bassOnsetRatio && s >= floor * bassSnrRatio { bassHit = true }
                continue
            }
            guard s >= ref * onsetRatio, s >= floor * snrRatio else { continue }
            if isBass { bassHit = true } else if s / ref > bestRatio { bestRatio = s / ref; best = b }
        }
        if best < 0 && broadCount >= 2 { best = broadBest }
        // The detection band times a sound better; the thump band opens an event only when nothing else did.
        var bankHit = false
        if best < 0 && !bassHit, let bk = bank, bk.hit(atHop: h) { bassHit = true; bankHit = true }
        if best < 0 && bassHit { best = SignalHistory.Stream.thump }
        guard best >= 0 else { return }
        if let hook = onsetTrace {
            for b in detectBands {
                hook(h, b, w[WorkSlot.frameSum + b] / Double(frameHops[b]), w[WorkSlot.backgroundSum + b] * invBackground,
                     w[WorkSlot.floor + b])
            }
        }
        var firstHop = h - frameHops[best] + 1 - (bankHit ? bankDelayHops : 0)
        var triggerHop = h
        // Not at a contact: there the heel strike's own transient and thump make the chain, and the contact rules
        // judge a sound by its onset at the transient.
        if best != SignalHistory.Stream.thump,
           contactProximity(timeOrigin + Double(firstHop * hopSamples) / sampleRateHz) != .near,
           let lead = leadIn(before: firstHop) {
            firstHop = lead.firstHop
            triggerHop = lead.hop
        }
        var reference = [Double](repeating: 0, count: SignalHistory.Stream.count)
        for s in 0..<SignalHistory.Stream.count {
            reference[s] = max(backgroundEnergy(s, triggerHop), w[WorkSlot.floor + s])
        }
        open = OpenEvent(firstHop: firstHop, triggerHop: triggerHop,
                         lastActiveHop: h, lastOnsetHop: h, triggerBand: best, reference: reference)
    }

    /// The first of a chain of weaker impacts leading up to an onset (`PopConfig.leadInSeconds`): its frame's first
    /// hop and its own hop, or nil. Runs once per onset away from contacts, reading the history only. Hops the heel
    /// thump explains, hops before the previous event's close and hops before warm-up are not searched.
    private func leadIn(before firstHop: Int) -> (firstHop: Int, hop: Int)? {
        guard leadInHops > 0 else { return nil }
        let w = work
        let limit = max(firstHop - leadInHops, lastClosedHop + 1, warmupHops)
        var found: (firstHop: Int, hop: Int)?
        var k = firstHop - 1
        while k >= limit && (found?.firstHop ?? firstHop) - k <= mergeGapHops {
            var hit = -1
            var mask = ThumpMaskState()
            for b in bands {
                let s = frameEnergy(b, k)
                let floor = w[WorkSlot.floor + b]
                guard s >= floor * leadInSnrRatio, isImpact(b, s, over: max(backgroundEnergy(b, k), floor), atHop: k),
                      !masked(b, s, hop: k, newestHop: k + lookaheadHops, &mask) else { continue }
                if hit < 0 || frameHops[b] > frameHops[hit] { hit = b }
            }
            if hit >= 0 {
                found = (k - frameHops[hit] + 1, k)
                k -= frameHops[hit]
            } else {
                k -= 1
            }
        }
        return found
    }

    /// An impact in sub-band `b` at hop `h` (frame energy `s`): a jump of `retriggerDb` over `ref` (the local
    /// background, or the floor when higher) whose energy has halved 3 ms later — a grind's micro-impact, not the
    /// rising envelope of rustle. The caller makes sure the history reaches 3 ms past `h`.
    @inline(__always) private func isImpact(_ b: Int, _ s: Double, over ref: Double, atHop h: Int) -> Bool {
        s >= ref * retriggerRatio && frameEnergy(b, h + impulseCheckHops) * 2 <= s
    }

    private func frameEnergy(_ s: Int, _ h: Int) -> Double {
        history.meanEnergy(s, from: h - frameHops[s] + 1, to: h)
    }

    private func backgroundEnergy(_ s: Int, _ h: Int) -> Double {
        let end = h - frameHops[s] - gapHops
        return history.meanEnergy(s, from: end - backgroundHops + 1, to: end)
    }

    private func close(_ event: OpenEvent, atHop h: Int) {
        lastClosedHop = max(lastClosedHop, h)
        let floorsNow = (0..<SignalHistory.Stream.count).map { work[WorkSlot.floor + $0] }
        var ev = event
        while true {
            // An event opened at a contact is the heel strike's sound; an impact well after its start (past a
            // snap's second slap) is another sound — a grind starting while the thump still rings — and starts an
            // event of its own instead of being judged (and rejected or timed) with the heel strike.
            var head = ev
            var splitAt: Int?
            if contactSplitHops > 0,
               let k = ev.impacts.firstIndex(where: { $0.hop >= ev.firstHop + contactSplitHops
                                                        && $0.band != SignalHistory.Stream.thump }),
               contactProximity(timeOrigin + Double(ev.firstHop * hopSamples) / sampleRateHz) == .near {
                splitAt = k
                head = part(of: ev, before: k)
            }
            // A ringing onset (a snap after a heel strike's click) is another sound when it starts well after the
            // core of what came before it. The whole event's core would reach over it (its ring counts as one of the
            // event's impulses), so the part before it is measured on its own to decide. Only the first: trying the
            // next ones too split more noise off (tuning F1 0.793 -> 0.792, grind kind 0.915 -> 0.890).
            // The core reaches at least the event's first hop and every impact before the onset: nearer than the split
            // gap to those, it cannot split, and the analysis is skipped (it is most of `close`'s cost).
            if splitAt == nil, let k = ev.impacts.firstIndex(where: { $0.ringing }),
               ev.impacts[k].hop > max(ev.firstHop, ev.impacts[..<k].last?.hop ?? ev.firstHop) + splitGapHops {
                let before = part(of: ev, before: k)
                if before.lastActiveHop >= before.firstHop,
                   let b = analyzer.analyze(history, event: before, floors: floorsNow, latestSample: sampleCount - 1,
                                            timeOrigin: timeOrigin),
                   ev.impacts[k].hop > b.coreEndHop + splitGapHops {
                    head = before
                    splitAt = k
                }
            }
            guard var c = analyzer.analyze(history, event: head, floors: floorsNow, latestSample: sampleCount - 1,
                                           timeOrigin: timeOrigin) else { return }
            // A head that is itself a train of impacts is a grind starting at the contact: not split.
            if splitAt != nil && c.features.microImpulses >= config.rules.grindMinImpulses,
               let whole = analyzer.analyze(history, event: ev, floors: floorsNow, latestSample: sampleCount - 1,
                                            timeOrigin: timeOrigin) {
                c = whole
                splitAt = nil
            }
            if config.contactLatencySeconds > 0 { pending.append(c) } else { decide(c) }
            // An impact well after the core of this event (its impacts and their ring) starts another event.
            let after = ev.impacts.firstIndex(where: { $0.hop > c.coreEndHop + splitGapHops })
            guard let next = [after, splitAt].compactMap({ $0 }).min() else { return }
            let (hop, band, _) = ev.impacts[next]
            var reference = ev.reference
            for s in 0..<SignalHistory.Stream.count {
                reference[s] = max(backgroundEnergy(s, hop), floorsNow[s])
            }
            ev = OpenEvent(firstHop: hop - frameHops[band] + 1, triggerHop: hop, lastActiveHop: ev.lastActiveHop,
                           lastOnsetHop: ev.lastOnsetHop, triggerBand: band, reference: reference,
                           impacts: Array(ev.impacts[(next + 1)...]))
        }
    }

    /// The part of `ev` before its `k`-th recorded impact: active up to that impact's frame, holding the impacts
    /// before it. What `close` measures (and reports) when it splits an event there.
    private func part(of ev: OpenEvent, before k: Int) -> OpenEvent {
        var head = ev
        head.lastActiveHop = min(ev.lastActiveHop, ev.impacts[k].hop - frameHops[ev.impacts[k].band])
        head.impacts = Array(ev.impacts[..<k])
        return head
    }

    /// Lets a held grind go once no piece of its train can still be decided: decisions run `lookaheadHops` late, and
    /// the open event and held-back candidates are not decided yet.
    private func releaseTrain(final: Bool) {
        guard train.held != nil else { return }
        let hop = Double(hopSamples) / sampleRateHz
        let decidedUpTo = timeOrigin + Double(hopCount - lookaheadHops) * hop
        var undecided = pending.first?.onsetSeconds
        if let e = open { undecided = min(undecided ?? .infinity, timeOrigin + Double(e.firstHop) * hop) }
        train.release(now: decidedUpTo, undecidedOnset: undecided, final: final) { output.append($0) }
    }

    private func releasePending(final: Bool) {
        guard !pending.isEmpty else { return }
        let now = timeOrigin + Double(sampleCount) / sampleRateHz
        while let c = pending.first, final || now >= c.onsetSeconds + config.contactLatencySeconds {
            pending.removeFirst()
            decide(c)
        }
    }

    /// Development trace of every candidate and its verdict on stderr (GAITPOP_POP_TRACE=1).
    static let trace = ProcessInfo.processInfo.environment["GAITPOP_POP_TRACE"] == "1"

    /// Low candidates heard before any heel-strike signature existed (the first steps of a session), held until one
    /// does, a contact near them is noted, or `signatureBootstrapSeconds` have passed, then judged. Bounded.
    private var waiting: [EventAnalyzer.Candidate] = []

    private func releaseWaiting(final: Bool) {
        guard !waiting.isEmpty else { return }
        let now = timeOrigin + Double(sampleCount) / sampleRateHz
        let ready = signature.count(.left) >= signature.minCount && signature.count(.right) >= signature.minCount
        while let c = waiting.first, final || ready || contactLeg(near: c.onsetSeconds) != nil
                || now >= c.onsetSeconds + config.signatureBootstrapSeconds {
            waiting.removeFirst()
            decide(c, retry: true)
        }
    }

    /// A short click (≤ `contactTransientMaxSeconds`) after which the heel-thump band, once the click itself has
    /// died (6–20 ms after its onset), stands `contactTransientThumpRiseDb` above its level just before the click.
    /// A longer sound (≤ `contactTransientLongMaxSeconds`: a loud or clipped heel strike leaks into the band for its
    /// whole ring) counts too when the thump band carries `contactTransientLongThumpRatioDb` more energy than the
    /// detection band over it: a joint sound near 300 Hz raises the thump band as well, but only by its own leak.
    func isContactTransient(_ c: EventAnalyzer.Candidate) -> Bool {
        let r = config.rules
        guard !c.bassTriggered, c.durationSeconds <= r.contactTransientMaxSeconds
                || (c.durationSeconds <= r.contactTransientLongMaxSeconds
                    && c.features.thumpRatioDb >= r.contactTransientLongThumpRatioDb) else { return false }
        let hop = Double(hopSamples) / sampleRateHz
        let h = Int(((c.onsetSeconds - timeOrigin) / hop).rounded(.down))
        let preFrom = h - Int(0.02 / hop), preTo = h - Int(0.002 / hop)
        let postFrom = h + Int(0.006 / hop), postTo = min(h + Int(0.02 / hop), hopCount - 1)
        // Both windows must still be in the history (and the later one already heard).
        guard postTo >= postFrom, preFrom > hopCount - history.hopCapacity + 8 else { return false }
        let t = SignalHistory.Stream.thump
        let pre = max(history.meanEnergy(t, from: preFrom, to: preTo), work[WorkSlot.floor + t])
        let post = history.meanEnergy(t, from: postFrom, to: postTo)
        return post >= pre * pow(10, config.rules.contactTransientThumpRiseDb / 10)
    }

    /// The first distinct onset inside a sound taken for the heel strike, as its own candidate: a detection sub-band
    /// whose energy over a short frame (at most `innerBackgroundSeconds`, finer than the onset frames) jumps
    /// `innerOnsetDb` over the `innerBackgroundSeconds` just before that frame — measured inside
    /// the heel strike's sound, after its start, so the heel strike's own ring is the background and its own rise
    /// never counts — and stands `minSnrDb` over its floor, from `innerOnsetMinSeconds` after the sound's onset to
    /// its end. The thump mask is not applied here: it assumes the worst leak (a thump at the top of its band),
    /// which hides a 350 Hz snap under a 40 Hz thump; whether the inner sound is the heel strike's own is decided by
    /// the signature and the classifier instead (`decideInner`).
    func innerSound(of c: EventAnalyzer.Candidate) -> EventAnalyzer.Candidate? {
        guard config.innerOnsetMinSeconds > 0 else { return nil }
        let hop = Double(hopSamples) / sampleRateHz
        let onsetHop = Int(((c.onsetSeconds - timeOrigin) / hop).rounded(.down))
        let bgHops = max(1, Int((config.innerBackgroundSeconds / hop).rounded()))
        let from = onsetHop + max(1, Int((config.innerOnsetMinSeconds / hop).rounded()))
        let to = min(onsetHop + Int((c.durationSeconds / hop).rounded(.up)), hopCount - 1 - impulseCheckHops)
        guard from <= to, onsetHop - 8 > hopCount - history.hopCapacity + 8 else { return nil }
        let w = work
        // The background of stream `s` for a frame of `lf` hops ending at `h`: the hops just before the frame.
        func inside(_ s: Int, _ h: Int, _ lf: Int) -> Double {
            let end = h - lf - gapHops
            return max(history.meanEnergy(s, from: end - bgHops + 1, to: end), w[WorkSlot.floor + s])
        }
        for h in from...to {
            var best = -1, bestRatio = 0.0
            for b in bands {
                let lf = min(frameHops[b], bgHops)
                // The background must lie inside the sound, after its first hop.
                guard h - lf - gapHops - bgHops + 1 > onsetHop else { continue }
                let s = history.meanEnergy(b, from: h - lf + 1, to: h)
                let ref = inside(b, h, lf)
                guard s >= ref * innerOnsetRatio, s >= w[WorkSlot.floor + b] * snrRatio else { continue }
                if s / ref > bestRatio { bestRatio = s / ref; best = b }
            }
            guard best >= 0 else { continue }
            let lf = min(frameHops[best], bgHops)
            if Self.trace {
                let t = SignalHistory.Stream.thump
                FileHandle.standardError.write(Data(String(format: "  jump t=%.4f band=%d %.1f dB over %.1f dB floor thumpjump %.1f dB\n",
                    timeOrigin + Double(h) * hop, best, 10 * log10(bestRatio),
                    10 * log10(history.meanEnergy(best, from: h - lf + 1, to: h) / w[WorkSlot.floor + best]),
                    10 * log10(history.meanEnergy(t, from: h - lf + 1, to: h) / inside(t, h, lf))).utf8))
            }
            var reference = [Double](repeating: 0, count: SignalHistory.Stream.count)
            for s in 0..<SignalHistory.Stream.count { reference[s] = inside(s, h, lf) }
            // It lasts while its band stays above the continuation level.
            var last = h
            let cont = reference[best] * continueRatio
            while last + 1 < hopCount && last - h < maxEventHops
                    && history.meanEnergy(best, from: last + 2 - lf, to: last + 1) >= cont { last += 1 }
            let ev = OpenEvent(firstHop: h - lf + 1, triggerHop: h, lastActiveHop: last, lastOnsetHop: h,
                               triggerBand: best, reference: reference)
            let floorsNow = (0..<SignalHistory.Stream.count).map { w[WorkSlot.floor + $0] }
            return analyzer.analyze(history, event: ev, floors: floorsNow, latestSample: sampleCount - 1,
                                    timeOrigin: timeOrigin)
        }
        return nil
    }

    /// Heel-strike sounds judged, and how many held an inner onset (both decayed by `innerDecay` per heel strike:
    /// a memory of about 30 heel strikes).
    private var innerHeelStrikes = 0.0
    private var innerOnsets = 0.0
    private static let innerDecay = 0.97
    /// Onset of the last inner sound reported: a heel strike decided in pieces, or the same sound heard again as a
    /// candidate of its own, must not report it twice.
    private var lastInnerSeconds = -Double.infinity
    private static let sameInnerSeconds = 0.005
    private let innerMinHeelStrikes = 8.0

    /// An inner sound (`innerSound`) is a pop only when it is unlike both legs' heel-strike sounds even at the strict
    /// match distance used far from contacts, and the classifier names it; it never teaches the signature.
    private func decideInner(_ c: EventAnalyzer.Candidate, trusted: Bool) {
        var f = c.features
        f.nearContact = isNearContact(c.onsetSeconds)
        let v = ContactSignature.vector(c)
        let verdict = signature.judge(v, threshold: config.signatureFarDistance,
                                      strictThreshold: config.signatureFarDistance)
        let classified = trusted && verdict == .differs
            ? PopClassifier.classify(features: f, durationSeconds: c.durationSeconds, rules: config.rules,
                                     signature: .differs) : nil
        if Self.trace {
            FileHandle.standardError.write(Data(String(format: "inner t=%.4f trusted=%d rate=%.2f dur=%.1fms snr=%.1f kind=%@ verdict=%@ rise=%.1f dec=%.1f thr=%.1f v=%@\n",
                c.onsetSeconds, trusted ? 1 : 0, innerOnsets / max(innerHeelStrikes, 1), c.durationSeconds * 1000, c.snrDb, classified.map { "\($0.0.rawValue)/\(String(format: "%.2f", $0.1))" } ?? "REJECT",
                "\(verdict)", f.riseTimeSeconds * 1000, f.decaySeconds * 1000, f.thumpRatioDb,
                v.map { String(format: "%.1f", $0) }.joined(separator: ",")).utf8))
        }
        // A tendon's ring lasts milliseconds; a blip of the body noise riding on the heel strike's ring does not.
        // Its own energy must stand near the thump band's: a small bump on a heel strike's loud thump is its leak.
        guard let (kind, confidence) = classified, kind == .snap,
              f.decaySeconds >= config.innerMinDecaySeconds, f.thumpRatioDb <= config.innerMaxThumpRatioDb,
              c.bandRiseDb[0] >= config.innerMinLowRiseDb || c.snrDb >= config.innerLoudSnrDb,
              abs(c.onsetSeconds - lastInnerSeconds) > Self.sameInnerSeconds
        else { return }
        lastInnerSeconds = c.onsetSeconds
        emit(c, kind: kind, confidence: confidence, features: f)
    }

    private func decide(_ c: EventAnalyzer.Candidate, retry: Bool = false) {
        var f = c.features
        f.nearContact = isNearContact(c.onsetSeconds)
        // A train of impacts is never a heel strike, and never teaches the signature.
        let grindLike = !c.bassTriggered
            && PopClassifier.isTrain(f, durationSeconds: c.durationSeconds, rules: config.rules)
        var verdict = ContactSignature.Verdict.unknown
        var why: StaticString = "-" // which rule set the verdict (traces only)
        if config.learnContactSignature && !grindLike {
            let v = ContactSignature.vector(c)
            let proximity = contactProximity(c.onsetSeconds)
            let threshold = proximity == .near ? config.signatureNearDistance
                : proximity == .far ? config.signatureFarDistance : config.signatureDistance
            // A low thump heard at only some contacts is still the heel strike when it lies at one.
            verdict = signature.judge(v, threshold: threshold, strictThreshold: min(threshold, config.signatureFarDistance),
                                      atContact: proximity == .near && c.bassTriggered)
            why = "judge"
            if !retry {
                if let j = contactIndex(near: c.onsetSeconds) {
                    learn(v, contact: j)
                } else {
                    recent.append((c.onsetSeconds, v))
                    if recent.count > 32 { recent.removeFirst() }
                }
                // Held: a low sound at the first steps, before anything can say whether it is the heel strike
                // (`signatureBootstrapSeconds`). Only low ones: a heel strike is heard in the thump band, and a click
                // in the detection band keeps its live alert on time.
                if verdict == .unknown && c.bassTriggered && isBootstrapping(at: c.onsetSeconds)
                    && config.signatureBootstrapSeconds > 0 && waiting.count < 64 {
                    waiting.append(c)
                    return
                }
            }
            if verdict == .unknown && proximity != .far && isBootstrapping(at: c.onsetSeconds)
                // Sounds heard before it only: a held sound (`signatureBootstrapSeconds`) is judged as it would have
                // been at once, plus the contacts noted meanwhile (a later heel strike must not absorb a low snap).
                && ContactSignature.repeats(v, among: recent.filter { $0.onsetSeconds > c.onsetSeconds - 3
                                                && $0.onsetSeconds < c.onsetSeconds }.map(\.vector)
                                                + signature.rings.flatMap { $0 }.filter { $0 != v },
                                            threshold: config.signatureBootstrapDistance) {
                verdict = .heelStrike
                why = "repeats"
            }
            // Before any signature exists, a low sound at a contact is taken for the heel strike.
            if verdict == .unknown && c.bassTriggered && proximity == .near { verdict = .heelStrike; why = "lowAtContact" }
            // The first heel strike of a walk is heard before any contact is noted (live and in replay contacts
            // come ~300 ms late) and with nothing earlier to compare it with: a low sound that opens a bout — no
            // contact noted within `boutGapSeconds` before it and no other sound in that time — is taken for it.
            if verdict != .heelStrike && c.bassTriggered && proximity == .unknown && opensBout(c.onsetSeconds) {
                verdict = .heelStrike
                why = "opensBout"
            }
            // The broadband contact transient riding on a heel thump's first milliseconds: a click that a thump
            // follows. It varies step to step more than the signature's match distance, so it is told by what comes
            // after it instead (a joint's click is not followed by a heel thump).
            if verdict != .heelStrike && proximity != .far && isContactTransient(c) { verdict = .heelStrike; why = "transient" }
            // A low sound just after a noted contact is that contact's thump (`PopConfig.lowAfterContactSeconds`).
            if verdict != .heelStrike && c.bassTriggered && followsContact(c.onsetSeconds) {
                verdict = .heelStrike
                why = "lowAfterContact"
            }
        }
        if !retry { lastCandidateSeconds = max(lastCandidateSeconds, c.onsetSeconds) }
        // A joint sound inside the heel strike's sound (a snap 20 ms after the contact rings while the thump does):
        // the heel strike is rejected as a whole, but a distinct later onset in it is judged on its own — only for a
        // wearer whose heel strikes seldom hold such an onset themselves (a heel strike repeats, a joint sound does
        // not), and never in a clipped heel strike (clipping's distortion makes bursts of its own).
        if verdict == .heelStrike && !retry && config.innerOnsetMinSeconds > 0 && !f.clipped {
            let inner = innerSound(of: c)
            let trusted = innerHeelStrikes >= innerMinHeelStrikes
                && innerOnsets <= config.innerMaxRate * innerHeelStrikes
            innerHeelStrikes = innerHeelStrikes * Self.innerDecay + 1
            innerOnsets *= Self.innerDecay
            if let inner = inner {
                innerOnsets += 1
                decideInner(inner, trusted: trusted)
            }
        }
        let classified = PopClassifier.classify(features: f, durationSeconds: c.durationSeconds, rules: config.rules,
                                                signature: verdict)
        if Self.trace {
            let v = ContactSignature.vector(c)
            let dl = signature.distance(v, to: .left, anyRate: true), dr = signature.distance(v, to: .right, anyRate: true)
            FileHandle.standardError.write(Data(String(format: "cand t=%.4f lag=%.1fms dur=%.1fms snr=%.1f kind=%@ verdict=%@ why=%@ prox=%@ bass=%d crest=%.1f kurt=%.1f rise=%.1f dec=%.1f ring=%.1f thr=%.1f dL=%.2f dR=%.2f nL=%d nR=%d leg=%@ v=%@\n",
                c.onsetSeconds, traceContactLag(c.onsetSeconds) * 1000, c.durationSeconds * 1000, c.snrDb, classified.map { "\($0.0.rawValue)/\(String(format: "%.2f", $0.1))" } ?? "REJECT",
                "\(verdict)", "\(why)", "\(contactProximity(c.onsetSeconds))", c.bassTriggered ? 1 : 0, f.crestFactor, f.kurtosis,
                f.riseTimeSeconds * 1000, f.decaySeconds * 1000, (f.ringDecaySeconds ?? -0.001) * 1000, f.thumpRatioDb,
                dl ?? -1, dr ?? -1, signature.count(.left), signature.count(.right),
                (contactLeg(near: c.onsetSeconds)?.rawValue ?? "-") + String(format: " L%.1f/%.1f R%.1f/%.1f", signature.rates(.left).1, signature.rates(.left).0, signature.rates(.right).1, signature.rates(.right).0), v.map { String(format: "%.1f", $0) }.joined(separator: ",")).utf8))
        }
        guard let (kind, confidence) = classified, abs(c.onsetSeconds - lastInnerSeconds) > Self.sameInnerSeconds else {
            var r = c
            r.features = f
            rejectedCandidate?(r)
            return
        }
        emit(c, kind: kind, confidence: confidence, features: f)
    }

    /// A candidate judged a pop, as an event: tagged with its gait phase (on its own leg) and passed through the
    /// grinding-train merger to the output. The one way out for `decide` and `decideInner`.
    private func emit(_ c: EventAnalyzer.Candidate, kind: PopKind, confidence: Double, features f: PopFeatures) {
        var e = PopEvent(tSeconds: c.onsetSeconds, durationSeconds: c.durationSeconds, kind: kind,
                         confidence: confidence, levelDbfs: c.levelDbfs, snrDb: c.snrDb, features: f)
        if let p = phaseProvider { e.retag(using: p, legs: legPhases) }
        train.note(e) { output.append($0) }
    }
}
