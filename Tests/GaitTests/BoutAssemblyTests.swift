import XCTest
@testable import Gait

/// The Mobilise-D bout rules on synthetic contact sequences (BoutAssembly), then end to end through the batch
/// analyzer on a synthetic walker that pauses.
final class BoutAssemblyTests: XCTestCase {
    /// `count` ICs every `step` seconds from `start`.
    private func run(_ start: Double, _ count: Int, step: Double = 0.55) -> [Double] {
        (0..<count).map { start + Double($0) * step }
    }

    private func group(_ runs: [[Double]]) -> [[Int]] {
        BoutAssembly.group(runICSeconds: runs, maxBreakSeconds: 3, minStrides: 2)
    }

    func testPauseOfTwoAndAHalfSecondsIsMerged() {
        let a = run(0, 8), b = run(a.last! + 2.5, 8)
        XCTAssertEqual(group([a, b]), [[0, 1]])
    }

    func testPauseOfThreeAndAHalfSecondsSplits() {
        let a = run(0, 8), b = run(a.last! + 3.5, 8)
        XCTAssertEqual(group([a, b]), [[0], [1]])
    }

    func testBreakOfExactlyThreeSecondsStaysInside() {
        let a = run(0, 6), b = run(a.last! + 3.0, 6)
        XCTAssertEqual(group([a, b]), [[0, 1]])
    }

    func testOneStrideOnItsOwnIsNotABout() {
        // 3 ICs = 1 stride, 5 s from anything else
        let a = run(0, 3), b = run(a.last! + 5, 10)
        XCTAssertEqual(group([a, b]), [[1]])
        XCTAssertEqual(group([a]), [])
    }

    func testTwoStridesAreABout() {
        XCTAssertEqual(group([run(0, 4)]), [[0]])
        XCTAssertEqual(group([run(0, 3)]), [])
    }

    func testAOneStrideFragmentNearABoutKeepsItsContacts() {
        // a hesitation: 1 stride, a 2 s stop, then walking on; and a fragment 1.5 s after the end
        let a = run(0, 3), b = run(a.last! + 2, 10), c = run(b.last! + 1.5, 2)
        let g = group([a, b, c])
        XCTAssertEqual(g, [[0, 1, 2]])
        let map = BoutAssembly.boutOfRun(g, runCount: 3)
        XCTAssertEqual(map, [0, 0, 0])
    }

    func testTwoFragmentsTogetherReachTwoStrides() {
        // 1 stride + 1 stride with a 2 s break: 2 strides within the break limit
        XCTAssertEqual(group([run(0, 3), run(3.1, 3)]), [[0, 1]])
        // … but not when the break is longer than 3 s
        XCTAssertEqual(group([run(0, 3), run(4.6, 3)]), [])
    }

    func testChainsOfShortBreaksFormOneBoutAndALongBreakEndsIt() {
        let a = run(0, 5), b = run(a.last! + 2.8, 5), c = run(b.last! + 2.9, 5), d = run(c.last! + 3.2, 5)
        let g = group([a, b, c, d])
        XCTAssertEqual(g, [[0, 1, 2], [3]])
        XCTAssertEqual(BoutAssembly.boutOfRun(g, runCount: 4), [0, 0, 0, 1])
    }

    // MARK: end to end

    /// Two synthetic walks joined with a pause of about `pauseSeconds` between the last IC of the first and the
    /// first IC of the second.
    func twoWalks(pauseSeconds: Double) -> (IMUSeries, WalkerTruth, WalkerTruth, Double) {
        var w1 = SyntheticWalker()
        w1.walkSeconds = 12
        w1.standSeconds = 3
        var w2 = w1
        w2.seed = 2
        w2.standSeconds = 0.6
        // the first walk's samples end tLast + tail after its last IC; the second's first IC is standSeconds in
        let (probe, t1) = w1.generate()
        let tLast = Double(probe.count) / probe.rateHz - w1.tailSeconds - t1.ics.last!
        w1.tailSeconds = pauseSeconds - tLast - w2.standSeconds
        let (a, ta) = w1.generate()
        let (b, tb) = w2.generate()
        let joined = IMUSeries.joined(a, b)
        return (joined.series, ta, tb, joined.secondStartsSeconds)
    }

