import Foundation
import Gait

/// How many strides a walk needs before its variability and left/right symmetry are compared with a typical range
/// (issue 12, item 1). Below these, the values are still shown, but never flagged: the report says "too few strides
/// (N; at least M needed)" instead.
///
/// Source: König N, Singh NB, von Beckerath J, Janke L, Taylor WR. *Is gait variability reliable? An assessment of
/// spatio-temporal parameters of gait variability during continuous overground walking.* Gait & Posture
/// 2014;39(1):615–617, doi:10.1016/j.gaitpost.2013.06.014 (abstract read). Twelve healthy adults, 10 to 60
/// consecutive gait cycles: *mean* parameters were reliable from 10 cycles (ICC 0.88–0.98), while the reliability of
/// *variability* rose with the number of cycles (ICC 0.60–0.90) and levelled off after 50; the authors propose at
/// least 50 cycles. docs/NORMATIVE-RANGES.md ("Minimum strides") gives the reasoning and the caveats.
public enum MinimumStrides {
    /// Step- and stride-time CV: at least 50 strides (König et al. 2014).
    public static let variability = 50
    /// Left/right symmetry indices compare two *means* (one per side): at least 10 strides, the count from which
    /// König et al. 2014 found mean parameters reliable.
    public static let symmetry = 10

    /// Complete strides (gait cycles of one foot) in the walk: in each bout of n contacts, ⌊(n − 1) / 2⌋. A 6 s walk
    /// with 11 steps has 5 strides. Counted from the contacts alone, the same way for every measure.
    public static func count(_ steps: [GaitStep]) -> Int {
        var perBout: [Int: Int] = [:]
        for s in steps { perBout[s.bout, default: 0] += 1 }
        return perBout.values.reduce(0) { $0 + max(0, ($1 - 1) / 2) }
    }
}

/// One gait measure of a report set against its typical range, with the verdict every rendering shows: the JSON
/// (`gait_assessments`), the HTML table's highlight and the Markdown table all come from `assess`, so they cannot
/// disagree. Renderings assess the report's current values (not the stored list), so a report edited or loaded from
/// an older JSON is judged by the same rules.
public struct GaitAssessment: Codable, Equatable, Sendable {
    public enum Verdict: String, Codable, Sendable {
        case below, within, above
        /// No published range for this measure (docs/NORMATIVE-RANGES.md): shown, never flagged.
        case noRange = "no_range"
        /// A variability or symmetry measure from fewer strides than `minimumStrides`: shown, never flagged.
        case tooFewStrides = "too_few_strides"
    }

    /// The measure's key in the report's `gait` object (or `side_table` for the per-side symmetry indices), e.g.
    /// `stride_time_cv_percent`.
    public var measure: String
    public var value: Double?
    public var assessment: Verdict
    /// The typical range the value was compared with (nil without one), and its source's short label.
    public var typicalLower: Double?
    public var typicalUpper: Double?
    public var source: String?
    /// For variability and symmetry measures: complete strides in the walk and the minimum needed.
    public var strides: Int?
    public var minimumStrides: Int?

    /// `true` when the value is outside its typical range and the walk is long enough to say so.
    public var isFlagged: Bool { assessment == .below || assessment == .above }

    /// "too few strides (5; at least 50 needed)" — the wording every rendering uses.
    public var tooFewText: String? {
        guard assessment == .tooFewStrides, let n = strides, let m = minimumStrides else { return nil }
        return "too few strides (\(n); at least \(m) needed)"
    }

    /// Every measure of the gait table, in table order; empty without walking.
    public static func assess(_ r: WalkReport) -> [GaitAssessment] {
        guard let g = r.gait, g.stepCount > 0 else { return [] }
        let strides = MinimumStrides.count(r.steps)
        func one(_ key: String, _ v: Double?, _ q: GaitQuantity?, minimum: Int? = nil) -> GaitAssessment {
            let range = q.flatMap { r.normativeRange(for: $0) } // the wearer's age/sex band, else all adults
            var a = GaitAssessment(measure: key, value: v, assessment: .noRange, typicalLower: range?.lower,
                                   typicalUpper: range?.upper, source: range?.sourceLabel,
                                   strides: minimum == nil ? nil : strides, minimumStrides: minimum)
            if let m = minimum, strides < m {
                a.assessment = .tooFewStrides
            } else if let range, let v {
                switch range.classify(v) {
                case .below: a.assessment = .below
                case .within: a.assessment = .within
                case .above: a.assessment = .above
                }
            }
            return a
        }
        var out = [
            one("cadence_steps_per_min", g.cadenceStepsPerMin, .cadenceStepsPerMin),
            one("step_time_seconds", g.stepTimeSeconds, .stepTimeSeconds),
            one("stride_time_seconds", g.strideTimeSeconds, .strideTimeSeconds),
            one("stance_percent", g.stancePercent, .stancePercent),
            one("swing_percent", g.swingPercent, .swingPercent),
            one("double_support_percent", g.doubleSupportPercent, .doubleSupportPercent),
            one("step_time_cv_percent", g.stepTimeCVPercent, .stepTimeCVPercent, minimum: MinimumStrides.variability),
            one("stride_time_cv_percent", g.strideTimeCVPercent, .strideTimeCVPercent, minimum: MinimumStrides.variability),
            one("step_time_asymmetry_percent", g.stepTimeAsymmetryPercent, .stepTimeAsymmetryPercent,
                minimum: MinimumStrides.symmetry),
            one("step_regularity", g.stepRegularity, nil),
            one("stride_regularity", g.strideRegularity, nil),
            one("tilt_rom_deg", g.tiltRomDeg, .tiltRomDeg),
            one("obliquity_rom_deg", g.obliquityRomDeg, .obliquityRomDeg),
            one("rotation_rom_deg", g.rotationRomDeg, .rotationRomDeg),
        ]
        if let t = r.sideTable {
            out += [
                one("step_time_symmetry_percent", t.stepTimeSymmetryPercent, nil, minimum: MinimumStrides.symmetry),
                one("stance_symmetry_percent", t.stanceSymmetryPercent, nil, minimum: MinimumStrides.symmetry),
                one("swing_symmetry_percent", t.swingSymmetryPercent, nil, minimum: MinimumStrides.symmetry),
                one("single_support_symmetry_percent", t.singleSupportSymmetryPercent, nil, minimum: MinimumStrides.symmetry),
            ]
        }
        return out
    }

    /// The assessment of one measure by its key, from a report.
    public static func of(_ measure: String, in r: WalkReport) -> GaitAssessment? {
        assess(r).first { $0.measure == measure }
    }
}
