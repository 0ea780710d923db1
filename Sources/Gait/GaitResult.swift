/// Everything the batch analyzer found in a recording.
public struct GaitResult: Codable, Sendable {
    public var startSeconds: Double
    public var durationSeconds: Double
    public var rateHz: Double
    /// Walking steps (ICs inside bouts), in time order.
    public var steps: [GaitStep]
    public var bouts: [WalkingBout]
    /// One entry per stride with a tilt (needs a neutral posture and a forward axis).
    public var strideTilts: [StrideTilt]
    /// The whole walk (all bouts pooled); nil without bouts.
    public var metrics: GaitMetrics?
    public var postureEvents: [PostureEvent]
    /// The neutral used for tilt (explicit, or the first quiet standing window); nil when none was found.
    public var calibration: TiltCalibration?
    public var orientation: OrientationDiagnostics
    /// Why something is missing or uncertain, in plain words (e.g. "no walking: periodicity never reached 0.40").
    public var notes: [String]
    /// Pelvic tilt, obliquity and rotation over the gait cycle (0–100 %, 101 points), mean and SD per side; nil
    /// without a gyroscope or strides.
    public var pelvisCycle: PelvisCycle?
    /// Step time, stance, swing, single and double support per side with symmetry indices; nil without sides.
    public var sideTable: SideTable?

    public init(startSeconds: Double, durationSeconds: Double, rateHz: Double, steps: [GaitStep] = [],
                bouts: [WalkingBout] = [], strideTilts: [StrideTilt] = [], metrics: GaitMetrics? = nil,
                postureEvents: [PostureEvent] = [], calibration: TiltCalibration? = nil,
                orientation: OrientationDiagnostics = .init(), notes: [String] = []) {
        self.startSeconds = startSeconds
        self.durationSeconds = durationSeconds
        self.rateHz = rateHz
        self.steps = steps
        self.bouts = bouts
        self.strideTilts = strideTilts
        self.metrics = metrics
        self.postureEvents = postureEvents
        self.calibration = calibration
        self.orientation = orientation
        self.notes = notes
    }
}

/// How the sensor sits on the body, as found from the data (docs/research/gait/ALGORITHM.md §2); all vectors are unit vectors in
/// sensor axes. Body frame: V = up, AP = forward, ML = V × AP = left.
public struct OrientationDiagnostics: Codable, Equatable, Sendable {
    /// Mean up direction over the walking bouts (over the whole recording when there is no walking).
    public var verticalSensor: SIMD3<Double>?
    /// Forward axis used for left/right and tilt (pooled over bouts unless `poolAxisAcrossBouts` is off).
    public var forwardSensor: SIMD3<Double>?
    /// Left axis, V × AP.
    public var leftSensor: SIMD3<Double>?
    /// Sign statistic of the forward axis: step-weighted correlation of a_AP(t) with a_V(t + T/4); > 0 by
    /// construction, near 0 means forward and backward are hard to tell apart (left/right may then be swapped).
    public var signStatistic: Double?
    /// Whether the acceleration was converted from m/s².
    public var convertedFromMetresPerSecondSquared: Bool
    public var bouts: [BoutAxes]

    public init(verticalSensor: SIMD3<Double>? = nil, forwardSensor: SIMD3<Double>? = nil,
                leftSensor: SIMD3<Double>? = nil, signStatistic: Double? = nil,
                convertedFromMetresPerSecondSquared: Bool = false, bouts: [BoutAxes] = []) {
        self.verticalSensor = verticalSensor
        self.forwardSensor = forwardSensor
        self.leftSensor = leftSensor
        self.signStatistic = signStatistic
        self.convertedFromMetresPerSecondSquared = convertedFromMetresPerSecondSquared
        self.bouts = bouts
    }
}

/// Axes of one bout: the vertical, the forward axis used (pooled, projected ⟂ this bout's vertical), and the bout's
/// own estimate as in the prototype, kept to show how far single-bout estimates stray in turns.
public struct BoutAxes: Codable, Equatable, Sendable {
    public var bout: Int
    public var verticalSensor: SIMD3<Double>
    public var forwardSensor: SIMD3<Double>?
    public var ownForwardSensor: SIMD3<Double>?
    public var ownSignStatistic: Double?
    /// Angle between the bout's own forward axis and the one used, degrees.
    public var ownVersusUsedDeg: Double?

    public init(bout: Int, verticalSensor: SIMD3<Double>, forwardSensor: SIMD3<Double>?,
                ownForwardSensor: SIMD3<Double>?, ownSignStatistic: Double?, ownVersusUsedDeg: Double?) {
        self.bout = bout
        self.verticalSensor = verticalSensor
        self.forwardSensor = forwardSensor
        self.ownForwardSensor = ownForwardSensor
        self.ownSignStatistic = ownSignStatistic
        self.ownVersusUsedDeg = ownVersusUsedDeg
    }
}
