import Gait
import PopEvents

/// Lets the pop detector ask the gait module where in the stride a moment falls, without either module knowing the
/// other (algorithm modules import nothing of each other; the wiring lives here).
struct TimelinePhases: StridePhaseProvider {
    let timeline: GaitPhaseTimeline
    func stridePhase(at tSeconds: Double) -> StridePhase? { timeline.phase(at: tSeconds).map(StridePhase.init) }
}

/// Live: the streaming gait analyzer's current estimate (provisional until the next contact arrives).
struct StreamingPhases: StridePhaseProvider {
    let analyzer: StreamingGaitAnalyzer
    func stridePhase(at tSeconds: Double) -> StridePhase? { analyzer.phase(at: tSeconds).map(StridePhase.init) }
}

extension StridePhase {
    init(_ p: GaitPhase) {
        self.init(cyclePercent: p.cyclePercent, phase: p.phase, leftLeg: p.leftLeg, stepIndex: p.stepIndex,
                  bout: p.bout)
    }
}

extension Leg {
    /// The pop module's leg for a gait side (nil when the gait module does not know it).
    init?(_ side: Side) {
        switch side {
        case .left: self = .left
        case .right: self = .right
        case .unknown: return nil
        }
    }
}
