import Foundation

/// One walk's acoustic physics, drawn at random from a documented family of ranges (domain randomisation): the
/// heel thump's shape, delay and level, the waveform ranges of each kind of joint sound, and the background. When a
/// scenario carries one, `MicrophoneModel` renders with it; without one it renders the original narrow model
/// (so existing scenarios and SampleData keep their bytes).
///
/// Two families (docs/POPS-VALIDATION.md): `tuning`, the ranges every detector threshold may be chosen on, and
/// `heldout`, wider or shifted ranges drawn with other seeds, on which nothing may be tuned and whose figures are the
/// headline. The ranges are written out below and in docs/POPS.md; `AcousticFamily.ranges` is the single source.
public struct AcousticModel: Codable, Equatable, Sendable {
    public var family: String
    public var seed: UInt64

    public struct Thump: Codable, Equatable, Sendable {
        /// Fundamental of the body's response to the contact (Hz) and its decay (s, 1/e of the amplitude).
        public var fundamentalHz: Double
        public var decaySeconds: Double
        /// Onset rise (s): a soft heel reaches its peak only after a few milliseconds.
        public var riseSeconds: Double
        /// Relative level of a second mode at `overtoneRatio` × the fundamental (shoes and hard floors ring).
        public var overtoneRatio: Double
        public var overtoneDb: Double
        /// Broadband contact transient riding on the first milliseconds: level relative to the thump's peak (dB) and
        /// length (s); nil when this wearer's contacts have none.
        public var transientDb: Double?
        public var transientSeconds: Double
        /// The sound reaches the lower back this long after the contact (s).
        public var delaySeconds: Double
        /// Peak level above the noise floor (dB); clipped walks put the peak above full scale.
        public var levelDb: Double
        public var clipped: Bool
        /// Step-to-step variation: fundamental (fraction), level (dB), delay (s).
        public var jitterFraction: Double
        public var jitterDb: Double
        public var jitterDelaySeconds: Double
    }

    public struct Cavitation: Codable, Equatable, Sendable {
        /// Each click draws 1…maxModes damped modes with frequencies in [lowHz, highHz] and decays in
        /// [minDecaySeconds, maxDecaySeconds].
        public var lowHz: Double
        public var highHz: Double
        public var maxModes: Int
        public var minDecaySeconds: Double
        public var maxDecaySeconds: Double
    }

    public struct Snap: Codable, Equatable, Sendable {
        public var lowHz: Double
        public var highHz: Double
        public var minDecaySeconds: Double
        public var maxDecaySeconds: Double
        public var minRiseSeconds: Double
        public var maxRiseSeconds: Double
        /// Probability of a weaker 1–3 kHz component, and its level range relative to the main ring (dB).
        public var highComponentProbability: Double
        public var highComponentDb: [Double]
        /// Probability of a second slap 15–45 ms later, and its level relative to the first (dB).
        public var secondSlapProbability: Double
        public var secondSlapDelaySeconds: [Double]
        public var secondSlapDb: [Double]
    }

    public struct Grind: Codable, Equatable, Sendable {
        /// Micro-impacts ring in [lowHz, highHz], spaced [minGapSeconds, maxGapSeconds] apart (irregular), in
        /// trains lasting [minSeconds, maxSeconds].
        public var lowHz: Double
        public var highHz: Double
        public var minGapSeconds: Double
        public var maxGapSeconds: Double
        public var minSeconds: Double
        public var maxSeconds: Double
    }

    public struct Background: Codable, Equatable, Sendable {
        /// RMS of body noise (dBFS), and its colour as weights of white, pink and brown noise.
        public var noiseDbfs: Double
        public var white: Double
        public var pink: Double
        public var brown: Double
        /// Clothing rustle bursts: length range (s), level above the floor (dB, RMS), chance per swing, random
        /// bursts per minute.
        public var rustleSeconds: [Double]
        public var rustleDb: Double
        public var rustleSwingProbability: Double
        public var rustlePerMinute: Double
        /// Mains hum: 50 or 60 Hz, fundamental level relative to the floor (dB), amplitude of harmonics 2…
        /// relative to the fundamental.
        public var humHz: Double
        public var humDb: Double
        public var humHarmonics: [Double]
        /// Skin and cable motion below 20 Hz: frequency (Hz) and level above the floor (dB).
        public var motionHz: Double
        public var motionDb: Double
        /// Level of every joint sound above the floor: [min, max] dB (quiet wearers reach down to 5 dB).
        public var popSnrDb: [Double]
    }

