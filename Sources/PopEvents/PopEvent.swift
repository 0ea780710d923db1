import Foundation

/// What kind of joint sound an event most likely is (see docs/POPS.md for the physics behind each rule).
public enum PopKind: String, Codable, Sendable, CaseIterable {
    /// A single sharp broadband click: a gas bubble forming and collapsing in a facet joint's synovial fluid.
    case cavitation
    /// A soft-tissue snap: a ligament or tendon flicking over bone; a lower-pitched ring, recurring at one phase.
    case snap
    /// Crepitus: a coarse train of micro-impacts from rough joint surfaces rubbing under load.
    case grind
    /// A transient that fits none of the three well.
    case unknown
}

/// Measurements of one event, all taken on the band-limited signal (above `PopConfig.highPassHz`, hum notched).
public struct PopFeatures: Codable, Equatable, Sendable {
    /// Power-weighted mean frequency of the event's spectrum, after subtracting the spectrum of the noise just
    /// before it (Hz).
    public var spectralCentroidHz: Double
    /// Power-weighted standard deviation of frequency about the centroid (Hz).
    public var spectralBandwidthHz: Double
    /// Frequency of the strongest part of that noise-subtracted spectrum (Hz): the ring's pitch, which broadband
    /// noise left over after subtraction moves far less than it moves the centroid.
    public var peakFrequencyHz: Double
    /// Peak over RMS in a window of max(20 ms, duration) from the onset (linear; Gaussian noise gives about 3–4).
    public var crestFactor: Double
    /// Kurtosis of the band-limited signal over the event (E[x⁴]/E[x²]²): 3 for Gaussian noise such as rustle,
    /// higher for sparse impacts and sharp clicks.
    public var kurtosis: Double
    /// Distinct impacts: envelope peaks that stand out from the background and from the valley before them.
    public var microImpulses: Int
    /// Onset to the first sample within 90 % of the peak (s).
    public var riseTimeSeconds: Double
    /// Peak to where the energy envelope has fallen 20 dB (or to the background) (s).
    public var decaySeconds: Double
    /// Peak energy in the heel-thump band (40–250 Hz) over peak energy in the detection band, during the event (dB).
    public var thumpRatioDb: Double
    /// Whether a noted heel-strike initial contact lies within the contact window around the onset.
    public var nearContact: Bool
    /// Whether the raw input reached full scale during the event (the level is then a lower bound).
    public var clipped: Bool
    /// 20 dB decay of the ring, extrapolated from the part above the background in the sub-band where the event
    /// stands highest (s): a bubble's modes 0.7–9 ms, a tendon's ring 9–70 ms, whatever the level. nil when the
    /// event stands too little above its background to measure it (and in reports written before it existed).
    public var ringDecaySeconds: Double?

    public init(spectralCentroidHz: Double, spectralBandwidthHz: Double, peakFrequencyHz: Double, crestFactor: Double,
                kurtosis: Double,
                microImpulses: Int,
                riseTimeSeconds: Double, decaySeconds: Double, thumpRatioDb: Double, nearContact: Bool,
                clipped: Bool, ringDecaySeconds: Double? = nil) {
        self.spectralCentroidHz = spectralCentroidHz
        self.spectralBandwidthHz = spectralBandwidthHz
        self.peakFrequencyHz = peakFrequencyHz
        self.crestFactor = crestFactor
        self.kurtosis = kurtosis
        self.microImpulses = microImpulses
        self.riseTimeSeconds = riseTimeSeconds
        self.decaySeconds = decaySeconds
        self.thumpRatioDb = thumpRatioDb
        self.nearContact = nearContact
        self.clipped = clipped
        self.ringDecaySeconds = ringDecaySeconds
    }
}

/// One detected pop. Times are seconds since session start (the time base of the samples fed in).
///
/// With a `JSONEncoder` using `.convertToSnakeCase` the keys read `t_seconds`, `duration_seconds`, `level_dbfs`,
/// `snr_db`, …: the report's `pops[]` entries and, with `"type": "pop"`, the JSON lines (Analysis.JSONLines).
public struct PopEvent: Codable, Equatable, Sendable {
    /// Onset: the first sample of the transient (s).
    public var tSeconds: Double
    public var durationSeconds: Double
    public var kind: PopKind
    /// How well the features fit `kind` (0–1).
    public var confidence: Double
    /// Peak level of the band-limited transient (dBFS, full scale ±1 = 0 dBFS).
    public var levelDbfs: Double
    /// Peak level above the RMS of the band-limited noise floor at the time (dB).
    public var snrDb: Double
    public var features: PopFeatures
    /// Stride phase at the onset, when a phase provider knew it.
    public var phase: StridePhase?
    /// True while `phase` is extrapolated (the stride had not ended); `retag(using:)` refines it.
    public var provisional: Bool
    /// Why the kind changed after detection (e.g. by `PatternRefiner`), if it did.
    public var relabelReason: String?

    public init(tSeconds: Double, durationSeconds: Double, kind: PopKind, confidence: Double, levelDbfs: Double,
                snrDb: Double, features: PopFeatures, phase: StridePhase? = nil, provisional: Bool = false,
                relabelReason: String? = nil) {
        self.tSeconds = tSeconds
        self.durationSeconds = durationSeconds
        self.kind = kind
        self.confidence = confidence
        self.levelDbfs = levelDbfs
        self.snrDb = snrDb
        self.features = features
        self.phase = phase
        self.provisional = provisional
        self.relabelReason = relabelReason
    }

    /// Re-reads the phase, e.g. once the next left contact has arrived (contacts can come ~300 ms late live).
    /// With `legs`, the phase is read on the stance leg (`StridePhase.stanceLeg`, per-leg `cyclePercent`).
    public mutating func retag(using provider: StridePhaseProvider, legs: ContactLegPhases? = nil) {
        let lp = legs?.phase(at: tSeconds)
        phase = provider.stridePhase(at: tSeconds)?.onLeg(lp)
        provisional = phase != nil && (!provider.phaseIsFinal(at: tSeconds) || lp?.final == false)
    }

}

extension Array where Element == PopEvent {
    /// Retags every event still marked provisional (or without a phase).
    public mutating func retag(using provider: StridePhaseProvider, legs: ContactLegPhases? = nil) {
        for i in indices where self[i].provisional || self[i].phase == nil { self[i].retag(using: provider, legs: legs) }
    }
}
