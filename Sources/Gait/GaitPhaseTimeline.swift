import GaitVocabulary
/// Gait phase at any instant from a list of steps (ICs with sides and FCs): what each pop is tagged with.
///
/// The stride is anchored on the most recent LEFT IC of the same bout; `cyclePercent` = 100 · (t − left IC) / (next
/// left IC − left IC). Before a bout's first left IC (a bout starting with a right IC) the stride start is mirrored
/// from the right IC and the following left IC. After the last left IC of a bout the previous stride's duration is
/// used, up to the bout's last IC. Outside bouts, or with unknown sides, there is no phase (nil). O(log n) per query.
public struct GaitPhaseTimeline: Sendable {
    struct Entry: Sendable {
        var t: Double
        var side: Side
        var fc: Double?
        var bout: Int
        var index: Int
    }

    let entries: [Entry]
    /// Last IC time of the bout of each entry.
    let boutEnd: [Double]
    let maxStrideSeconds: Double

    /// `steps` as produced by the analyzers (any order; steps with `bout < 0` are ignored). `maxStrideSeconds`
    /// bounds a stride (default 2 × STEP_MAX).
    public init(steps: [GaitStep], maxStrideSeconds: Double = 3.0) {
        var e: [Entry] = []
        e.reserveCapacity(steps.count)
        for (i, s) in steps.enumerated() where s.bout >= 0 {
            e.append(Entry(t: s.t, side: s.side, fc: s.fc, bout: s.bout, index: i))
        }
        e.sort { $0.t < $1.t }
        var ends = [Double](repeating: 0, count: e.count)
        var k = e.count - 1
        while k >= 0 {
            ends[k] = (k + 1 < e.count && e[k + 1].bout == e[k].bout) ? ends[k + 1] : e[k].t
            k -= 1
        }
        entries = e
        boutEnd = ends
        self.maxStrideSeconds = maxStrideSeconds
    }

    public func phase(at t: Double) -> GaitPhase? {
        // last entry with time ≤ t
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].t <= t { lo = mid + 1 } else { hi = mid }
        }
        let k = lo - 1
        guard k >= 0, t <= boutEnd[k] else { return nil }
        return GaitPhaseTimeline.phase(at: t, entries: entries, k: k, extrapolate: false,
                                       maxStrideSeconds: maxStrideSeconds)
    }

    /// Shared with the streaming analyzer: phase at `t` given the entry `k` (last at or before `t`) of a sorted
    /// list. With `extrapolate`, `t` may lie after the last entry: the last stride's duration carries the cycle on
    /// for up to one more stride (the live estimate between steps).
    static func phase(at t: Double, entries e: [Entry], k: Int, extrapolate: Bool,
                      maxStrideSeconds: Double) -> GaitPhase? {
        let b = e[k].bout
        func sameBout(_ i: Int) -> Bool { i >= 0 && i < e.count && e[i].bout == b }
        func findLeft(from i: Int, step: Int) -> Int? {
            var j = i, hops = 0
            while sameBout(j) && hops <= 3 {
                if e[j].side == .left { return j }
                j += step; hops += 1
            }
            return nil
        }
        guard e[k].side != .unknown else { return nil }
        var tL: Double
        var duration: Double
        var rightIC: Double?, rightFC: Double?, leftFC: Double?
        if let j = findLeft(from: k, step: -1) {
            tL = e[j].t
            if let m = findLeft(from: k + 1, step: 1) {
                duration = e[m].t - tL
            } else if let p = findLeft(from: j - 1, step: -1) {
                duration = tL - e[p].t          // end of the known steps: previous stride
            } else if sameBout(j + 1), e[j + 1].side == .right {
                duration = 2 * (e[j + 1].t - tL)
            } else if sameBout(j - 1), e[j - 1].side == .right {
                duration = 2 * (tL - e[j - 1].t)
            } else {
                return nil
            }
            rightFC = e[j].fc
            if sameBout(j + 1), e[j + 1].side == .right, e[j + 1].t < tL + duration {
                rightIC = e[j + 1].t
                leftFC = e[j + 1].fc
            }
        } else {
            // bout starts with a right IC: mirror the stride start from it and the next left IC
            guard e[k].side == .right, let m = findLeft(from: k + 1, step: 1) else { return nil }
            let half = e[m].t - e[k].t
            tL = e[k].t - half
            duration = 2 * half
            rightIC = e[k].t
            leftFC = e[k].fc
        }
        guard duration > 0, duration <= maxStrideSeconds else { return nil }
        var elapsed = t - tL
        if elapsed >= duration {
            guard extrapolate, elapsed < 2 * duration else { return nil }
            elapsed -= duration
        }
        let percent = 100 * elapsed / duration
        func pct(_ x: Double?) -> Double? { x.map { 100 * ($0 - tL) / duration } }
        let bounds = PhaseBoundaries(rightFCPercent: pct(rightFC), rightICPercent: pct(rightIC),
                                     leftFCPercent: pct(leftFC))
        return GaitPhase(cyclePercent: percent, phase: bounds.name(at: percent),
                         leftLeg: percent < bounds.leftFootOff ? .stance : .swing,
                         stepIndex: e[k].index, bout: b)
    }
}
