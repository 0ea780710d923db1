import GaitVocabulary

/// The gait phase at an instant, which is what pops are tagged with.
public struct GaitPhase: Codable, Equatable, Sendable {
    /// Percent of the current left stride (most recent LEFT IC = 0, next left IC = 100), using that stride's own
    /// duration; monotone within a stride.
    public var cyclePercent: Double
    /// Named phase of the left leg (Perry): loading_response, mid_stance, terminal_stance, pre_swing, initial_swing,
    /// mid_swing, terminal_swing. Boundaries come from the measured events (right FC, right IC, left FC) where known.
    public var phase: GaitPhaseName
    /// `stance` before the left foot's final contact, `swing` after it.
    public var leftLeg: LegState
    /// Index of the most recent step at or before the instant (into the steps the timeline was built from; the
    /// streaming analyzer counts every emitted candidate).
    public var stepIndex: Int
    /// Bout of that step (−1 when the streaming analyzer has not confirmed a bout yet).
    public var bout: Int

    public init(cyclePercent: Double, phase: GaitPhaseName, leftLeg: LegState, stepIndex: Int, bout: Int) {
        self.cyclePercent = cyclePercent
        self.phase = phase
        self.leftLeg = leftLeg
        self.stepIndex = stepIndex
        self.bout = bout
    }
}

/// Phase boundaries of one left stride from measured events, in percent.
///
/// Anchors: right FC ends loading response (opposite toe off), right IC ends terminal stance (opposite heel strike),
/// left FC ends pre-swing (own toe off). Boundaries without an event are placed at Perry's proportions between the
/// anchors (mid-stance ends 19/38 of the way from right FC to right IC; initial and mid swing end 13/38 and 25/38 of
/// the way from left FC to the next left IC), so with nominal anchors they are exactly 12/31/50/62/75/87/100.
struct PhaseBoundaries {
    var ends: (Double, Double, Double, Double, Double, Double, Double)
    var leftFootOff: Double

    init(rightFCPercent rfc: Double?, rightICPercent ric: Double?, leftFCPercent lfc: Double?) {
        let pRIC: Double
        if let r = ric, r > 0, r < 100 { pRIC = r } else { pRIC = 50 }
        let pRFC: Double
        if let r = rfc, r > 0, r < pRIC { pRFC = r } else { pRFC = 12.0 / 50.0 * pRIC }
        let pLFC: Double
        if let l = lfc, l > pRIC, l < 100 { pLFC = l } else { pLFC = pRIC + 12.0 / 50.0 * (100 - pRIC) }
        ends = (pRFC, pRFC + 19.0 / 38.0 * (pRIC - pRFC), pRIC, pLFC,
                pLFC + 13.0 / 38.0 * (100 - pLFC), pLFC + 25.0 / 38.0 * (100 - pLFC), 100)
        leftFootOff = pLFC
    }

    func name(at p: Double) -> GaitPhaseName {
        if p < ends.0 { return .loadingResponse }
        if p < ends.1 { return .midStance }
        if p < ends.2 { return .terminalStance }
        if p < ends.3 { return .preSwing }
        if p < ends.4 { return .initialSwing }
        if p < ends.5 { return .midSwing }
        return .terminalSwing
    }
}
