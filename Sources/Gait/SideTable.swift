import Foundation

/// Spatio-temporal measures per side with symmetry indices (issue 11, Deliver 5), from the contacts alone.
///
/// Intervals count only inside a bout between consecutive contacts of alternating sides with no interval longer
/// than `missedStepFactor` median step times. With `GaitStep.fc` = the final contact of the *opposite* foot after an
/// IC: for a left IC at k (right IC at k + 1, left IC at k + 2):
/// left step time = IC_k − IC_{k−1}; left stance = IC_k → FC of the left foot (= steps[k + 1].fc);
/// left swing = stride − stance; initial double support after the left IC = IC_k → steps[k].fc;
/// left single support = the right foot's swing = steps[k].fc → IC_{k+1}. All as seconds; stance, swing and supports
/// also as percent of the stride. Symmetry index SI = 100 · (L − R) / (½ (L + R)) (Robinson et al. 1987).
public struct SideTable: Codable, Equatable, Sendable {
    public struct Column: Codable, Equatable, Sendable {
        public var steps: Int
        public var stepTimeSeconds: Double?
        public var stanceSeconds: Double?
        public var swingSeconds: Double?
        public var singleSupportSeconds: Double?
        public var doubleSupportSeconds: Double?
        public var stancePercent: Double?
        public var swingPercent: Double?
        /// Mean length of this side's steps (ending with its IC), metres; only with the leg length.
        public var stepLengthM: Double? = nil
    }

    public var left: Column
    public var right: Column
    /// SI of each measure (nil when either side lacks it).
    public var stepTimeSymmetryPercent: Double?
    public var stanceSymmetryPercent: Double?
    public var swingSymmetryPercent: Double?
    public var singleSupportSymmetryPercent: Double?
    public var stepLengthSymmetryPercent: Double? = nil

    public static func compute(steps: [GaitStep], medianStepSeconds: Double, missedStepFactor: Double) -> SideTable? {
        var acc = [[[Double]]](repeating: [[Double]](repeating: [], count: 7), count: 2)
        let maxGap = missedStepFactor * medianStepSeconds
        func linked(_ a: Int, _ b: Int) -> Bool {
            b < steps.count && a >= 0 && steps[a].bout == steps[b].bout && steps[a].side != steps[b].side
                && steps[a].side != .unknown && steps[b].t - steps[a].t <= maxGap
        }
        for k in steps.indices where steps[k].side != .unknown {
            let s = steps[k].side == .left ? 0 : 1
            if linked(k - 1, k) {
                acc[s][0].append(steps[k].t - steps[k - 1].t)
                if let l = steps[k].stepLengthM { acc[s][6].append(l) }
            }
            guard linked(k, k + 1), linked(k + 1, k + 2) else { continue }
            let stride = steps[k + 2].t - steps[k].t
            if let ownFC = steps[k + 1].fc, ownFC > steps[k].t, ownFC < steps[k + 2].t {
                acc[s][1].append(ownFC - steps[k].t)
                acc[s][2].append(steps[k + 2].t - ownFC)
                acc[s][5].append(stride)
            }
            if let otherFC = steps[k].fc, otherFC > steps[k].t, otherFC < steps[k + 1].t {
                acc[s][3].append(steps[k + 1].t - otherFC)
                acc[s][4].append(otherFC - steps[k].t)
            }
        }
        func column(_ s: Int) -> Column {
            let m = { (i: Int) in Stats.mean(acc[s][i]) }
            let stride = m(5)
            return Column(steps: acc[s][0].count, stepTimeSeconds: m(0), stanceSeconds: m(1), swingSeconds: m(2),
                          singleSupportSeconds: m(3), doubleSupportSeconds: m(4),
                          stancePercent: m(1).flatMap { v in stride.map { 100 * v / $0 } },
                          swingPercent: m(2).flatMap { v in stride.map { 100 * v / $0 } }, stepLengthM: m(6))
        }
        let l = column(0), r = column(1)
        guard l.steps + r.steps > 0 else { return nil }
        func si(_ a: Double?, _ b: Double?) -> Double? {
            guard let a = a, let b = b, a + b > 0 else { return nil }
            return 100 * (a - b) / (0.5 * (a + b))
        }
        return SideTable(left: l, right: r, stepTimeSymmetryPercent: si(l.stepTimeSeconds, r.stepTimeSeconds),
                         stanceSymmetryPercent: si(l.stanceSeconds, r.stanceSeconds),
                         swingSymmetryPercent: si(l.swingSeconds, r.swingSeconds),
                         singleSupportSymmetryPercent: si(l.singleSupportSeconds, r.singleSupportSeconds),
                         stepLengthSymmetryPercent: si(l.stepLengthM, r.stepLengthM))
    }
}
