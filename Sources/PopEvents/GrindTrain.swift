import Foundation

/// One grind, one event. Crepitus is a train of micro-impacts 3–20 ms apart over 50–500 ms; the detector closes an
/// event after `mergeGapSeconds` of quiet and at `maxEventSeconds`, so a long or sparse train (weak impacts lost in
/// the noise leave gaps of several impact intervals) comes out as several pieces, the later ones looking like lone
/// clicks. Physically those pieces are one sound: a cavitation cannot recur within seconds (refractory period) and
/// a snap's second slap follows within 45 ms, inside the merge gap. So an event called grind is held while the train
/// may continue, and what the detector hears within `grindTrainGapSeconds` of its end joins it — except a low ring
/// (a snap below the detection band is a different structure). Only grinds are held: clicks keep their latency.
/// No allocation: one event is held by value.
struct GrindTrain {
    /// Longest quiet between the end of the held train and the onset of a piece that still belongs to it (s).
    let gapSeconds: Double
    private(set) var held: PopEvent?

    init(gapSeconds: Double) {
        self.gapSeconds = gapSeconds
    }

    /// End of the held train (s), if one is held.
    var heldEndSeconds: Double? { held.map { $0.tSeconds + $0.durationSeconds } }

    /// Whether `e` continues the held train.
    func continues(_ e: PopEvent) -> Bool {
        guard let h = held, gapSeconds > 0 else { return false }
        let end = h.tSeconds + h.durationSeconds
        // A ring below the detection band (measured on the thump band) is a snap, not a grind impact.
        let lowRing = e.features.spectralBandwidthHz == 0 && e.features.peakFrequencyHz < 300
        return !lowRing && e.tSeconds >= h.tSeconds && e.tSeconds - end <= gapSeconds
    }

    /// Takes one decided event; calls `emit` with the events that can go out now (in time order).
    mutating func note(_ e: PopEvent, emit: (PopEvent) -> Void) {
        if continues(e), var h = held {
            let end = max(h.tSeconds + h.durationSeconds, e.tSeconds + e.durationSeconds)
            h.durationSeconds = end - h.tSeconds
            h.features.microImpulses += max(e.features.microImpulses, 1)
            if e.levelDbfs > h.levelDbfs {
                h.levelDbfs = e.levelDbfs
                h.snrDb = e.snrDb
                h.features.clipped = h.features.clipped || e.features.clipped
            }
            if e.kind == .grind { h.confidence = max(h.confidence, e.confidence) }
            held = h
            return
        }
        if let h = held {
            held = nil
            emit(h)
        }
        if e.kind == .grind && gapSeconds > 0 {
            held = e
        } else {
            emit(e)
        }
    }

    /// Lets the held train go once nothing that starts within the gap can still arrive: `now` (s) is past its end
    /// plus the gap, and the earliest event not yet decided (`undecidedOnset`, nil for none) starts after that.
    mutating func release(now: Double, undecidedOnset: Double?, final: Bool, emit: (PopEvent) -> Void) {
        guard let h = held else { return }
        let limit = h.tSeconds + h.durationSeconds + gapSeconds
        if final || (now > limit && (undecidedOnset ?? .infinity) > limit) {
            held = nil
            emit(h)
        }
    }
}
