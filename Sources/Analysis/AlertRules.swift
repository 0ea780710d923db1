import Foundation
import Gait
import PopEvents
import GaitVocabulary

/// The alert rules, by the names they carry in JSON lines, reports and rules files.
public enum AlertRule: String, Codable, CaseIterable, CodingKeyRepresentable, Sendable {
    case grindRecurring = "grind_recurring"
    case phaseLocked = "phase_locked"
    case popNearPain = "pop_near_pain"
    case risingPopRate = "rising_pop_rate"
    case sustainedAnteriorTilt = "sustained_anterior_tilt"
}

/// How serious an alert is: `alert` = worth seeing a professional about, `warning` = worth knowing.
public enum AlertSeverity: String, Codable, CaseIterable, Sendable {
    case warning
    case alert
}

/// An alert: a rule that fired, how serious, what to tell the wearer in plain words, and the evidence (times).
public struct WalkAlert: Codable, Equatable, Sendable {
    public var t: Double
    public var rule: AlertRule
    public var severity: AlertSeverity
    public var message: String
    public var evidence: [Double]

    /// Units in the names (docs/OUTPUT.md): `t_seconds`, `evidence_seconds`, as in alerts.csv.
    enum CodingKeys: String, CodingKey {
        case t = "tSeconds", rule, severity, message, evidence = "evidenceSeconds"
    }

    public var jsonLine: String { JSONLines.line("alert", self) }
}

/// Thresholds and cooldowns of the alert rules (docs/alert-rules.json holds the defaults; docs/POPS.md explains
/// each). Loaded with `AlertRuleConfig.load(path:)` (`ConfigLoader`): a missing key keeps its default; an unknown
/// key or rule name, a wrong type or a value out of range is an error.
public struct AlertRuleConfig: Codable, Equatable, Sendable {
    /// grind_recurring: this many grinding events within the window.
    public var grindCount = 3
    public var grindWindowSeconds = 60.0
    /// phase_locked: at least this many events of one kind in the window, concentrated in phase (mean resultant
    /// length ≥ R and Rayleigh p below the limit).
    public var phaseLockedMinEvents = 5
    public var phaseLockedWindowSeconds = 120.0
    public var phaseLockedMinResultant = 0.8
    public var phaseLockedMaxP = 0.01
    /// pop_near_pain: a pop this close (before or after) to a pain marker.
    public var painWindowSeconds = 5.0
    /// rising_pop_rate: pops per minute of walking in the last window at least this factor above the first one,
    /// with at least `risingMinPops` pops in the last window.
    public var risingWindowSeconds = 120.0
    public var risingFactor = 2.0
    public var risingMinPops = 6
    /// Per-rule cooldown and an overall cap: no alert storms.
    public var cooldownSeconds: [AlertRule: Double] = [.grindRecurring: 120, .phaseLocked: 300, .popNearPain: 30,
                                                       .risingPopRate: 300, .sustainedAnteriorTilt: 300]
    public var maxAlertsPerMinute = 3

    public init() {}

    public typealias LoadError = ConfigLoader.LoadError

    public static func load(path: String) throws -> AlertRuleConfig {
        try ConfigLoader.load(AlertRuleConfig.self, path: path, defaults: AlertRuleConfig(), what: "alert rules")
    }
}