    func testBatchMergesAPauseOfTwoAndAHalfSeconds() {
        let (s, ta, tb, offset) = twoWalks(pauseSeconds: 2.5)
        XCTAssertEqual(tb.ics[0] + offset - ta.ics.last!, 2.5, accuracy: 0.02)
        let r = BatchGaitAnalyzer().analyze(s)
        XCTAssertEqual(r.bouts.count, 1, "\(r.bouts.map { ($0.startSeconds, $0.endSeconds) })")
        guard let b = r.bouts.first else { return }
        // the edges keep their first and last contacts
        XCTAssertEqual(b.startSeconds, ta.ics[0], accuracy: 0.1)
        XCTAssertEqual(b.endSeconds, tb.ics.last! + offset, accuracy: 0.1)
        XCTAssertEqual(b.stepCount, r.steps.count)
        XCTAssertTrue(r.steps.allSatisfy { $0.bout == 0 })
        let truthCount = ta.ics.count + tb.ics.count
        XCTAssertEqual(Double(r.steps.count), Double(truthCount), accuracy: 2)
        // the pause is neither a step nor walking time: cadence stays the walkers' ≈ 109 steps/min
        XCTAssertEqual(b.cadenceStepsPerMin, 60 / 0.55, accuracy: 3)
        XCTAssertEqual(r.metrics?.cadenceStepsPerMin ?? 0, 60 / 0.55, accuracy: 3)
        XCTAssertLessThan(r.metrics?.stepTimeSeconds ?? 9, 0.6)
        XCTAssertTrue(r.notes.contains { $0.contains("kept inside their bouts") }, "\(r.notes)")
        // no stride spans the pause
        for st in r.strideTilts { XCTAssertLessThan(st.nextIcSeconds - st.icSeconds, 1.5) }
    }

    func testBatchSplitsAPauseOfThreeAndAHalfSeconds() {
        let (s, ta, tb, offset) = twoWalks(pauseSeconds: 3.5)
        XCTAssertEqual(tb.ics[0] + offset - ta.ics.last!, 3.5, accuracy: 0.02)
        let r = BatchGaitAnalyzer().analyze(s)
        XCTAssertEqual(r.bouts.count, 2, "\(r.bouts.map { ($0.startSeconds, $0.endSeconds) })")
        guard r.bouts.count == 2 else { return }
        XCTAssertEqual(r.bouts[0].endSeconds, ta.ics.last!, accuracy: 0.1)
        XCTAssertEqual(r.bouts[1].startSeconds, tb.ics[0] + offset, accuracy: 0.1)
        XCTAssertEqual(r.steps.filter { $0.bout == 1 }.count, r.bouts[1].stepCount)
        XCTAssertFalse(r.notes.contains { $0.contains("kept inside their bouts") })
    }

    // MARK: streaming

    private func streamedBouts(_ s: IMUSeries) -> (starts: [Double], ends: [Double], confirmed: [GaitStep]) {
        var starts: [Double] = [], ends: [Double] = [], confirmed: [GaitStep] = []
        for (e, _) in stream(s, block: 50, analyzer: StreamingGaitAnalyzer(rateHz: s.rateHz)) {
            switch e {
            case .boutStarted(let t): starts.append(t)
            case .boutEnded(let t): ends.append(t)
            case .stepConfirmed(let st): confirmed.append(st)
            default: break
            }
        }
        return (starts, ends, confirmed)
    }

    func testStreamingContinuesTheBoutAfterAPauseOfTwoAndAHalfSeconds() {
        let (s, ta, tb, offset) = twoWalks(pauseSeconds: 2.5)
        let r = streamedBouts(s)
        XCTAssertEqual(r.starts.count, 1, "\(r.starts)")
        XCTAssertEqual(r.ends.count, 1, "\(r.ends)")
        XCTAssertEqual(r.starts.first ?? 0, ta.ics[0], accuracy: 0.5)
        XCTAssertEqual(r.ends.first ?? 0, tb.ics.last! + offset, accuracy: 0.5)
        XCTAssertEqual(Set(r.confirmed.map(\.bout)), [0])
        XCTAssertEqual(Double(r.confirmed.count), Double(ta.ics.count + tb.ics.count), accuracy: 3)
    }

    func testStreamingEndsTheBoutAfterAPauseOfThreeAndAHalfSeconds() {
        let (s, ta, tb, offset) = twoWalks(pauseSeconds: 3.5)
        let r = streamedBouts(s)
        XCTAssertEqual(r.starts.count, 2, "\(r.starts)")
        XCTAssertEqual(r.ends.count, 2, "\(r.ends)")
        guard r.ends.count == 2, r.starts.count == 2 else { return }
        XCTAssertEqual(r.ends[0], ta.ics.last!, accuracy: 0.5)
        XCTAssertEqual(r.starts[1], tb.ics[0] + offset, accuracy: 0.5)
        XCTAssertLessThan(r.ends[0], r.starts[1])
        XCTAssertEqual(Set(r.confirmed.map(\.bout)), [0, 1])
    }
}
