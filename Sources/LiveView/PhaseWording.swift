import Foundation
import GaitVocabulary

/// Gait phase names as a person reads them: the pipeline's identifiers (`loading_response`, `mid_swing`) are for
/// files and programs; screens and reports say "loading response", "mid-swing".
public enum PhaseWording {
    public static func human(_ identifier: String) -> String {
        GaitPhaseName(rawValue: identifier)?.humanName ?? identifier.replacingOccurrences(of: "_", with: " ")
    }

    /// A pop's confidence in words: a patient reads "probably", not "83 % sure" from an uncalibrated score.
    public static func certainty(_ confidence: Double) -> String {
        switch confidence {
        case 0.8...: return "probably"
        case 0.5..<0.8: return "possibly"
        default: return "unsure:"
        }
    }
}
