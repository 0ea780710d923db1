import Analysis
import Foundation
import PopEvents
import GaitVocabulary

/// One human line per event, for the dashboard's log and for plain-text output (a pipe, `TERM=dumb`).
/// Phase names in words ("loading response"), a pop's confidence in words, and no escape codes unless `style` allows.
public enum TextEvent {
    /// The log key of an event that may be reported twice (provisional, then final).
    public static func key(_ e: AnalysisEvent) -> EventLog.Key? {
        switch e {
        case .pop(let p): return .pop(microseconds: Int64((p.tSeconds * 1e6).rounded()))
        case .step(let s): return .step(milliseconds: Int64((s.t * 1e3).rounded()))
        default: return nil
        }
    }

    /// The time an event belongs at in the log.
    public static func time(_ e: AnalysisEvent) -> Double? {
        switch e {
        case .step(let s): return s.t
        case .stepRejected(let t), .boutStarted(let t), .boutEnded(let t): return t
        case .stride(let s): return s.icSeconds
        case .posture(let p): return p.startSeconds
        case .marker(let m): return m.tSeconds
        case .pop(let p): return p.tSeconds
        case .alert(let a): return a.t
        case .status: return nil
        }
    }

    /// Where in the stride a pop happened, in words.
    public static func phaseWords(_ p: PopEvent) -> String {
        guard let ph = p.phase else { return "not while walking" }
        return String(format: "%.0f %% of stride (%@)", ph.cyclePercent, ph.phase.humanName)
    }

    /// The last pop for the dashboard's "last:" line.
    public static func popSummary(_ p: PopEvent) -> String {
        String(format: "%@ %@ at %.1f s, %@", PhaseWording.certainty(p.confidence), p.kind.rawValue, p.tSeconds,
               phaseWords(p))
    }

    public static func describe(_ e: AnalysisEvent, style: TerminalStyle = .plain) -> String? {
        switch e {
        case .step(let s) where !s.provisional:
            return String(format: "%8.2f s  step %@", s.t, s.side.rawValue)
        case .stride(let s):
            return String(format: "%8.2f s  stride tilt %+.1f°", s.icSeconds, s.meanDeg)
        case .posture(let p):
            return String(format: "%8.2f s  posture: sustained anterior tilt %+.1f° for %.0f s", p.startSeconds,
                          p.meanTiltDeg, p.endSeconds - p.startSeconds)
        case .pop(let p):
            return String(format: "%8.2f s  POP %@ %@ at %@, %.0f dB above floor%@", p.tSeconds,
                          PhaseWording.certainty(p.confidence), p.kind.rawValue, phaseWords(p), p.snrDb,
                          p.provisional ? " (phase provisional)" : "")
        case .alert(let a):
            return String(format: "%8.2f s  %@ %@: %@", a.t, style.paint("ALERT", .boldRed), a.rule.rawValue, a.message)
        case .marker(let m):
            return String(format: "%8.2f s  wearer marker (%@)", m.tSeconds, m.kind.map { "\($0)" } ?? "button")
        case .boutStarted(let t):
            return String(format: "%8.2f s  walking", t)
        case .boutEnded(let t):
            return String(format: "%8.2f s  stopped walking", t)
        default:
            return nil
        }
    }
}
