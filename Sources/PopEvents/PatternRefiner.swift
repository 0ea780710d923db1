import Foundation

/// Second pass over detected clicks that uses recurrence across strides, which acoustics alone cannot see.
///
/// Physics: after a joint cavitates it cannot cavitate again until the gas has redissolved — a refractory period
/// of about 20 minutes in finger joints (Unsworth, Dowson & Wright, *Ann. Rheum. Dis.* 30, 1971; the cavity itself
/// imaged by Kawchuk et al., *PLoS ONE* 10(4), 2015) — so the *same* joint cannot produce a cavitation at the same
/// point of several consecutive strides. A click that recurs at one stride phase is therefore a soft-tissue snap (a tendon flicking
/// over the same bony edge each time the joint passes the same angle), whatever its pitch. Conversely a click the
/// acoustics could not place firmly (low confidence) that never recurs is more likely a cavitation.
public struct PatternRefinerConfig: Codable, Equatable, Sendable {
    /// Clicks within this many cycle percent of each other count as the same phase.
    public var phaseToleranceCyclePercent = 6.0
    /// Other clicks at the same phase (in other strides) needed to call a click recurring.
    public var minRecurrences = 2
    /// How far apart (s) recurrences may be, and the minimum gap that makes them different strides.
    public var windowSeconds = 30.0
    public var minStrideGapSeconds = 0.5
    /// A recurring cavitation becomes a snap only if the acoustics were less sure than this: a click whose ring,
    /// rise and spectrum are a bubble's beyond doubt stays one (on the tuning family such relabels were wrong more
    /// often than right — clicks of two structures can fall at one phase).
    public var recurringRelabelBelowConfidence = 0.9
    /// A one-off snap becomes a cavitation only if the detector's confidence in "snap" was below this, and only
    /// if it rings at least this high (a bubble's modes lie at 0.4–7 kHz; a lower ring is a tendon's).
    public var oneOffRelabelBelowConfidence = 0.6
    public var cavitationMinPitchHz = 400.0
    /// Recurrences count only clicks whose pitch lies within this many octaves (one structure, one ring).
    public var samePitchOctaves = 0.7
    /// Streaming: clicks remembered (bounded memory).
    public var historyCapacity = 128

    public init() {}
}

public final class PatternRefiner {
    public let config: PatternRefinerConfig
    private var history: [PopEvent] = []

    public init(config: PatternRefinerConfig = .init()) {
        self.config = config
        history.reserveCapacity(config.historyCapacity)
    }

    static func isClick(_ k: PopKind) -> Bool { k == .cavitation || k == .snap }

    /// The ring's pitch as the classifier reads it (Hz).
    static func pitchHz(_ e: PopEvent) -> Double {
        (max(e.features.spectralCentroidHz, 1) * max(e.features.peakFrequencyHz, 1)).squareRoot()
    }

    /// Clicks in `pool` at the same phase as `e`, in other strides, within the window, that sound like it: one
    /// structure snapping each stride rings at about the same pitch, whereas a click of another kind that happens to
    /// fall at a snap's phase (a cavitation among a tendon's snaps) does not.
    static func recurrences(of e: PopEvent, in pool: [PopEvent], config c: PatternRefinerConfig) -> Int {
        guard let p = e.phase?.cyclePercent else { return 0 }
        let pitch = log2(pitchHz(e))
        var n = 0
        for o in pool where isClick(o.kind) && o.tSeconds != e.tSeconds {
            let dt = abs(o.tSeconds - e.tSeconds)
            guard dt >= c.minStrideGapSeconds, dt <= c.windowSeconds, let q = o.phase?.cyclePercent else { continue }
            if CircularStatistics.distance(p, q) <= c.phaseToleranceCyclePercent
                && abs(log2(pitchHz(o)) - pitch) <= c.samePitchOctaves { n += 1 }
        }
        return n
    }