extension AlertRuleConfig: ValidatedConfig {
    /// A rules file is input: every number in a range that means something (docs/POPS.md).
    public func validate() throws {
        func check(_ name: String, _ x: Double, _ r: ClosedRange<Double>, _ unit: String = "") throws {
            guard x.isFinite && r.contains(x) else {
                let fmt = { (v: Double) in v == v.rounded() ? String(Int(v)) : String(v) }
                throw ConfigLoader.LoadError("\"\(name)\" must be \(fmt(r.lowerBound))–\(fmt(r.upperBound))\(unit), got \(fmt(x))")
            }
        }
        try check("grindCount", Double(grindCount), 1...1000)
        try check("grindWindowSeconds", grindWindowSeconds, 1...86_400, " s")
        try check("phaseLockedMinEvents", Double(phaseLockedMinEvents), 2...1000)
        try check("phaseLockedWindowSeconds", phaseLockedWindowSeconds, 1...86_400, " s")
        try check("phaseLockedMinResultant", phaseLockedMinResultant, 0...1)
        try check("phaseLockedMaxP", phaseLockedMaxP, 0...1)
        try check("painWindowSeconds", painWindowSeconds, 0...3600, " s")
        try check("risingWindowSeconds", risingWindowSeconds, 1...86_400, " s")
        try check("risingFactor", risingFactor, 1...1000)
        try check("risingMinPops", Double(risingMinPops), 1...100_000)
        for rule in AlertRule.allCases {
            try check("cooldownSeconds.\(rule.rawValue)", cooldownSeconds[rule] ?? 0, 0...86_400, " s")
        }
        try check("maxAlertsPerMinute", Double(maxAlertsPerMinute), 1...100_000)
    }
}

/// The alert rules, fed in time order (live) or replayed over a whole walk (reports): same code, same results.
public final class AlertRules {
    public let config: AlertRuleConfig
    private var pops: [PopEvent] = []
    private var pains: [Double] = []
    private var lastFired: [AlertRule: Double] = [:]
    private var recentAlertTimes: [Double] = []
    private var walkingStart: Double?
    private var firstWindowPops: Int?
    /// Pain markers already matched with each pop (so one pop and one press give one alert).
    private var painPairs = Set<String>()

    public init(config: AlertRuleConfig = .init()) { self.config = config }

    /// Bounded memory: only what the longest window needs is kept.
    private func prune(now: Double) {
        let keep = max(config.grindWindowSeconds, config.phaseLockedWindowSeconds, config.risingWindowSeconds,
                       config.painWindowSeconds) + 1
        if let i = pops.firstIndex(where: { $0.tSeconds >= now - keep }), i > 0 { pops.removeFirst(i) }
        else if let last = pops.last, last.tSeconds < now - keep { pops.removeAll() }
        pains.removeAll { $0 < now - config.painWindowSeconds - 1 }
        recentAlertTimes.removeAll { $0 < now - 60 }
    }

    private func fire(_ rule: AlertRule, _ severity: AlertSeverity, _ t: Double, _ message: String, _ evidence: [Double]) -> WalkAlert? {
        if let last = lastFired[rule], t - last < (config.cooldownSeconds[rule] ?? 60) { return nil }
        guard recentAlertTimes.count < config.maxAlertsPerMinute else { return nil }
        lastFired[rule] = t
        recentAlertTimes.append(t)
        return WalkAlert(t: t, rule: rule, severity: severity, message: message, evidence: evidence)
    }

    public func noteWalking(at t: Double) { if walkingStart == nil { walkingStart = t } }

