import Foundation

/// A leg, as the gait module names it (raw values are the JSON strings).
public enum Leg: String, Codable, Sendable, CaseIterable {
    case left, right

    public var other: Leg { self == .left ? .right : .left }
}

/// The wearer's heel-strike sound, learned online from the sounds time-locked to each leg's recent initial contacts.
///
/// Why: a heel strike repeats at nearly every step of *both* legs with a similar sound (the body, the shoe and the
/// floor stay the same), while a joint sound does not — and a tendon that snaps at one point of one leg's stride is
/// leg-specific. No fixed threshold separates a soft 30 Hz thump with a broadband contact transient from a snap, but
/// within one wearer the two differ. So every candidate that starts within [contact − `beforeSeconds`, contact +
/// `afterSeconds`] of a contact (wide enough for contact times 50 ms early or late and a thump arriving up to 40 ms
/// after the contact) is remembered in that leg's ring of the last `capacity` such sounds; a new candidate is a heel
/// strike when it lies close to the signature of *both* legs (at least two remembered sounds of each leg within the
/// match distance); a sound heard at only one leg's contacts while the other leg's contacts stay silent is that
/// leg's joint, never the heel strike. A snap locked to
/// one leg's contact enters only that leg's ring, so it never matches the other leg's signature and stays a pop.
///
/// Causal and bounded: decisions use only sounds already heard and contacts already noted; contacts may arrive late
/// (live gait detection lags ~300 ms), so learning happens whenever a contact and a remembered sound meet. The
/// distance leaves out the lag to the contact, which is not known yet when a live decision is made.
///
/// Features (`vector(_:)`): log₂ centroid and peak frequency, the rise of each sub-band over its background (dB),
/// log₂ decay, rise and duration, level over the floor (dB), the heel-thump band ratio (dB); each difference is
/// measured in units of `minSpread` (what step-to-step variation of one sound typically spans).
struct ContactSignature {
    static let featureCount = 10
    /// Below these spreads a difference is not meaningful (octaves, dB, log₂ ms).
    static let minSpread: [Double] = [0.35, 0.5, 6, 6, 6, 0.6, 0.9, 0.6, 5, 12]

    var capacity = 12
    var minCount = 3
    /// Per leg: the last `capacity` feature vectors (oldest first).
    private(set) var rings: [[[Double]]] = [[], []]
    /// Per leg: how many recent contacts were noted, and how many of them brought a sound (both decayed by
    /// `rateDecay` at each contact of that leg). A heel strike sounds at nearly every contact; a sound that only
    /// sometimes falls near one (a click recurring on its own rhythm) is not the wearer's heel strike.
    private var contactsSeen: [Double] = [0, 0]
    private var contactsHeard: [Double] = [0, 0]
    var rateDecay = 0.9
    var minHeardRate = 0.5

    static func index(_ leg: Leg) -> Int { leg == .left ? 0 : 1 }

    static func vector(_ c: EventAnalyzer.Candidate) -> [Double] {
        let f = c.features
        func l2(_ x: Double, _ floor: Double) -> Double { log2(max(x, floor)) }
        return [l2(f.spectralCentroidHz, 50), l2(f.peakFrequencyHz, 50), c.bandRiseDb[0], c.bandRiseDb[1],
                c.bandRiseDb[2], l2(f.decaySeconds * 1000 + 0.5, 0.5), l2(f.riseTimeSeconds * 1000 + 0.25, 0.25),
                l2(c.durationSeconds * 1000, 0.5), min(c.snrDb, 60), min(max(f.thumpRatioDb, -40), 60)]
    }

    func count(_ leg: Leg) -> Int { rings[Self.index(leg)].count }

    mutating func noteContact(_ leg: Leg) {
        let i = Self.index(leg)
        contactsSeen[i] = contactsSeen[i] * rateDecay + 1
        contactsHeard[i] *= rateDecay
        longSeen[i] = longSeen[i] * longDecay + 1
        longHeard[i] *= longDecay
    }

    /// A contact of `leg` brought a sound (counted once per contact).
    mutating func noteHeard(_ leg: Leg) {
        let i = Self.index(leg)
        contactsHeard[i] = min(contactsHeard[i] + 1, contactsSeen[i])
        longHeard[i] = min(longHeard[i] + 1, longSeen[i])
    }

    /// Whether this leg's remembered sounds come from most of its contacts (else they are not a signature).
    func isRegular(_ leg: Leg) -> Bool {
        let i = Self.index(leg)
        return contactsSeen[i] < 3 || contactsHeard[i] >= minHeardRate * contactsSeen[i]
    }

