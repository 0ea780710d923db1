import Foundation
import PopEvents

/// The words a patient reads, shared by the HTML and Markdown reports (issue 12, item 8): the recording's file name
/// and local start time instead of an absolute path and raw UTC, advice that follows the findings, and patterns in
/// plain words (the statistics behind them go to the "For researchers" section).
public enum ReportWording {
    /// The recording's file name: a report may be mailed, and the sender's folders are nobody's business.
    public static func fileName(_ r: WalkReport) -> String { (r.session.path as NSString).lastPathComponent }

    /// "2026-11-30 14:05 (UTC+01:00)": the start in the reader's time zone, with the offset so it stays unambiguous.
    /// A start time that does not parse is shown as stored.
    public static func localTime(_ utc: String, timeZone: TimeZone = .current) -> String {
        let parse = ISO8601DateFormatter()
        parse.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        guard let date = parse.date(from: utc) ?? plain.date(from: utc) else { return utc }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "−" : "+"
        let hm = String(format: "%02d:%02d", abs(offset) / 3600, abs(offset) % 3600 / 60)
        return f.string(from: date) + " (UTC\(sign)\(hm))"
    }

    /// The warning signs found in this walk, in plain words; empty when there are none. Any of them replaces the
    /// exercise advice with "stop and see a professional": the domain's reasons to seek care (pain with the noises,
    /// grinding rather than a clean pop) and every alert of severity `alert`.
    public static func warningSigns(_ r: WalkReport) -> [String] {
        var signs: [String] = []
        let pain = r.painSeconds.count
        if r.alerts.contains(where: { $0.rule == .popNearPain }) {
            signs.append("pops came together with pain you marked")
        } else if pain > 0 {
            signs.append("you marked pain during the walk")
        }
        let grinds = r.pops.filter { $0.kind == .grind }.count
        if r.alerts.contains(where: { $0.rule == .grindRecurring }) || grinds > 0 {
            signs.append(grinds == 1 ? "a grinding sound was heard" : "grinding sounds were heard")
        }
        for a in r.alerts where a.severity == .alert && a.rule != .popNearPain && a.rule != .grindRecurring {
            signs.append(a.message)
        }
        return signs
    }

    /// A pop pattern in words a patient reads: how many, where in the stride, how regularly — no test statistics.
    public static func plainPattern(_ k: WalkPatterns.Kind) -> String {
        var s = "\(k.count) \(ReportHTML.label(k.kind, k.count))"
        if let p = k.per100Steps { s += String(format: " (about %.0f in every 100 steps)", p) }
        if let c = k.clusterStrides, let total = k.totalStrides, let ph = k.phase {
            let how = ph.resultantLength >= 0.9 ? "each time at about the same point of the stride"
                : "mostly at about the same point of the stride"
            s += String(format: ", %@ (about %.0f %% into it, %@), in %d of %d strides", how, ph.meanCyclePercent,
                        nominalPhase(ph.meanCyclePercent), c, total)
        } else if k.count >= 3 {
            s += ", spread over the stride"
        }
        return s + "."
    }

    /// An alert rule's title in plain words (the rule's JSON name stays in the researcher section).
    public static func title(_ rule: AlertRule) -> String {
        switch rule {
        case .grindRecurring: "Grinding keeps coming"
        case .phaseLocked: "Same point of the stride each time"
        case .popNearPain: "A pop close to pain you marked"
        case .risingPopRate: "More pops as you walk"
        case .sustainedAnteriorTilt: "Pelvis tipped forward for a while"
        }
    }
}
