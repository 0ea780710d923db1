import Foundation

extension GaitResult {
    /// Pools the results of consecutive stretches of one long recording into one result, as if the whole had been
    /// analysed at once: bouts renumbered, whole-walk metrics recomputed from every bout's steps and strides with
    /// the same accumulator the batch analyzer uses.
    ///
    /// Why: a week of IMU held whole (and the analyzer's per-sample work arrays with it) needs gigabytes, so long
    /// recordings are analysed one stretch at a time (Sources/Analysis/ChunkedGaitAnalysis.swift) and pooled here. Each part
    /// must already be trimmed to the steps, bouts, strides and posture events it owns.
    public static func pooled(_ parts: [GaitResult], config: GaitConfig) -> GaitResult? {
        guard var out = parts.first else { return nil }
        guard parts.count > 1 else { return out }
        out.steps = []; out.bouts = []; out.strideTilts = []; out.postureEvents = []; out.notes = []
        var walk = MetricsAccumulator()
        for p in parts {
            // Bout numbers of this part → pooled numbers.
            var renumber: [Int: Int] = [:]
            for b in p.bouts {
                let n = out.bouts.count
                renumber[b.index] = n
                var nb = b
                nb.index = n
                out.bouts.append(nb)
            }
            let steps = p.steps.map { s -> GaitStep in var s = s; s.bout = renumber[s.bout] ?? s.bout; return s }
            let strides = p.strideTilts.map { t -> StrideTilt in var t = t; t.bout = renumber[t.bout] ?? t.bout; return t }
            let stepsByBout = Dictionary(grouping: steps, by: \.bout)
            let stridesByBout = Dictionary(grouping: strides, by: \.bout)
            for b in p.bouts {
                let n = renumber[b.index]!
                var acc = MetricsAccumulator()
                acc.addBout((stepsByBout[n] ?? [])[...], medianStepSeconds: b.medianStepSeconds,
                            missedStepFactor: config.missedStepFactor,
                            maxStepSeconds: config.maxStepSeconds, stepRegularity: b.metrics.stepRegularity,
                            strideRegularity: b.metrics.strideRegularity)
                for st in stridesByBout[n] ?? [] { acc.addStride(st) }
                walk.merge(acc)
            }
            out.steps += steps
            out.strideTilts += strides
            out.postureEvents += p.postureEvents
            for n in p.notes where !out.notes.contains(n) { out.notes.append(n) }
            out.calibration = out.calibration ?? p.calibration
        }
        let last = parts[parts.count - 1]
        out.durationSeconds = last.startSeconds + last.durationSeconds - out.startSeconds
        out.metrics = out.bouts.isEmpty ? nil : walk.metrics()
        // Per-side results over the whole walk, not the first stretch's.
        out.pelvisCycle = PelvisCycle.pooled(parts.compactMap(\.pelvisCycle))
        let medians = out.bouts.map(\.medianStepSeconds).sorted()
        out.sideTable = SideTable.compute(steps: out.steps, medianStepSeconds: medians.isEmpty ? 0 : medians[medians.count / 2],
                                          missedStepFactor: config.missedStepFactor)
        return out
    }
}