    /// Whether this leg's contacts have been seen walking (at least `minCount`) but bring no regular sound. Then a
    /// sound locked to the *other* leg's contacts is that leg's own — a tendon snapping at one point of its stride —
    /// not the heel strike, which both legs make.
    /// Quiet heel strikes are heard only at some contacts of both legs, so chance runs of silence on one leg are
    /// common. Over a long memory (`longDecay` per contact, ≈ 30 contacts) the leg counts as silent when it brought
    /// (almost) no sound while the chance of so many silent contacts, were both legs heard at their pooled rate, is
    /// below `silentMaxChance` (a one-sided binomial test: (1 − p̂)ⁿ).
    func isSilent(_ leg: Leg) -> Bool {
        let i = Self.index(leg), o = 1 - i
        guard longHeard[i] < 1, longSeen[i] >= 4 else { return false }
        let pooled = (longHeard[i] + longHeard[o]) / max(longSeen[i] + longSeen[o], 1)
        return pow(1 - pooled, longSeen[i]) < silentMaxChance
    }
    /// Whether this leg's contacts bring a sound far less often than the other leg's (long memory: a rate at most
    /// `quieterMaxShare` of the other's and below 0.25, each leg seen at ≥ 4 contacts). A snap locked to one leg's
    /// stride makes that leg "heard" at most of its contacts while the other leg's contacts stay mostly silent; a
    /// heel strike is heard alike at both legs. Weaker than `isSilent` (a stray sound at the quiet leg does not undo
    /// it), so a one-legged snap is not learned as that leg's heel strike for the many strides `isSilent` needs.
    func isQuieter(_ leg: Leg) -> Bool {
        let i = Self.index(leg), o = 1 - i
        guard longSeen[i] >= 4, longSeen[o] >= 4 else { return false }
        let mine = longHeard[i] / longSeen[i], theirs = longHeard[o] / longSeen[o]
        return mine < 0.25 && mine <= quieterMaxShare * theirs
    }
    var quieterMaxShare = 0.3
    /// (seen, heard) long-memory contact counts of a leg, for traces.
    func rates(_ leg: Leg) -> (Double, Double) { (longSeen[Self.index(leg)], longHeard[Self.index(leg)]) }
    var silentMaxChance = 0.02
    var longDecay = 0.97
    private var longSeen: [Double] = [0, 0]
    private var longHeard: [Double] = [0, 0]

    mutating func learn(_ v: [Double], leg: Leg) {
        let i = Self.index(leg)
        rings[i].append(v)
        if rings[i].count > capacity { rings[i].removeFirst(rings[i].count - capacity) }
    }

    /// Distance between two sounds: root-mean-square of the per-feature differences in units of `minSpread`, each
    /// capped at 6 (one wild feature cannot dominate).
    static func distance(_ v: [Double], _ u: [Double]) -> Double {
        var sum = 0.0
        for k in 0..<featureCount {
            let z = min(abs(v[k] - u[k]) / minSpread[k], 6)
            sum += z * z
        }
        return (sum / Double(featureCount)).squareRoot()
    }

    /// The second-smallest distance from `v` to one leg's remembered heel-strike sounds (nil while fewer than
    /// `minCount` are remembered). Nearest neighbours rather than a mean, because one contact can make two sounds
    /// (a broadband click as the heel lands, then the low thump) and the signature must hold both.
    /// `anyRate`: use the leg's sounds even when most of its contacts are silent (for a sound that itself lies at
    /// a contact: what a quiet heel makes only sometimes is still its sound).
    func distance(_ v: [Double], to leg: Leg, anyRate: Bool = false) -> Double? {
        let ring = rings[Self.index(leg)]
        guard ring.count >= minCount, anyRate || isRegular(leg) else { return nil }
        var best = Double.infinity, second = Double.infinity
        for u in ring {
            let d = Self.distance(v, u)
            if d < best { second = best; best = d } else if d < second { second = d }
        }
        return second
    }

    /// The verdict on a candidate: `.heelStrike` when it matches both legs' signatures, `.differs` when a learned
    /// signature exists and it does not, `.unknown` while nothing has been learned yet.
    enum Verdict { case heelStrike, differs, unknown }

    /// `threshold`: the largest distance that still counts as a match (looser near a contact, where a heel strike is
    /// expected; strict far from every contact, where only a near-copy of the heel-strike sound is taken for one).
    func judge(_ v: [Double], threshold: Double, strictThreshold: Double, atContact: Bool = false) -> Verdict {
        let dl = distance(v, to: .left, anyRate: atContact), dr = distance(v, to: .right, anyRate: atContact)
        switch (dl, dr) {
        case let (l?, r?):
            // One leg's contacts bring a sound far less often: the other leg's ring holds that leg's joint sound, so
            // only a near copy of the quiet leg's (rarely heard) sound is the heel strike.
            if isSilent(.left) || isQuieter(.left) { return l < strictThreshold && r < threshold ? .heelStrike : .differs }
            if isSilent(.right) || isQuieter(.right) { return r < strictThreshold && l < threshold ? .heelStrike : .differs }
            return l < threshold && r < threshold ? .heelStrike : .differs
        case let (l?, nil):
            return !isSilent(.right) && !isQuieter(.right) && l < threshold ? .heelStrike : .differs
        case let (nil, r?):
            return !isSilent(.left) && !isQuieter(.left) && r < threshold ? .heelStrike : .differs
        default:
            return .unknown
        }
    }

    /// Before any signature exists (the first steps of a session): a sound that nearly repeats one heard in the
    /// last few seconds (distance in units of `minSpread` below `threshold`) is taken for a heel strike.
    static func repeats(_ v: [Double], among earlier: [[Double]], threshold: Double) -> Bool {
        earlier.contains { distance(v, $0) < threshold }
    }
}
