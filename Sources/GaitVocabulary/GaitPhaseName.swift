/// Words the gait engine and the pop detector share, in a module of their own so that neither imports the other
/// (PopEvents only needs to *name* a phase; how phases are measured stays in Gait).

/// Perry's named phases of one leg's stride, in order, with their nominal end in percent of the stride
/// (J. Perry & J. Burnfield, *Gait Analysis: Normal and Pathological Function*, 2nd ed., 2010). The raw values are
/// the identifiers written to files (JSON, CSV); screens use `humanName`.
public enum GaitPhaseName: String, CaseIterable, Codable, Sendable {
    case loadingResponse = "loading_response"
    case midStance = "mid_stance"
    case terminalStance = "terminal_stance"
    case preSwing = "pre_swing"
    case initialSwing = "initial_swing"
    case midSwing = "mid_swing"
    case terminalSwing = "terminal_swing"

    /// Nominal end of the phase in normal walking, percent of the stride: 12/31/50/62/75/87/100.
    public var nominalEndPercent: Double {
        switch self {
        case .loadingResponse: return 12
        case .midStance: return 31
        case .terminalStance: return 50
        case .preSwing: return 62
        case .initialSwing: return 75
        case .midSwing: return 87
        case .terminalSwing: return 100
        }
    }

    /// The phase a cycle percent falls in at the nominal proportions (used where no measured event moves the
    /// boundaries, e.g. a phase provider that knows only initial contacts).
    public static func nominal(cyclePercent p: Double) -> GaitPhaseName {
        allCases.first { p < $0.nominalEndPercent } ?? .terminalSwing
    }

    /// The leg is on the ground for the first four phases and in the air for the last three.
    public var legState: LegState {
        switch self {
        case .loadingResponse, .midStance, .terminalStance, .preSwing: return .stance
        case .initialSwing, .midSwing, .terminalSwing: return .swing
        }
    }

    /// As a person reads it: "loading response", "mid-stance".
    public var humanName: String {
        switch self {
        case .loadingResponse: return "loading response"
        case .midStance: return "mid-stance"
        case .terminalStance: return "terminal stance"
        case .preSwing: return "pre-swing"
        case .initialSwing: return "initial swing"
        case .midSwing: return "mid-swing"
        case .terminalSwing: return "terminal swing"
        }
    }
}

/// Whether a leg is on the ground (`stance`) or in the air (`swing`).
public enum LegState: String, Codable, Sendable {
    case stance, swing
}
