import Foundation
import XCTest
@testable import Gait
@testable import Simulation

/// Batch and streaming name the same side for every contact of walks that start and end inside a turn
/// (docs/GAIT.md §6: both engines take the gyroscope's turn window and the acceleration score from the recording
/// around the bout, clipped only by the recording, never by the bout). A regression guard on the engines' agreement:
/// it passes with the earlier bout-clipped batch scores too (the whole-run parity absorbed the one-sided edge
/// window on these walks); the score-level rule is checked by `LabDataTests.testBatchSideScoresDoNotDependOnTheBoutRange`.
/// Faster turns at a bout's start (150–180° in 1.6 s) still split the engines: the first steps of such a bout score
/// for the turn, and streaming decides them before the rest of the run is seen.
final class BoutEdgeSideAgreementTests: XCTestCase {
    /// Short bouts whose first or last steps are taken while turning (150–180° over 1.6–2 s), as at the ends of a
    /// corridor walk: the turn window of those contacts reaches past the bout.
    static func turningEdges() -> Scenario {
        var s = Scenario()
        s.name = "turning-edges"
        s.durationSeconds = 44
        s.gait.stepTimeCV = 0.04
        s.gait.asymmetry = 0.04
        s.segments = [Segment(.stand, seconds: 3),
                      Segment(.walk, seconds: 5, cadence: 100, turns: [Turn(atSeconds: 0, degrees: 90, seconds: 2)]),
                      Segment(.stand, seconds: 4),
                      Segment(.walk, seconds: 5, cadence: 106, turns: [Turn(atSeconds: 3, degrees: -90, seconds: 2)]),
                      Segment(.stand, seconds: 4),
                      Segment(.walk, seconds: 4.5, cadence: 94, turns: [Turn(atSeconds: 0, degrees: -80, seconds: 1.8),
                                                                         Turn(atSeconds: 2.7, degrees: 80, seconds: 1.8)]),
                      Segment(.stand, seconds: 4),
                      Segment(.walk, seconds: 6, cadence: 112, turns: [Turn(atSeconds: 4, degrees: 90, seconds: 2)])]
        return s
    }

    typealias Segment = Scenario.Segment
    typealias Turn = Scenario.Turn

    func testBatchAndStreamingGiveTheSameSidesAtTurningBoutEdges() throws {
        var compared = 0, edgeCompared = 0, disagree = 0
        for seed: UInt64 in 1...6 {
            let (imu, truth) = SimulatedIMU.render(Self.turningEdges(), seed: seed)
            let batch = BatchGaitAnalyzer().analyze(imu).steps
            let live = StreamingGaitAnalyzer(rateHz: imu.rateHz)
            var streamed: [GaitStep] = []
            imu.accG.withUnsafeBufferPointer { a in
                imu.gyroDps!.withUnsafeBufferPointer { g in
                    var i = 0
                    while i < imu.count {
                        let m = min(50, imu.count - i)
                        let evs = live.process(startSeconds: imu.startSeconds + Double(i) / imu.rateHz,
                                               accG: UnsafeBufferPointer(rebasing: a[(3 * i)..<(3 * (i + m))]),
                                               gyroDps: UnsafeBufferPointer(rebasing: g[(3 * i)..<(3 * (i + m))]), count: m)
                        for case .stepConfirmed(let st) in evs { streamed.append(st) }
                        i += m
                    }
                }
            }
            for case .stepConfirmed(let st) in live.finish() { streamed.append(st) }
            let edges = Set(truth.initialContacts.indices.filter { j in
                j == 0 || j == truth.initialContacts.count - 1
                    || truth.initialContacts[j - 1].bout != truth.initialContacts[j].bout
                    || truth.initialContacts[j + 1].bout != truth.initialContacts[j].bout
            }.map { truth.initialContacts[$0].t })
            for b in batch {
                guard let s = streamed.first(where: { abs($0.t - b.t) < 0.02 }) else { continue }
                compared += 1
                let atEdge = edges.contains { abs($0 - b.t) < 0.1 }
                if atEdge { edgeCompared += 1 }
                let t = truth.initialContacts.min { abs($0.t - b.t) < abs($1.t - b.t) }!
                if s.side != b.side { disagree += 1 }
                XCTAssertEqual(s.side, b.side, "seed \(seed): contact at \(b.t) s\(atEdge ? " (bout edge)" : ""), truth \(t.side)")
            }
        }
        print("bout-edge agreement: \(disagree) disagree, \(compared) contacts compared, \(edgeCompared) at bout edges")
        XCTAssertGreaterThan(compared, 200)
        XCTAssertGreaterThan(edgeCompared, 30)
    }
}
