/// A walking bout: runs of periodic steps with plausible step times (docs/research/gait/ALGORITHM.md §3.6) assembled
/// by the Mobilise-D convention (`BoutAssembly`: ≥ 2 strides, breaks ≤ 3 s kept inside, a longer break ends it).
public struct WalkingBout: Codable, Equatable, Sendable {
    /// Position in `GaitResult.bouts` (the `bout` of its steps).
    public var index: Int
    /// First IC, session seconds (the reference systems' definition of a bout start).
    public var startSeconds: Double
    /// Last IC, session seconds.
    public var endSeconds: Double
    /// Initial contacts in the bout (a bout of n ICs in r runs holds n − r steps).
    public var stepCount: Int
    /// 60 · (n − r) / (walking time), steps/min (§4): the pauses between its runs are not walking; for one run
    /// 60 · (n − 1) / (last IC − first IC).
    public var cadenceStepsPerMin: Double
    /// Median interval between consecutive a_v peaks, seconds; the lag for the forward axis and laterality.
    public var medianStepSeconds: Double
    /// Median per-step periodicity reg_k (§3.4), 0…1.
    public var periodicity: Double
    /// Median cycle-lobe height, g (§3.6).
    public var lobeHeightG: Double
    /// Spatio-temporal and tilt metrics of this bout.
    public var metrics: GaitMetrics

    public init(index: Int, startSeconds: Double, endSeconds: Double, stepCount: Int, cadenceStepsPerMin: Double,
                medianStepSeconds: Double, periodicity: Double, lobeHeightG: Double, metrics: GaitMetrics) {
        self.index = index
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.stepCount = stepCount
        self.cadenceStepsPerMin = cadenceStepsPerMin
        self.medianStepSeconds = medianStepSeconds
        self.periodicity = periodicity
        self.lobeHeightG = lobeHeightG
        self.metrics = metrics
    }
}
