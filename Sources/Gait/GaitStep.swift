/// One initial contact (IC) of a foot: what the step segmentation produces and what pops are aligned to.
public struct GaitStep: Codable, Equatable, Sendable {
    /// Session time of the IC (heel strike): steepest rise of vertical acceleration before its peak (docs/research/gait/ALGORITHM.md §4).
    public var t: Double
    /// Foot that made the IC (§5); `unknown` when the forward axis is not known yet and there is no gyroscope.
    public var side: Side
    /// Final contact (toe off) of the *opposite* foot after this IC, session seconds (§4); with the ICs of both feet
    /// it gives stance, swing and double support. `nil` while not yet known (streaming) or outside the signal.
    public var fc: Double?
    /// Index of the walking bout (`GaitResult.bouts`). A provisional streaming step carries the open bout it would
    /// continue, or −1 when no bout is open.
    public var bout: Int
    /// `true` for a streaming step emitted before its walking status was decided (docs/research/gait/ALGORITHM.md §8).
    public var provisional: Bool
    /// Length of the step that ends at this IC (from the previous IC of the other foot), metres, from the
    /// inverted-pendulum model (`InvertedPendulumStepLength`); nil without a leg length, for the first IC of a run
    /// and after a missed step.
    public var stepLengthM: Double?

    /// Units in the names of the JSON keys (report, JSON lines; docs/REPORT-FORMAT.md): `ic_seconds`,
    /// `opposite_fc_seconds`, `step_length_m`, as in steps.csv. camelCase here so snake_case conversion produces them.
    enum CodingKeys: String, CodingKey {
        case t = "icSeconds", side, fc = "oppositeFcSeconds", bout, provisional, stepLengthM
    }

    public init(t: Double, side: Side, fc: Double?, bout: Int, provisional: Bool, stepLengthM: Double? = nil) {
        self.t = t
        self.side = side
        self.fc = fc
        self.bout = bout
        self.provisional = provisional
        self.stepLengthM = stepLengthM
    }
}
