import XCTest
@testable import Analysis
@testable import Gait
@testable import PopEvents

/// `WalkPatterns.clusterStrides` (each stride looks only at the pops inside its span) counts exactly the strides the
/// pairwise definition finds: every stride against every pop with `inCluster`.
final class WalkPatternsClusterTests: XCTestCase {
    func testSortedSearchCountsTheSameStridesAsEveryPairCompared() {
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<40 {
            // Strides of both legs, overlapping (as the two legs' strides do), some of them back to back.
            var strides: [(Double, Double, Leg)] = []
            var t = [0.0, 0.5]
            for _ in 0..<60 {
                for leg in 0..<2 {
                    let d = Double.random(in: 0.8...1.4, using: &rng)
                    strides.append((t[leg], t[leg] + d, leg == 0 ? .left : .right))
                    t[leg] += d + (Double.random(in: 0...1, using: &rng) < 0.1 ? 5 : 0)
                }
            }
            // Pops in no particular order: some exactly on stride edges, some without a leg or a phase, duplicates.
            var pops: [PopEvent] = []
            for k in 0..<(trial * 10 + 5) {
                let tSeconds: Double
                switch k % 7 {
                case 0: tSeconds = strides.randomElement(using: &rng)!.0
                case 1: tSeconds = strides.randomElement(using: &rng)!.1
                default: tSeconds = Double.random(in: -1...(t.max()! + 1), using: &rng)
                }
                var p = pop(at: tSeconds)
                if k % 5 != 0 {
                    p.phase = StridePhase(cyclePercent: 0, phase: .midStance, leftLeg: .stance, stepIndex: 0, bout: 0,
                                          stanceLeg: k % 3 == 0 ? nil : (k % 2 == 0 ? .left : .right))
                }
                pops.append(p)
                if k % 11 == 0 { pops.append(p) }
            }
            pops.shuffle(using: &rng)
            for mean in [0.0, 5.0, 37.5, 95.0] {
                let pairwise = strides.filter { s in pops.contains { WalkPatterns.inCluster($0, s, mean: mean) } }.count
                XCTAssertEqual(WalkPatterns.clusterStrides(strides, pops: pops, meanCyclePercent: mean), pairwise,
                               "trial \(trial), mean \(mean)")
            }
        }
    }

    func testAClusteredWalkIsCountedStrideByStride() {
        // A snap at 30 % of every other left stride, one stray pop: 10 of 20 left strides hold the cluster.
        let strides: [(Double, Double, Leg)] = (0..<20).map { (Double($0), Double($0) + 1, .left) }
        var pops = (0..<10).map { pop(at: Double(2 * $0) + 0.3) }
        pops.append(pop(at: 5.8))
        XCTAssertEqual(WalkPatterns.clusterStrides(strides, pops: pops, meanCyclePercent: 30), 10)
        XCTAssertEqual(WalkPatterns.clusterStrides(strides, pops: pops, meanCyclePercent: 80), 1)
        XCTAssertEqual(WalkPatterns.clusterStrides(strides, pops: [], meanCyclePercent: 30), 0)
    }

    func pop(at t: Double) -> PopEvent {
        SyntheticPop.event(at: t, kind: .snap, durationSeconds: 0.02, centroidHz: 600, bandwidthHz: 200, peakHz: 600,
                           microImpulses: 1, riseSeconds: 0.001, decaySeconds: 0.01)
    }
}
