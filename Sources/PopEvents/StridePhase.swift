import Foundation
import GaitVocabulary

/// Where in the gait cycle something happened: from the left leg's point of view, or (after `onLeg`) from the leg in
/// stance, with the left-based percent kept in `leftCyclePercent`.
///
/// `cyclePercent` is the time since the most recent initial contact of that leg as a share of its stride (0–100);
/// `phase` is Perry's named phase for that percent (`GaitPhaseName`, nominal boundaries) or the gait module's
/// measured phase; `leftLeg` is whether the left leg was on the ground.
public struct StridePhase: Codable, Equatable, Sendable {
    public var cyclePercent: Double
    public var phase: GaitPhaseName
    public var leftLeg: LegState
    /// Index of the step (initial contact of either foot) the moment belongs to, counted by the phase provider.
    public var stepIndex: Int
    /// Walking bout the moment belongs to.
    public var bout: Int
    /// The leg in stance (whose initial contact came last), or the microphone's leg (`--mic-side`); when known,
    /// `cyclePercent` is measured on that leg's stride and the left-based value moves to `leftCyclePercent`.
    public var stanceLeg: Leg?
    /// Percent of the left stride (since the most recent left initial contact), kept when `cyclePercent` is per leg.
    public var leftCyclePercent: Double?

    public init(cyclePercent: Double, phase: GaitPhaseName, leftLeg: LegState, stepIndex: Int, bout: Int,
                stanceLeg: Leg? = nil, leftCyclePercent: Double? = nil) {
        self.cyclePercent = cyclePercent
        self.phase = phase
        self.leftLeg = leftLeg
        self.stepIndex = stepIndex
        self.bout = bout
        self.stanceLeg = stanceLeg
        self.leftCyclePercent = leftCyclePercent
    }

    /// This phase read on its own leg: `cyclePercent` from that leg's contact, the left-based value kept.
    public func onLeg(_ p: ContactLegPhases.Phase?) -> StridePhase {
        guard let p else { return self }
        var s = self
        s.leftCyclePercent = leftCyclePercent ?? cyclePercent
        s.cyclePercent = p.cyclePercent
        s.stanceLeg = p.leg
        // The named phase follows the percent it is shown with: 13 % of the stance leg's stride is its loading
        // response or mid-stance, whatever the left leg was doing then ("13 % (pre swing)" read as a contradiction).
        s.phase = .nominal(cyclePercent: p.cyclePercent)
        return s
    }
}

/// What PopEvents needs from the gait module: the stride phase at a moment, or nil when the wearer was not walking
/// (or it is not known yet). The gait module adapts to this; PopEvents never imports it.
public protocol StridePhaseProvider {
    func stridePhase(at tSeconds: Double) -> StridePhase?
    /// Whether the phase at `tSeconds` is final: false while the stride containing it has not ended, so its
    /// cycle percent is extrapolated from the previous stride. The default says every phase is final.
    func phaseIsFinal(at tSeconds: Double) -> Bool
}

extension StridePhaseProvider {
    public func phaseIsFinal(at tSeconds: Double) -> Bool { true }
}

/// A phase provider built from initial-contact times and sides alone (no IMU needed): what tests and the
/// simulator use, and a fallback for the live pipeline. Keeps only the last `capacity` contacts (bounded memory).
///
/// A contact gap longer than `maxStepSeconds` starts a new bout. Inside a stride that has not ended, the cycle
/// percent is extrapolated from the previous stride's duration and `phaseIsFinal` is false; it becomes exact when
/// the next left contact arrives (contacts may arrive late and out of order; they are kept sorted).
public final class ContactStridePhases: StridePhaseProvider {
    struct Contact { var t: Double; var left: Bool; var bout: Int; var index: Int }
    private var contacts: [Contact] = []
    public let capacity: Int
    public let maxStepSeconds: Double
    private var stepCount = 0
    private var bout = -1

    public init(capacity: Int = 256, maxStepSeconds: Double = 2.0) {
        self.capacity = capacity
        self.maxStepSeconds = maxStepSeconds
        contacts.reserveCapacity(capacity)
    }

    /// Adds an initial contact (heel strike) of the left or right foot.
    public func noteContact(tSeconds t: Double, left: Bool) {
        if let last = contacts.last, t < last.t {
            // Late arrival: insert in order, then renumber bouts and steps.
            let i = contacts.firstIndex { $0.t > t } ?? contacts.count
            let first = contacts[0]
            contacts.insert(Contact(t: t, left: left, bout: first.bout, index: first.index - (i == 0 ? 1 : 0)), at: i)
            renumber()
        } else {
            if contacts.last.map({ t - $0.t > maxStepSeconds }) ?? true { bout += 1 }
            contacts.append(Contact(t: t, left: left, bout: bout, index: stepCount))
            stepCount += 1
        }
        if contacts.count > capacity { contacts.removeFirst(contacts.count - capacity) }
    }

    private func renumber() {
        var b = contacts[0].bout, n = contacts[0].index
        for j in contacts.indices {
            if j > 0 {
                n += 1
                if contacts[j].t - contacts[j - 1].t > maxStepSeconds { b += 1 }
            }
            contacts[j].bout = b
            contacts[j].index = n
        }
        bout = b
        stepCount = n + 1
    }

    private func lastIndex(atOrBefore t: Double) -> Int? {
        var lo = 0, hi = contacts.count - 1, found: Int?
        while lo <= hi {
            let mid = (lo + hi) / 2
            if contacts[mid].t <= t { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return found
    }

    /// The left stride containing `t`: its start, duration, whether it has ended, and the step index at `t`.
    private func stride(at t: Double) -> (start: Double, duration: Double, final: Bool, step: Int, bout: Int)? {
        guard let k = lastIndex(atOrBefore: t) else { return nil }
        var i = k
        while i >= 0 && !contacts[i].left { i -= 1 }
        guard i >= 0, contacts[i].bout == contacts[k].bout else { return nil }
        let start = contacts[i].t
        // The next left contact in the same bout ends the stride.
        var j = i + 1
        while j < contacts.count && !contacts[j].left { j += 1 }
        if j < contacts.count && contacts[j].bout == contacts[i].bout && contacts[j].t > t {
            return (start, contacts[j].t - start, true, contacts[k].index, contacts[k].bout)
        }
        if j < contacts.count { return nil } // the bout ended before the stride did
        // Not ended yet: extrapolate from the previous left stride in this bout.
        var p = i - 1
        while p >= 0 && !contacts[p].left { p -= 1 }
        let duration: Double
        if p >= 0 && contacts[p].bout == contacts[i].bout {
            duration = start - contacts[p].t
        } else if k > 0 && contacts[k - 1].bout == contacts[k].bout {
            duration = 2 * (contacts[k].t - contacts[k - 1].t)
        } else {
            return nil
        }
        guard t - start < duration * 1.5 else { return nil } // stopped walking
        return (start, duration, false, contacts[k].index, contacts[k].bout)
    }

    public func stridePhase(at tSeconds: Double) -> StridePhase? {
        guard let s = stride(at: tSeconds) else { return nil }
        let cp = min(max((tSeconds - s.start) / s.duration * 100, 0), 99.999)
        let name = GaitPhaseName.nominal(cyclePercent: cp)
        return StridePhase(cyclePercent: cp, phase: name, leftLeg: name.legState,
                           stepIndex: s.step, bout: s.bout)
    }

    public func phaseIsFinal(at tSeconds: Double) -> Bool { stride(at: tSeconds)?.final ?? true }
}