    public func pop(_ p: PopEvent) -> [WalkAlert] {
        let now = p.tSeconds
        pops.append(p)
        prune(now: now)
        var out: [WalkAlert] = []
        // Grinding that recurs.
        if p.kind == .grind {
            let g = pops.filter { $0.kind == .grind && $0.tSeconds >= now - config.grindWindowSeconds }
            if g.count >= config.grindCount, let a = fire(.grindRecurring, .alert, now,
                "Grinding sounds keep coming (\(g.count) in the last \(Int(config.grindWindowSeconds)) s). Grinding rather than a clean pop is worth having checked by a professional.",
                g.map(\.tSeconds)) { out.append(a) }
        }
        // Pops locked to one phase of the stride.
        let same = pops.filter { $0.kind == p.kind && $0.tSeconds >= now - config.phaseLockedWindowSeconds }
        let phases = same.compactMap { $0.phase?.cyclePercent }
        if phases.count >= config.phaseLockedMinEvents {
            let c = CircularStatistics.summary(cyclePercents: phases)!
            if c.resultantLength >= config.phaseLockedMinResultant, c.rayleighP <= config.phaseLockedMaxP,
               let a = fire(.phaseLocked, .warning, now,
                            String(format: "%@ keep happening at the same point of your stride (about %.0f %%, %@) — %@.",
                                   p.kind == .snap ? "Snaps" : (p.kind == .grind ? "Grinding sounds" : "Pops"), c.meanCyclePercent,
                                   nominalPhase(c.meanCyclePercent), phaseLockedMeaning(p.kind)),
                            same.map(\.tSeconds)) { out.append(a) }
        }
        // A pop near a pain marker already pressed.
        for m in pains where abs(m - now) <= config.painWindowSeconds {
            if let a = painAlert(pop: p, marker: m) { out.append(a) }
        }
        // Rising pop rate through the walk.
        if let s = walkingStart {
            let w = config.risingWindowSeconds
            if firstWindowPops == nil, now >= s + w { firstWindowPops = pops.filter { $0.tSeconds < s + w }.count }
            if let base = firstWindowPops, now >= s + 2 * w {
                let recent = pops.filter { $0.tSeconds >= now - w }.count
                if recent >= config.risingMinPops, Double(recent) >= config.risingFactor * Double(max(base, 1)),
                   let a = fire(.risingPopRate, .warning, now,
                                "Pops are becoming more frequent as you walk (\(recent) in the last \(Int(w)) s, \(base) in the first). Consider resting and noting how it feels.",
                                pops.filter { $0.tSeconds >= now - w }.map(\.tSeconds)) { out.append(a) }
            }
        }
        return out
    }

    public func painMarker(at t: Double) -> [WalkAlert] {
        pains.append(t)
        prune(now: t)
        var out: [WalkAlert] = []
        for p in pops where abs(p.tSeconds - t) <= config.painWindowSeconds {
            if let a = painAlert(pop: p, marker: t) { out.append(a) }
        }
        return out
    }

    private func painAlert(pop p: PopEvent, marker m: Double) -> WalkAlert? {
        let key = String(format: "%.4f/%.4f", p.tSeconds, m)
        guard !painPairs.contains(key) else { return nil }
        painPairs.insert(key)
        return fire(.popNearPain, .alert, max(p.tSeconds, m),
                    String(format: "A %@ came %.1f s %@ you marked pain. Pops that come with pain are the most important warning sign: if this repeats, see a professional.",
                           p.kind.rawValue, abs(p.tSeconds - m), p.tSeconds <= m ? "before" : "after"),
                    [p.tSeconds, m])
    }

    public func posture(_ e: PostureEvent) -> [WalkAlert] {
        guard e.ongoing else { return [] }
        return fire(.sustainedAnteriorTilt, .warning, e.endSeconds,
                    String(format: "Your pelvis has been tipped forward (%+.1f°) for %.0f s. Engage your abdominal muscles slightly and stand tall while walking.",
                           e.meanTiltDeg, e.endSeconds - e.startSeconds),
                    [e.startSeconds, e.endSeconds]).map { [$0] } ?? []
    }
}

/// What sounds of one kind recurring at one point of the stride usually are, in a patient's words (docs/POPS.md):
/// only snaps are the tendon-over-bone pattern; grinding that repeats under load points at rough joint surfaces,
/// which is a reason to be seen, never "fine".
func phaseLockedMeaning(_ kind: PopKind) -> String {
    switch kind {
    case .snap: return "typical of a tendon or ligament moving over bone; usually harmless when painless"
    case .grind: return "typical of rough joint surfaces moving under load; worth having checked by a professional"
    case .cavitation, .unknown:
        return "a click that repeats every stride is more often a tendon moving over bone than a joint releasing gas"
    }
}

/// Perry's phase for a cycle percent at nominal proportions (for messages about a mean phase).
func nominalPhase(_ cp: Double) -> String { GaitPhaseName.nominal(cyclePercent: cp).humanName }