    public var thump: Thump
    public var cavitation: Cavitation
    public var snap: Snap
    public var grind: Grind
    public var background: Background
    /// Microphone rate drawn for the walk (Hz).
    public var audioRateHz: Int
}

/// The documented ranges a family draws from (each [min, max]).
public struct AcousticFamily: Sendable {
    public var name: String
    public var thumpHz: ClosedRange<Double>
    public var thumpDecaySeconds: ClosedRange<Double>
    public var thumpRiseSeconds: ClosedRange<Double>
    public var transientDb: ClosedRange<Double>
    public var transientProbability: Double
    public var thumpDelaySeconds: ClosedRange<Double>
    public var thumpLevelDb: ClosedRange<Double>
    public var clipProbability: Double
    public var cavitationHz: ClosedRange<Double>
    public var cavitationDecaySeconds: ClosedRange<Double>
    public var snapHz: ClosedRange<Double>
    public var snapDecaySeconds: ClosedRange<Double>
    public var snapRiseSeconds: ClosedRange<Double>
    public var grindHz: ClosedRange<Double>
    public var grindGapSeconds: ClosedRange<Double>
    public var grindSeconds: ClosedRange<Double>
    public var noiseDbfs: ClosedRange<Double>
    public var rustleDb: ClosedRange<Double>
    public var humDb: ClosedRange<Double>
    public var motionDb: ClosedRange<Double>
    public var popSnrDb: ClosedRange<Double>
    public var audioRatesHz: [Int]

    /// Inner ranges: what thresholds may be chosen on.
    public static let tuning = AcousticFamily(
        name: "tuning", thumpHz: 35...140, thumpDecaySeconds: 0.012...0.045, thumpRiseSeconds: 0.0005...0.006,
        transientDb: -22 ... -8, transientProbability: 0.6, thumpDelaySeconds: 0...0.03, thumpLevelDb: 10...32,
        clipProbability: 0.15, cavitationHz: 600...6000, cavitationDecaySeconds: 0.0004...0.003,
        snapHz: 120...800, snapDecaySeconds: 0.005...0.025, snapRiseSeconds: 0.0005...0.003,
        grindHz: 400...2800, grindGapSeconds: 0.004...0.016, grindSeconds: 0.06...0.4,
        noiseDbfs: -72 ... -44, rustleDb: 0...8, humDb: -10...16, motionDb: 0...25, popSnrDb: 8...24,
        audioRatesHz: [16000, 22050, 44100])

    /// The whole documented span and beyond the tuning edges; drawn with other seeds. Nothing is tuned on it.
    public static let heldout = AcousticFamily(
        name: "heldout", thumpHz: 25...160, thumpDecaySeconds: 0.010...0.050, thumpRiseSeconds: 0.0005...0.008,
        transientDb: -25 ... -6, transientProbability: 0.7, thumpDelaySeconds: 0...0.04, thumpLevelDb: 8...35,
        clipProbability: 0.2, cavitationHz: 400...7000, cavitationDecaySeconds: 0.0003...0.004,
        snapHz: 80...900, snapDecaySeconds: 0.004...0.030, snapRiseSeconds: 0.0005...0.004,
        grindHz: 300...3000, grindGapSeconds: 0.003...0.020, grindSeconds: 0.05...0.5,
        noiseDbfs: -78 ... -40, rustleDb: 0...10, humDb: -10...20, motionDb: 0...30, popSnrDb: 5...26,
        audioRatesHz: [8000, 16000, 24000, 32000, 44100, 48000])

    public static func named(_ name: String) -> AcousticFamily? {
        switch name {
        case "tuning": tuning
        case "heldout": heldout
        default: nil
        }
    }

    /// Seeds of the two families never overlap: held-out walks use another stream of seeds.
    static func streamSeed(family: String, seed: UInt64) -> UInt64 {
        seed &* 0x9E37_79B9_7F4A_7C15 ^ (family == "heldout" ? 0xD1B5_4A32_D192_ED03 : 0x7A11_0000_0000_0001)
    }

