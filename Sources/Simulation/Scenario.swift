import Foundation

/// Everything the virtual walker does, as data: presets are instances of this, and a JSON file with the same
/// fields (all optional) gives full control. Field names carry their units.
public struct Scenario: Codable, Equatable, Sendable {
    public var name = "custom"
    public var durationSeconds = 60.0
    public var imuRateHz = 100
    public var audioRateHz = 16000
    public var gyroscope = true
    /// Sensor axes relative to the pelvis (x forward, y left, z up), degrees, applied as yaw·pitch·roll.
    public var mount = Mount()
    /// What the wearer does, in order; time left over after the last segment is spent standing.
    public var segments: [Segment] = []
    public var gait = Gait()
    public var tilt = Tilt()
    public var audio = Audio()
    public var events = Events()
    public var markers: [MarkerAt] = []
    public var noise = SensorNoise()
    public var clockDriftPPM = 20.0
    /// Randomised acoustic physics (`gaitpop simulate --acoustic-family`); nil renders the original fixed model.
    public var acoustics: AcousticModel?

    public init() {}

    public struct Mount: Codable, Equatable, Sendable {
        public var rollDeg = 4.0
        public var pitchDeg = -7.0
        public var yawDeg = 3.0
        public init(rollDeg: Double = 4, pitchDeg: Double = -7, yawDeg: Double = 3) {
            self.rollDeg = rollDeg; self.pitchDeg = pitchDeg; self.yawDeg = yawDeg
        }
    }

    public struct Segment: Codable, Equatable, Sendable {
        public enum Kind: String, Codable, Sendable {
            /// Quiet standing in the wearer's neutral posture (a calibration window when first).
            case stand
            /// Walking at `cadence` steps/min, with optional turns.
            case walk
            /// The pelvic-tilt exercise: tilt fully forward, then fully back, slowly, standing.
            case tiltRange
        }
        public var kind: Kind
        public var seconds: Double
        public var cadence: Double?
        public var turns: [Turn]?
        /// For `tiltRange`: the wearer's full anterior and posterior tilt (degrees from neutral).
        public var anteriorDeg: Double?
        public var posteriorDeg: Double?

        public init(_ kind: Kind, seconds: Double, cadence: Double? = nil, turns: [Turn]? = nil,
                    anteriorDeg: Double? = nil, posteriorDeg: Double? = nil) {
            self.kind = kind; self.seconds = seconds; self.cadence = cadence; self.turns = turns
            self.anteriorDeg = anteriorDeg; self.posteriorDeg = posteriorDeg
        }
    }

    public struct Turn: Codable, Equatable, Sendable {
        public var atSeconds: Double
        public var degrees: Double
        public var seconds: Double
        public init(atSeconds: Double, degrees: Double, seconds: Double) {
            self.atSeconds = atSeconds; self.degrees = degrees; self.seconds = seconds
        }
    }

    public struct Gait: Codable, Equatable, Sendable {
        /// Step-to-step variability (coefficient of variation of step time).
        public var stepTimeCV = 0.02
        /// Left step time (right contact → left contact) longer than right by this fraction (0.04 = 4 %).
        public var asymmetry = 0.02
        /// Stance as a share of the stride.
        public var stanceFraction = 0.61
        /// Scales all walking accelerations (vigorous or shuffling walkers).
        public var intensity = 1.0
        public init() {}
    }

    public struct Tilt: Codable, Equatable, Sendable {
        /// Mean anterior tilt while walking, relative to the standing neutral (degrees, + anterior).
        public var walkingDeg = 2.0
        /// Peak-to-peak tilt oscillation within a stride (it oscillates twice per stride).
        public var romDeg = 4.0
        public var obliquityRomDeg = 6.0
        public var rotationRomDeg = 9.0
        public init() {}
    }

    public struct Audio: Codable, Equatable, Sendable {
        /// RMS of body and clothing noise (dBFS): the noise floor event levels are measured against.
        public var noiseDbfs = -58.0
        public var humHz = 50.0
        public var humDbfs = -54.0
        public var rustleDbfs = -52.0
        /// Peak level of the heel-strike thump at each initial contact.
        public var thumpDbfs = -22.0
        public init() {}

        /// RMS of everything but events and heel thumps — body noise, hum (with its third harmonic) and rustle
        /// averaged over the gait cycle (on for 65 % of each step, half-sine envelope, high-passed: gain ~0.7·√2).
        /// Event levels are set above this, so "dB above the noise floor" means above what a detector really hears.
        public var floorDbfs: Double {
            func p(_ db: Double) -> Double { pow(10, db / 10) }
            let power = p(noiseDbfs) + p(humDbfs) * 1.09 + p(rustleDbfs) * 0.98 * 0.65 * 0.5
            return 10 * log10(power)
        }
    }

