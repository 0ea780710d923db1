import Foundation
import XCTest
@testable import Gait
@testable import Simulation

/// Toe-off (FC) timing per side on walkers whose double support differs between the sides (docs/GAIT.md §5).
/// `GaitStep.fc` is the opposite foot's toe-off after the IC: after a truth IC i it is the truth FC of IC i − 1 (the
/// opposite foot's previous contact). With one side's double support short, that toe-off's unloading dip sits on the
/// loading peak's falling edge and made no minimum of s_fine: the first minimum, single support's trough, was taken,
/// ≈ +250 ms late on one side only — which the pooled, set-matched FC error of the validation hid.
final class FinalContactSideTests: XCTestCase {
    /// Signed FC errors (detected − truth, s) of matched contacts (±0.1 s), by the side of the IC they follow.
    static func errorsBySide(_ steps: [GaitStep], _ truth: GroundTruth) -> [Gait.Side: [Double]] {
        var out: [Gait.Side: [Double]] = [Gait.Side.left: [], Gait.Side.right: []]
        let tic = truth.initialContacts, tfc = truth.finalContacts
        for st in steps {
            guard let fc = st.fc,
                  let j = tic.indices.min(by: { abs(tic[$0].t - st.t) < abs(tic[$1].t - st.t) }),
                  abs(tic[j].t - st.t) <= 0.1, j > 0, tic[j - 1].bout == tic[j].bout,
                  let side = Gait.Side(rawValue: tic[j].side.rawValue) else { continue }
            out[side, default: []].append(fc - tfc[j - 1].t)
        }
        return out
    }

    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }

    static func streamed(_ imu: IMUSeries) -> [GaitStep] {
        let live = StreamingGaitAnalyzer(rateHz: imu.rateHz)
        var steps: [GaitStep] = []
        let evs = live.process(startSeconds: imu.startSeconds, accG: imu.accG, gyroDps: imu.gyroDps) + live.finish()
        for case .stepConfirmed(let st) in evs { steps.append(st) }
        return steps
    }

    /// The asymmetric walker of `SideTableTests` (left steps 8 % longer, stance 62 %): after a left IC the right toe-off
    /// comes ≈ 0.11 s later. Before the fix the FC after left ICs was +240 ms (batch) / +254 ms (streaming) late
    /// (median); now both sides are within 60 ms (median) and the side table's right stance within 5 points of the
    /// truth (it read ≈ 80 % where the truth is 62 %).
    func testAsymmetricWalkerFinalContactsOnBothSides() throws {
        var sc = try XCTUnwrap(Scenario.preset("healthy"))
        sc.gait.asymmetry = 0.08
        sc.gait.stanceFraction = 0.62
        for seed: UInt64 in [9, 21] {
            let (imu, truth) = SimulatedIMU.render(sc, seed: seed)
            let batch = BatchGaitAnalyzer().analyze(imu)
            for (engine, steps) in [("batch", batch.steps), ("streaming", Self.streamed(imu))] {
                let e = Self.errorsBySide(steps, truth)
                for side in [Gait.Side.left, Gait.Side.right] {
                    let x = e[side] ?? []
                    XCTAssertGreaterThan(x.count, 30, "seed \(seed) \(engine) \(side)")
                    XCTAssertLessThan(abs(Self.median(x)), 0.06,
                                      "seed \(seed) \(engine): FC after \(side) ICs, median error \(Self.median(x)) s")
                }
            }
            let table = try XCTUnwrap(batch.sideTable)
            let trueStance: [Gait.Side: Double] = [Gait.Side.left: 64, Gait.Side.right: 62]   // of the stride, from the truth strides
            for (side, col) in [(Gait.Side.left, table.left), (Gait.Side.right, table.right)] {
                let truthStance = truth.strides.filter { $0.side.rawValue == side.rawValue }
                    .map { 100 * $0.stanceS / ($0.nextIcT - $0.icT) }
                let t = truthStance.isEmpty ? trueStance[side]! : truthStance.reduce(0, +) / Double(truthStance.count)
                XCTAssertEqual(col.stancePercent ?? 0, t, accuracy: 5, "seed \(seed): \(side) stance vs truth \(t)")
            }
        }
    }

    /// Streaming must locate the FC with the same step time as batch: the FC of a step whose next candidate had not
    /// arrived was located with the running median step, stale at a bout's start after a slower bout, and single
    /// support's trough passed the half-step limit — free-living seeds 1 and 2, streaming FC after left ICs p95
    /// 272 / 194 ms (+270–300 ms at 35–38 s) where batch had 66 / 33 ms. Now streaming's p95 per side stays within
    /// 40 ms of batch's.
    func testStreamingFinalContactsUseTheNextStepLikeBatch() throws {
        let sc = try XCTUnwrap(Scenario.preset("free-living"))
        for seed: UInt64 in [1, 2] {
            let (imu, truth) = SimulatedIMU.render(sc, seed: seed)
            let batch = Self.errorsBySide(BatchGaitAnalyzer().analyze(imu).steps, truth)
            let live = Self.errorsBySide(Self.streamed(imu), truth)
            for side in [Gait.Side.left, Gait.Side.right] {
                let b = Self.p95(batch[side] ?? []), l = Self.p95(live[side] ?? [])
                XCTAssertGreaterThan(live[side]?.count ?? 0, 25, "seed \(seed) \(side)")
                XCTAssertLessThan(l, b + 0.04, "seed \(seed): streaming FC after \(side) ICs p95 \(l) s, batch \(b) s")
            }
        }
    }

    static func p95(_ x: [Double]) -> Double {
        let s = x.map(abs).sorted()
        return s.isEmpty ? .nan : s[Swift.min(s.count - 1, Int((0.95 * Double(s.count - 1)).rounded()))]
    }

    /// The same rule must not move toe-offs that already formed a minimum: every impaired preset and normal walking,
    /// tuning seed 1 and held-out seed 21, FC after each side's IC within 60 ms (median) — except walking-aid's FC after
    /// right ICs (a long double support whose early minimum is taken; docs/GAIT.md §5, not addressed).
    func testOtherWalkersKeepTheirFinalContacts() throws {
        for name in ["healthy", "ms-like", "parkinson-like", "walking-aid", "free-living"] {
            for seed: UInt64 in [1, 21] {
                let sc = try XCTUnwrap(Scenario.preset(name))
                let (imu, truth) = SimulatedIMU.render(sc, seed: seed)
                let e = Self.errorsBySide(BatchGaitAnalyzer().analyze(imu).steps, truth)
                for side in [Gait.Side.left, Gait.Side.right] where !(name == "walking-aid" && side == .right) {
                    let x = e[side] ?? []
                    XCTAssertGreaterThan(x.count, 15, "\(name) seed \(seed) \(side)")
                    XCTAssertLessThan(abs(Self.median(x)), 0.06, "\(name) seed \(seed): FC after \(side) ICs, median \(Self.median(x)) s")
                }
            }
        }
    }
}
