import Foundation

/// Where the microphone sits: over one leg's joints (then every pop's phase is read on that leg's stride), or in the
/// middle of the lower back (then on the leg in stance). Raw values are the command-line and JSON words.
public enum MicSide: String, Codable, Sendable, CaseIterable {
    case left, right, center
}

/// The phase of a moment on its own leg: which leg's initial contact came last (the leg loading, in stance), and the
/// percent of *that leg's* stride since it. A grind in early stance of either leg then reads ≈ the same percent,
/// instead of two clusters half a stride apart on the left leg's cycle.
///
/// Built from contact times and sides alone (bounded: the last `capacity` contacts, kept sorted; late contacts are
/// inserted in order). Inside a stride whose next same-leg contact has not arrived, the percent is extrapolated from
/// that leg's previous stride and `final` is false.
public final class ContactLegPhases {
    struct Contact { var t: Double; var leg: Leg }
    private var contacts: [Contact] = []
    public let capacity: Int
    public let maxStepSeconds: Double
    /// With a microphone over one leg, phases are read on that leg's stride.
    public var micSide: MicSide

    public init(capacity: Int = 256, maxStepSeconds: Double = 2.0, micSide: MicSide = .center) {
        self.capacity = capacity
        self.maxStepSeconds = maxStepSeconds
        self.micSide = micSide
        contacts.reserveCapacity(capacity + 1)
    }

    /// Adds an initial contact; `leg` nil (side unknown) takes the other leg of the contact before it.
    public func noteContact(tSeconds t: Double, leg: Leg?) {
        var i = contacts.count
        while i > 0 && contacts[i - 1].t > t { i -= 1 }
        let l = leg ?? (i > 0 ? contacts[i - 1].leg.other : .left)
        contacts.insert(Contact(t: t, leg: l), at: i)
        if contacts.count > capacity { contacts.removeFirst(contacts.count - capacity) }
    }

    public struct Phase: Equatable, Sendable {
        public var leg: Leg
        public var cyclePercent: Double
        public var final: Bool
    }

    /// The phase at `t` on the stance leg (or the microphone's leg); nil outside walking.
    public func phase(at t: Double) -> Phase? {
        var k = contacts.count - 1
        while k >= 0 && contacts[k].t > t { k -= 1 }
        guard k >= 0 else { return nil }
        if micSide != .center {
            let want: Leg = micSide == .left ? .left : .right
            while k >= 0 && contacts[k].leg != want { k -= 1 }
            guard k >= 0 else { return nil }
        }
        let c = contacts[k]
        guard t - c.t <= maxStepSeconds else { return nil }
        // The same leg's next contact ends this stride.
        var j = k + 1
        while j < contacts.count && contacts[j].leg != c.leg { j += 1 }
        if j < contacts.count {
            let d = contacts[j].t - c.t
            guard d > 0, d <= 2 * maxStepSeconds else { return nil }
            return Phase(leg: c.leg, cyclePercent: min(max((t - c.t) / d * 100, 0), 99.999), final: true)
        }
        var p = k - 1
        while p >= 0 && contacts[p].leg != c.leg { p -= 1 }
        guard p >= 0 else { return nil }
        let d = c.t - contacts[p].t
        guard d > 0, d <= 2 * maxStepSeconds, t - c.t < 1.5 * d else { return nil }
        return Phase(leg: c.leg, cyclePercent: min(max((t - c.t) / d * 100, 0), 99.999), final: false)
    }
}