    static func relabel(_ e: PopEvent, recurrences n: Int, config c: PatternRefinerConfig) -> PopEvent {
        var e = e
        guard isClick(e.kind), e.phase != nil else { return e }
        if n >= c.minRecurrences && e.kind == .cavitation && e.confidence < c.recurringRelabelBelowConfidence {
            e.kind = .snap
            e.confidence = min(0.95, max(e.confidence, 0.5 + 0.1 * Double(n)))
            e.relabelReason = "recurs at the same stride phase in \(n + 1) strides; a joint cannot cavitate again so "
                + "soon, a snapping tendon can"
        } else if n == 0 && e.kind == .snap && e.confidence < c.oneOffRelabelBelowConfidence
                    && pitchHz(e) >= c.cavitationMinPitchHz {
            e.kind = .cavitation
            e.confidence = 0.5
            e.relabelReason = "a one-off click that never recurs at its stride phase"
        }
        return e
    }

    /// Batch: relabels the events of a whole walk, looking both back and forward in time.
    public static func refine(_ events: [PopEvent], config: PatternRefinerConfig = .init()) -> [PopEvent] {
        let counts = batchRecurrences(events, config: config)
        return events.indices.map { relabel(events[$0], recurrences: counts[$0], config: config) }
    }

    /// `recurrences(of: e, in: events)` for every event of a walk: the same counts, but each event looks only at the
    /// clicks near it in time (sorted once) and reads them as plain numbers. Comparing every pop with every other,
    /// copying each event, took ~0.2 s for the ~2,900 pops of an hour, serially after the parallel pop pass. The scan
    /// covers a second more than the window each way and applies the same per-pair tests, so rounding at the
    /// window's edge cannot change a count.
    static func batchRecurrences(_ events: [PopEvent], config c: PatternRefinerConfig) -> [Int] {
        guard !events.contains(where: { $0.tSeconds.isNaN }) else {
            return events.map { recurrences(of: $0, in: events, config: c) }
        }
        var times: [Double] = [], phases: [Double] = [], pitches: [Double] = []
        let clicks = events.indices.filter { isClick(events[$0].kind) && events[$0].phase != nil }
            .sorted { events[$0].tSeconds < events[$1].tSeconds }
        for i in clicks {
            times.append(events[i].tSeconds)
            phases.append(events[i].phase!.cyclePercent)
            pitches.append(log2(pitchHz(events[i])))
        }
        let reach = c.windowSeconds + 1
        return events.map { e in
            guard let p = e.phase?.cyclePercent else { return 0 }
            let t = e.tSeconds, pitch = log2(pitchHz(e))
            // First click at or after t − reach (binary search).
            var lo = 0, hi = times.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if times[mid] < t - reach { lo = mid + 1 } else { hi = mid }
            }
            var n = 0
            var j = lo
            while j < times.count && !(times[j] > t + reach) {
                let q = times[j]
                if q != t {
                    let dt = abs(q - t)
                    if dt >= c.minStrideGapSeconds, dt <= c.windowSeconds,
                       CircularStatistics.distance(p, phases[j]) <= c.phaseToleranceCyclePercent
                        && abs(pitches[j] - pitch) <= c.samePitchOctaves { n += 1 }
                }
                j += 1
            }
            return n
        }
    }

    /// Streaming: relabels `event` using the clicks seen before it (so the first clicks of a recurring pattern
    /// keep their acoustic label; the batch `refine` sees them all).
    public func note(_ event: PopEvent) -> PopEvent {
        let out = Self.relabel(event, recurrences: Self.recurrences(of: event, in: history, config: config),
                               config: config)
        if Self.isClick(event.kind) {
            history.append(event)
            let cutoff = event.tSeconds - config.windowSeconds
            if let first = history.first, first.tSeconds < cutoff || history.count > config.historyCapacity {
                history.removeAll { $0.tSeconds < cutoff }
                if history.count > config.historyCapacity { history.removeFirst(history.count - config.historyCapacity) }
            }
        }
        return out
    }
}
