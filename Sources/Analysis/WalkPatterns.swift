import Foundation
import Gait
import PopEvents

/// Patterns of pops over one walk, per kind: how often (per 100 steps), where in the stride (circular mean,
/// concentration, Rayleigh test), and clusters — "snaps at 12 % of stride in 9 of 10 strides".
public struct WalkPatterns: Codable, Sendable {
    public struct Kind: Codable, Sendable {
        public var kind: String
        public var count: Int
        public var per100Steps: Double?
        public var phase: CircularSummary?
        /// Strides (left IC to left IC, in bouts) with at least one event of this kind within ±10 % of the mean phase.
        public var clusterStrides: Int?
        public var totalStrides: Int?
        public var description: String
    }

    public var kinds: [Kind]

    public static func analyze(pops: [PopEvent], steps: [GaitStep]) -> WalkPatterns {
        let leftICs = steps.filter { $0.side == .left }.map(\.t)
        var strides: [(Double, Double)] = []
        for (a, b) in zip(leftICs, leftICs.dropFirst()) where b - a < 3 { strides.append((a, b)) }
        var out: [Kind] = []
        for k in PopKind.allCases {
            let ps = pops.filter { $0.kind == k }
            guard !ps.isEmpty else { continue }
            let per100 = steps.isEmpty ? nil : Double(ps.count) * 100 / Double(steps.count)
            let cps = ps.compactMap { $0.phase?.cyclePercent }
            let stats = cps.count >= 2 ? CircularStatistics.summary(cyclePercents: cps) : nil
            var cluster: Int?
            var desc = "\(ps.count) \(k.rawValue)" + (per100.map { String(format: " (%.1f per 100 steps)", $0) } ?? "")
            // A cluster needs a few events concentrated in phase (two points always look "concentrated").
            if let st = stats, st.resultantLength >= 0.6, ps.count >= 3, !strides.isEmpty {
                let mean = st.meanCyclePercent
                cluster = strides.filter { s in
                    ps.contains { p in
                        guard p.tSeconds >= s.0, p.tSeconds < s.1 else { return false }
                        let cp = (p.tSeconds - s.0) / (s.1 - s.0) * 100
                        let d = abs(cp - mean)
                        return min(d, 100 - d) <= 10
                    }
                }.count
                if cluster! > 0 {
                    desc = String(format: "%@s at %.0f %% of stride (%@) in %d of %d strides", k.rawValue, mean,
                                  nominalPhase(mean), cluster!, strides.count)
                        + String(format: "; R = %.2f, Rayleigh p = %.2g", st.resultantLength, st.rayleighP)
                } else {
                    cluster = nil
                }
            }
            out.append(Kind(kind: k.rawValue, count: ps.count, per100Steps: per100, phase: stats, clusterStrides: cluster,
                            totalStrides: strides.isEmpty ? nil : strides.count, description: desc))
        }
        return WalkPatterns(kinds: out)
    }
}
