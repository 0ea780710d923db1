/// One-to-one matching of detected event times to reference (true) event times within a tolerance: the protocol of
/// scripts/validate_gait.py and of the Mobilise-D validation (Micó-Amigo et al. 2023). Every candidate pair within
/// the tolerance is ranked by |error| (ties by detected, then reference index, so results never depend on sort
/// stability) and taken greedily when neither side is used yet. Unmatched detections are false positives,
/// unmatched references false negatives.
public struct EventMatching: Sendable {
    /// One matched pair: indices into the detected and reference arrays, and detected − reference (seconds).
    public struct Pair: Sendable, Equatable {
        public var detected: Int
        public var reference: Int
        public var errorSeconds: Double
    }

    public let pairs: [Pair]
    public let detectedCount: Int
    public let referenceCount: Int

    public init(detected: [Double], reference: [Double], toleranceSeconds: Double) {
        precondition(toleranceSeconds >= 0, "a matching tolerance cannot be negative")
        var candidates: [Pair] = []
        // Both lists are usually sorted; a window over the reference keeps this near-linear for long walks.
        let order = reference.indices.sorted { reference[$0] < reference[$1] }
        for (i, d) in detected.enumerated() {
            var lo = 0, hi = order.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if reference[order[mid]] < d - toleranceSeconds { lo = mid + 1 } else { hi = mid }
            }
            var k = lo
            while k < order.count, reference[order[k]] <= d + toleranceSeconds {
                let j = order[k]
                candidates.append(Pair(detected: i, reference: j, errorSeconds: d - reference[j]))
                k += 1
            }
        }
        candidates.sort {
            let a = abs($0.errorSeconds), b = abs($1.errorSeconds)
            return a != b ? a < b : ($0.detected, $0.reference) < ($1.detected, $1.reference)
        }
        var usedD = [Bool](repeating: false, count: detected.count)
        var usedR = [Bool](repeating: false, count: reference.count)
        var out: [Pair] = []
        for c in candidates where !usedD[c.detected] && !usedR[c.reference] {
            usedD[c.detected] = true
            usedR[c.reference] = true
            out.append(c)
        }
        pairs = out
        detectedCount = detected.count
        referenceCount = reference.count
    }

    public var truePositives: Int { pairs.count }
    public var falsePositives: Int { detectedCount - pairs.count }
    public var falseNegatives: Int { referenceCount - pairs.count }
    /// 2·TP / (detected + reference); 1 when both lists are empty (nothing to find, nothing found).
    public var f1: Double {
        detectedCount + referenceCount == 0 ? 1 : 2 * Double(truePositives) / Double(detectedCount + referenceCount)
    }
    /// |detected − reference| of every pair, sorted ascending (for medians and percentiles).
    public var absoluteErrorsSeconds: [Double] { pairs.map { abs($0.errorSeconds) }.sorted() }
    /// Median |error| of the pairs, nil without pairs.
    public var medianAbsoluteErrorSeconds: Double? {
        let e = absoluteErrorsSeconds
        guard !e.isEmpty else { return nil }
        return e.count % 2 == 1 ? e[e.count / 2] : 0.5 * (e[e.count / 2 - 1] + e[e.count / 2])
    }
}