    public struct Events: Codable, Equatable, Sendable {
        public var cavitation: Cavitation?
        public var snap: Snap?
        public var grind: Grind?
        public init() {}
    }

    /// One-off sharp clicks at random moments while walking.
    public struct Cavitation: Codable, Equatable, Sendable {
        public var count: Int
        public var snrDb: Double
        public init(count: Int, snrDb: Double) { self.count = count; self.snrDb = snrDb }
    }

    /// A tendon snapping at the same point of the stride, in most strides.
    public struct Snap: Codable, Equatable, Sendable {
        public var cyclePercent: Double
        public var jitterPercent = 1.5
        public var probability = 0.85
        public var snrDb: Double
        public init(cyclePercent: Double, snrDb: Double, probability: Double = 0.85, jitterPercent: Double = 1.5) {
            self.cyclePercent = cyclePercent; self.snrDb = snrDb
            self.probability = probability; self.jitterPercent = jitterPercent
        }
    }

    /// Crepitus: trains of micro-impacts in early stance.
    public struct Grind: Codable, Equatable, Sendable {
        public var probability: Double
        public var snrDb: Double
        public var minMs = 60.0
        public var maxMs = 220.0
        public init(probability: Double, snrDb: Double) { self.probability = probability; self.snrDb = snrDb }
    }

    public struct MarkerAt: Codable, Equatable, Sendable {
        public var atSeconds: Double
        public var kind = "pain"
        public init(atSeconds: Double, kind: String = "pain") { self.atSeconds = atSeconds; self.kind = kind }
    }

    public struct SensorNoise: Codable, Equatable, Sendable {
        public var accG = 0.008
        public var gyroDps = 0.4
        public init() {}
    }

    /// The named presets.
    public static let presetNames = ["healthy", "cavitation", "snapping-tendon", "grinding", "anterior-tilt", "noisy",
                                     "calibration", "demo"] + impairedPresetNames

    public static func preset(_ name: String) -> Scenario? {
        var s = Scenario()
        s.name = name
        s.durationSeconds = 60
        let walk1 = Segment(.walk, seconds: 24, cadence: 108, turns: [Turn(atSeconds: 12, degrees: 180, seconds: 2.2)])
        let walk2 = Segment(.walk, seconds: 22, cadence: 112, turns: [Turn(atSeconds: 11, degrees: -180, seconds: 2.4)])
        s.segments = [Segment(.stand, seconds: 5), walk1, Segment(.stand, seconds: 4), walk2]
        switch name {
        case "healthy":
            break
        case "cavitation":
            s.events.cavitation = Cavitation(count: 6, snrDb: 22)
        case "snapping-tendon":
            s.events.snap = Snap(cyclePercent: 12, snrDb: 16)
        case "grinding":
            s.events.grind = Grind(probability: 0.35, snrDb: 14)
            s.markers = [MarkerAt(atSeconds: 20), MarkerAt(atSeconds: 44)]
            s.gait.asymmetry = 0.06
            s.segments[1].cadence = 96
            s.segments[3].cadence = 94
        case "anterior-tilt":
            s.tilt.walkingDeg = 12
            s.tilt.romDeg = 5
        case "noisy":
            s.audio.noiseDbfs = -48
            s.audio.humHz = 60
            s.audio.humDbfs = -40
            s.audio.rustleDbfs = -40
            s.audio.thumpDbfs = -12
            s.events.cavitation = Cavitation(count: 4, snrDb: 12)
            s.events.snap = Snap(cyclePercent: 55, snrDb: 14, probability: 0.7)
            s.mount = Mount(rollDeg: 180, pitchDeg: 10, yawDeg: 90) // upside down and turned
        case "calibration":
            s.durationSeconds = 45
            s.segments = [Segment(.stand, seconds: 5),
                          Segment(.tiltRange, seconds: 10, anteriorDeg: 14, posteriorDeg: -9),
                          Segment(.stand, seconds: 3), Segment(.walk, seconds: 24, cadence: 104)]
        case "demo":
            // `gaitpop demo`: a short walk with a few of each kind of pop and one pain press.
            s.durationSeconds = 32
            s.segments = [Segment(.stand, seconds: 5),
                          Segment(.walk, seconds: 26, cadence: 106, turns: [Turn(atSeconds: 13, degrees: 180, seconds: 2.2)])]
            s.events.snap = Snap(cyclePercent: 12, snrDb: 18, probability: 0.6)
            s.events.cavitation = Cavitation(count: 2, snrDb: 24)
            s.tilt.walkingDeg = 4
            s.markers = [MarkerAt(atSeconds: 21)]
        default:
            return impairedPreset(name)
        }
        return s
    }
}
