import GaitVocabulary
import XCTest
@testable import Gait

/// Gait phase from steps: stride percent from the most recent left IC, Perry's phases of the left leg anchored on
/// the measured events.
final class PhaseTimelineTests: XCTestCase {
    /// Left IC every second from 10 s, right IC half-way; FCs 12 % of the stride after each IC.
    func regularSteps(bout: Int = 0) -> [GaitStep] {
        var s: [GaitStep] = []
        for k in 0..<9 {
            let t = 10 + 0.5 * Double(k)
            s.append(GaitStep(t: t, side: k % 2 == 0 ? .left : .right, fc: t + 0.12, bout: bout, provisional: false))
        }
        return s
    }

    func testNominalPhasesWithPerryBoundaries() throws {
        let tl = GaitPhaseTimeline(steps: regularSteps())
        let expect: [(Double, String, String)] = [
            (10.05, "loading_response", "stance"), (10.2, "mid_stance", "stance"), (10.45, "terminal_stance", "stance"),
            (10.51, "pre_swing", "stance"), (10.63, "initial_swing", "swing"), (10.8, "mid_swing", "swing"),
            (10.9, "terminal_swing", "swing"), (11.01, "loading_response", "stance"),
        ]
        for (t, name, leg) in expect {
            let p = try XCTUnwrap(tl.phase(at: t), "t = \(t)")
            XCTAssertEqual(p.phase.rawValue, name, "t = \(t)")
            XCTAssertEqual(p.leftLeg.rawValue, leg, "t = \(t)")
            XCTAssertEqual(p.bout, 0)
        }
        XCTAssertEqual(try XCTUnwrap(tl.phase(at: 10.25)).cyclePercent, 25, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(tl.phase(at: 10.25)).stepIndex, 0)
        XCTAssertEqual(try XCTUnwrap(tl.phase(at: 10.75)).stepIndex, 1)
    }

    func testMeasuredEventsMoveTheBoundaries() throws {
        // right FC at 20 %, right IC at 55 %, left FC at 70 %
        let steps = [
            GaitStep(t: 10.0, side: .left, fc: 10.2, bout: 3, provisional: false),
            GaitStep(t: 10.55, side: .right, fc: 10.7, bout: 3, provisional: false),
            GaitStep(t: 11.0, side: .left, fc: 11.2, bout: 3, provisional: false),
        ]
        let tl = GaitPhaseTimeline(steps: steps)
        XCTAssertEqual(tl.phase(at: 10.15)?.phase.rawValue, "loading_response")      // before right FC
        XCTAssertEqual(tl.phase(at: 10.21)?.phase.rawValue, "mid_stance")
        XCTAssertEqual(tl.phase(at: 10.54)?.phase.rawValue, "terminal_stance")       // until right IC
        XCTAssertEqual(tl.phase(at: 10.56)?.phase.rawValue, "pre_swing")             // pre-swing starts at right IC
        XCTAssertEqual(tl.phase(at: 10.69)?.leftLeg.rawValue, "stance")
        XCTAssertEqual(tl.phase(at: 10.71)?.phase.rawValue, "initial_swing")         // initial swing starts at left FC
        XCTAssertEqual(tl.phase(at: 10.71)?.leftLeg.rawValue, "swing")
        XCTAssertEqual(tl.phase(at: 10.99)?.phase.rawValue, "terminal_swing")
        XCTAssertEqual(tl.phase(at: 10.5)?.bout, 3)
    }

    func testNoPhaseOutsideBoutsOrWithoutSides() {
        var steps = regularSteps()
        steps.append(GaitStep(t: 30, side: .left, fc: nil, bout: -1, provisional: true))
        let tl = GaitPhaseTimeline(steps: steps)
        XCTAssertNil(tl.phase(at: 9.9), "before the first IC")
        XCTAssertNil(tl.phase(at: 14.2), "after the bout's last IC")
        XCTAssertNil(tl.phase(at: 30.1), "provisional steps are not in the timeline")
        let unknown = regularSteps().map { s -> GaitStep in var c = s; c.side = .unknown; return c }
        XCTAssertNil(GaitPhaseTimeline(steps: unknown).phase(at: 10.3))
    }

    func testBoutStartingWithRightIC() throws {
        let steps = [
            GaitStep(t: 20.0, side: .right, fc: nil, bout: 0, provisional: false),
            GaitStep(t: 20.5, side: .left, fc: nil, bout: 0, provisional: false),
            GaitStep(t: 21.0, side: .right, fc: nil, bout: 0, provisional: false),
            GaitStep(t: 21.5, side: .left, fc: nil, bout: 0, provisional: false),
        ]
        let p = try XCTUnwrap(GaitPhaseTimeline(steps: steps).phase(at: 20.1))
        XCTAssertEqual(p.cyclePercent, 60, accuracy: 1e-9)
        XCTAssertEqual(p.phase, .preSwing)
    }

    func testCyclePercentMonotoneAndPhasesInOrderOnSyntheticWalking() {
        var w = SyntheticWalker()
        w.walkSeconds = 20
        let (s, _) = w.generate()
        let r = BatchGaitAnalyzer().analyze(s)
        let tl = GaitPhaseTimeline(steps: r.steps)
        let lefts = r.steps.filter { $0.side == .left }.map(\.t)
        XCTAssertGreaterThan(lefts.count, 15)
        let order = GaitPhaseName.allCases.map(\.rawValue)
        var strides = 0
        for (a, b) in zip(lefts, lefts.dropFirst()) where b - a < 2 {
            var lastPercent = -1.0
            var lastRank = -1
            var seen = Set<String>()
            var t = a
            while t < b - 0.003 {
                guard let p = tl.phase(at: t) else { XCTFail("no phase at \(t)"); break }
                XCTAssertGreaterThan(p.cyclePercent, lastPercent, "monotone at \(t)")
                XCTAssertLessThan(p.cyclePercent, 100)
                let rank = order.firstIndex(of: p.phase.rawValue) ?? -1
                XCTAssertGreaterThanOrEqual(rank, lastRank, "phase order at \(t)")
                XCTAssertEqual(p.leftLeg == .stance, rank <= 3, "stance through pre-swing at \(t)")
                lastPercent = p.cyclePercent
                lastRank = rank
                seen.insert(p.phase.rawValue)
                t += 0.005
            }
            XCTAssertEqual(seen.count, 7, "all phases in the stride from \(a)")
            strides += 1
        }
        XCTAssertGreaterThan(strides, 15)
    }
}
