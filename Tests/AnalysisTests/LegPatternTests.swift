import XCTest
@testable import Analysis
@testable import Gait
@testable import PopEvents

/// Pops read on their own leg: a grind early in the stance of either leg is one pattern, not two.
final class LegPatternTests: XCTestCase {
    func testGrindAtTenPercentOfEachLegsStrideIsOneLegAgnosticCluster() {
        // 40 steps alternating legs, 0.55 s apart, with a little variation; a grind 10 % into every stride of each leg.
        var steps: [GaitStep] = []
        var t = 1.0
        for i in 0..<40 {
            steps.append(GaitStep(t: t, side: i % 2 == 0 ? .left : .right, fc: nil, bout: 0, provisional: false))
            t += 0.55 + 0.01 * sin(Double(i))
        }
        let legs = ContactLegPhases()
        for s in steps { legs.noteContact(tSeconds: s.t, leg: Leg(s.side)) }
        let left = ContactStridePhases()
        for s in steps { left.noteContact(tSeconds: s.t, left: s.side == .left) }
        var pops: [PopEvent] = []
        for k in 0..<(steps.count - 2) {
            let stride = steps[k + 2].t - steps[k].t
            var p = syntheticGrind(at: steps[k].t + 0.10 * stride)
            p.retag(using: left, legs: legs)
            pops.append(p)
        }
        XCTAssertTrue(pops.allSatisfy { $0.phase?.stanceLeg != nil })
        let patterns = WalkPatterns.analyze(pops: pops, steps: steps)
        let grind = try! XCTUnwrap(patterns.kinds.first { $0.kind == "grind" })
        let phase = try! XCTUnwrap(grind.phase)
        XCTAssertEqual(phase.meanCyclePercent, 10, accuracy: 0.5, "one cluster at 10 %")
        XCTAssertGreaterThan(phase.resultantLength, 0.99)
        XCTAssertEqual(grind.clusterStrides, pops.count, "every stride of both legs holds its grind")
        XCTAssertEqual(grind.legs?.map(\.count), [pops.count / 2, pops.count / 2])
        // On the left leg's cycle the same grinds are two clusters half a stride apart.
        let leftCycle = pops.compactMap { $0.phase?.leftCyclePercent }
        XCTAssertEqual(leftCycle.filter { $0 > 50 }.count, pops.count / 2)
    }

    func syntheticGrind(at t: Double) -> PopEvent {
        SyntheticPop.event(at: t, kind: .grind, durationSeconds: 0.12, centroidHz: 1500, bandwidthHz: 800, peakHz: 1400,
                           microImpulses: 9, riseSeconds: 0.0003, decaySeconds: 0.002)
    }
}