    /// Draws one walk's physics.
    public func draw(seed: UInt64) -> AcousticModel {
        var r = SplitMix64(seed: Self.streamSeed(family: name, seed: seed))
        func u(_ x: ClosedRange<Double>) -> Double { x.lowerBound + (x.upperBound - x.lowerBound) * r.uniform() }
        func logu(_ x: ClosedRange<Double>) -> Double { exp(u(log(x.lowerBound)...log(x.upperBound))) }
        let clipped = r.uniform() < clipProbability
        let thump = AcousticModel.Thump(
            fundamentalHz: logu(thumpHz), decaySeconds: u(thumpDecaySeconds), riseSeconds: logu(thumpRiseSeconds),
            overtoneRatio: u(1.8...3.2), overtoneDb: u(-24 ... -8),
            transientDb: r.uniform() < transientProbability ? u(transientDb) : nil,
            transientSeconds: u(0.0003...0.002), delaySeconds: u(thumpDelaySeconds), levelDb: u(thumpLevelDb),
            clipped: clipped, jitterFraction: u(0.02...0.08), jitterDb: u(0.5...3), jitterDelaySeconds: u(0...0.004))
        let cLo = logu(cavitationHz.lowerBound...cavitationHz.upperBound / 2)
        let cav = AcousticModel.Cavitation(lowHz: cLo, highHz: min(cLo * u(1.5...4), cavitationHz.upperBound),
                                           maxModes: 1 + Int(r.next() % 3),
                                           minDecaySeconds: cavitationDecaySeconds.lowerBound,
                                           maxDecaySeconds: u(cavitationDecaySeconds))
        let sLo = logu(snapHz.lowerBound...snapHz.upperBound * 0.7)
        let snap = AcousticModel.Snap(
            lowHz: sLo, highHz: min(sLo * u(1.1...1.6), snapHz.upperBound),
            minDecaySeconds: snapDecaySeconds.lowerBound, maxDecaySeconds: u(snapDecaySeconds),
            minRiseSeconds: snapRiseSeconds.lowerBound, maxRiseSeconds: u(snapRiseSeconds),
            highComponentProbability: u(0.3...0.9), highComponentDb: [-20, -6],
            secondSlapProbability: u(0...0.5), secondSlapDelaySeconds: [0.015, 0.045], secondSlapDb: [-12, -3])
        let gLo = logu(grindHz.lowerBound...grindHz.upperBound / 2)
        let gGap = u(grindGapSeconds)
        let grind = AcousticModel.Grind(lowHz: gLo, highHz: min(gLo * u(1.5...3), grindHz.upperBound),
                                        minGapSeconds: grindGapSeconds.lowerBound, maxGapSeconds: max(gGap, 0.004),
                                        minSeconds: grindSeconds.lowerBound, maxSeconds: u(grindSeconds))
        let colour = (u(0.2...1), u(0...1), u(0...1))
        let total = colour.0 + colour.1 + colour.2
        let bg = AcousticModel.Background(
            noiseDbfs: u(noiseDbfs), white: colour.0 / total, pink: colour.1 / total, brown: colour.2 / total,
            rustleSeconds: [0.06, 0.4], rustleDb: u(rustleDb), rustleSwingProbability: u(0.1...0.8),
            rustlePerMinute: u(0...6), humHz: r.uniform() < 0.5 ? 50 : 60, humDb: u(humDb),
            humHarmonics: (0..<6).map { _ in pow(10, u(-30 ... -3) / 20) }, motionHz: u(1...18), motionDb: u(motionDb),
            popSnrDb: [popSnrDb.lowerBound, popSnrDb.upperBound])
        let rate = audioRatesHz[Int(r.next() % UInt64(audioRatesHz.count))]
        return AcousticModel(family: name, seed: seed, thump: thump, cavitation: cav, snap: snap, grind: grind,
                             background: bg, audioRateHz: rate)
    }
}

extension Scenario {
    /// This scenario with `model`'s physics: the microphone rate and the audio fields (informational: with an
    /// acoustic model, event levels are set above the body noise alone — hum is notched and rustle comes in bursts,
    /// so "dB above the floor" means above what the detector hears between them).
    public func applying(_ model: AcousticModel) -> Scenario {
        var s = self
        s.acoustics = model
        s.audioRateHz = model.audioRateHz
        let bg = model.background
        s.audio.noiseDbfs = bg.noiseDbfs
        s.audio.humHz = bg.humHz
        let harmonics = bg.humHarmonics.reduce(1) { $0 + $1 * $1 }
        s.audio.humDbfs = bg.noiseDbfs + bg.humDb + 10 * log10(harmonics) - 10 * log10(1.09)
        s.audio.rustleDbfs = -200
        s.audio.thumpDbfs = bg.noiseDbfs + model.thump.levelDb
        return s
    }
}
