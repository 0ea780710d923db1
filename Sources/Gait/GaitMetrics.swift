/// Summary gait measures of one bout or of the whole walk (all bouts pooled). See docs/GAIT.md for every formula.
///
/// Intervals are taken only inside alternation runs (no interval longer than `missedStepFactor` median step times),
/// so a missed step does not masquerade as one long step. A value is `nil` when it cannot be computed (too few
/// steps, no final contacts, sides unknown, no gyroscope, no tilt calibration).
public struct GaitMetrics: Codable, Equatable, Sendable {
    public var boutCount: Int
    /// Initial contacts.
    public var stepCount: Int
    /// Sum of bout durations (first to last IC).
    public var walkingSeconds: Double
    /// Mean interval between consecutive ICs.
    public var stepTimeSeconds: Double?
    /// Mean interval between ICs k and k + 2 (same foot).
    public var strideTimeSeconds: Double?
    /// 60 · (ICs − bouts) / walkingSeconds, steps/min (per bout: the spec's cadence).
    public var cadenceStepsPerMin: Double?
    /// Stance of a foot, IC to its own FC, as percent of its stride (normal ≈ 60 %).
    public var stancePercent: Double?
    /// 100 − stancePercent (normal ≈ 40 %).
    public var swingPercent: Double?
    /// Both feet on the ground (IC → opposite FC, twice per stride), percent of the stride (normal ≈ 20 %).
    public var doubleSupportPercent: Double?
    /// Coefficient of variation, 100 · SD / mean (sample SD), of step times.
    public var stepTimeCVPercent: Double?
    /// Coefficient of variation of stride times.
    public var strideTimeCVPercent: Double?
    /// Symmetry index of step times, 100 · (L − R) / (½ (L + R)), where a left step ends with a left IC
    /// (Robinson et al. 1987). 0 = symmetric; the sign says which side takes longer.
    public var stepTimeAsymmetryPercent: Double?
    /// Autocorrelation of vertical acceleration at one step (Moe-Nilssen & Helbostad 2004), 0…1: step-to-step
    /// consistency.
    public var stepRegularity: Double?
    /// Autocorrelation at one stride: stride-to-stride consistency of the same foot.
    public var strideRegularity: Double?
    /// Mean of the per-stride mean pelvic tilt, degrees (+ anterior) relative to neutral standing.
    public var tiltMeanDeg: Double?
    /// Mean per-stride tilt range of motion (gyroscope only).
    public var tiltRomDeg: Double?
    /// Mean per-stride obliquity range of motion (gyroscope only).
    public var obliquityRomDeg: Double?
    /// Mean per-stride rotation range of motion (gyroscope only).
    public var rotationRomDeg: Double?
    /// Mean step length, metres (inverted-pendulum model; only with the wearer's leg length).
    public var stepLengthM: Double?
    /// Walking speed, metres per second: Σ step lengths / Σ their step times (only with the leg length).
    public var speedMPerS: Double?

    /// Explicit keys so snake_case JSON round-trips ("CV" would come back as "Cv").
    enum CodingKeys: String, CodingKey {
        case boutCount, stepCount, walkingSeconds, stepTimeSeconds, strideTimeSeconds, cadenceStepsPerMin
        case stancePercent, swingPercent, doubleSupportPercent
        case stepTimeCVPercent = "stepTimeCvPercent", strideTimeCVPercent = "strideTimeCvPercent"
        case stepTimeAsymmetryPercent, stepRegularity, strideRegularity, tiltMeanDeg, tiltRomDeg, obliquityRomDeg
        case rotationRomDeg
        case stepLengthM, speedMPerS
    }

    public init(boutCount: Int = 0, stepCount: Int = 0, walkingSeconds: Double = 0, stepTimeSeconds: Double? = nil,
                strideTimeSeconds: Double? = nil, cadenceStepsPerMin: Double? = nil, stancePercent: Double? = nil,
                swingPercent: Double? = nil, doubleSupportPercent: Double? = nil, stepTimeCVPercent: Double? = nil,
                strideTimeCVPercent: Double? = nil, stepTimeAsymmetryPercent: Double? = nil,
                stepRegularity: Double? = nil, strideRegularity: Double? = nil, tiltMeanDeg: Double? = nil,
                tiltRomDeg: Double? = nil, obliquityRomDeg: Double? = nil, rotationRomDeg: Double? = nil) {
        self.boutCount = boutCount
        self.stepCount = stepCount
        self.walkingSeconds = walkingSeconds
        self.stepTimeSeconds = stepTimeSeconds
        self.strideTimeSeconds = strideTimeSeconds
        self.cadenceStepsPerMin = cadenceStepsPerMin
        self.stancePercent = stancePercent
        self.swingPercent = swingPercent
        self.doubleSupportPercent = doubleSupportPercent
        self.stepTimeCVPercent = stepTimeCVPercent
        self.strideTimeCVPercent = strideTimeCVPercent
        self.stepTimeAsymmetryPercent = stepTimeAsymmetryPercent
        self.stepRegularity = stepRegularity
        self.strideRegularity = strideRegularity
        self.tiltMeanDeg = tiltMeanDeg
        self.tiltRomDeg = tiltRomDeg
        self.obliquityRomDeg = obliquityRomDeg
        self.rotationRomDeg = rotationRomDeg
    }
}
