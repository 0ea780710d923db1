import XCTest
@testable import Gait

/// docs/research/gait/ALGORITHM.md §8: causal analysis with bounded latency and memory.
final class StreamingTests: XCTestCase {
    struct Collected {
        var firstEmission: [Double: Double] = [:]     // IC time → time of the last sample fed when `.step` came out
        var provisional: [GaitStep] = []
        var confirmed: [GaitStep] = []
        var rejected: [Double] = []
        var boutStarts: [Double] = []
        var boutEnds: [Double] = []
        var strides: [StrideTilt] = []
        var posture: [PostureEvent] = []
    }

    func collect(_ events: [(event: GaitStreamEvent, at: Double)]) -> Collected {
        var c = Collected()
        for (e, at) in events {
            switch e {
            case .step(let s):
                XCTAssertTrue(s.provisional)
                XCTAssertNil(c.firstEmission[s.t], "each IC is emitted once")
                c.firstEmission[s.t] = at
                c.provisional.append(s)
            case .stepConfirmed(let s):
                XCTAssertFalse(s.provisional)
                XCTAssertNotNil(c.firstEmission[s.t], "confirmed after it was emitted")
                c.confirmed.append(s)
            case .stepRejected(let t): c.rejected.append(t)
            case .boutStarted(let t): c.boutStarts.append(t)
            case .boutEnded(let t): c.boutEnds.append(t)
            case .stride(let s): c.strides.append(s)
            case .posture(let p): c.posture.append(p)
            }
        }
        return c
    }

    func testSameStepsAsBatchEachWithin300ms() {
        for gyro in [true, false] {
            var w = SyntheticWalker()
            w.withGyro = gyro
            let (s, truth) = w.generate()
            let batch = BatchGaitAnalyzer().analyze(s)
            let c = collect(stream(s, block: 1, analyzer: StreamingGaitAnalyzer(rateHz: s.rateHz)))
            let label = gyro ? "gyro" : "acc only"
            XCTAssertEqual(c.confirmed.count, batch.steps.count, label)
            let pairs = matchEvents(c.confirmed.map(\.t), batch.steps.map(\.t), tolerance: 0.03)
            XCTAssertEqual(pairs.count, batch.steps.count, "\(label): steps within ±30 ms of batch")
            for step in c.confirmed {
                guard let at = c.firstEmission[step.t] else { continue }
                XCTAssertLessThanOrEqual(at - step.t, 0.3 + 1e-9, "\(label): IC \(step.t) emitted at \(at)")
                XCTAssertGreaterThanOrEqual(at, step.t)
                XCTAssertEqual(step.bout, 0, label)
                XCTAssertNotNil(step.fc, label)
            }
            XCTAssertEqual(c.boutStarts.count, 1, label)
            XCTAssertEqual(c.boutEnds.count, 1, label)
            XCTAssertEqual(c.boutStarts.first ?? 0, truth.boutStart, accuracy: 0.5, label)
            XCTAssertEqual(c.boutEnds.first ?? 0, truth.boutEnd, accuracy: 0.5, label)
            XCTAssertEqual(f1Score(c.confirmed.map(\.t), truth.ics, tolerance: 0.1), 1, accuracy: 0.01, label)
            // sides: known from the first step with a gyroscope, after ≈ 10 steps without; then correct
            let matched = matchEvents(c.confirmed.map(\.t), truth.ics, tolerance: 0.1)
            let known = matched.filter { c.confirmed[$0.0].side != .unknown }
            let correct = known.filter { c.confirmed[$0.0].side == truth.sides[$0.1] }.count
            XCTAssertGreaterThanOrEqual(Double(correct) / Double(max(known.count, 1)), 0.95, label)
            XCTAssertGreaterThanOrEqual(known.count, matched.count - (gyro ? 0 : 12), label)
        }
    }

    static func rounded(_ e: GaitStreamEvent) -> GaitStreamEvent {
        func r(_ t: Double) -> Double { (t * 1e9).rounded() / 1e9 }
        func step(_ s: GaitStep) -> GaitStep { GaitStep(t: r(s.t), side: s.side, fc: s.fc.map(r), bout: s.bout, provisional: s.provisional) }
        switch e {
        case .step(let s): return .step(step(s))
        case .stepConfirmed(let s): return .stepConfirmed(step(s))
        case .stepRejected(let t): return .stepRejected(r(t))
        case .boutStarted(let t): return .boutStarted(r(t))
        case .boutEnded(let t): return .boutEnded(r(t))
        case .posture(var p): p.startSeconds = r(p.startSeconds); p.endSeconds = r(p.endSeconds); return .posture(p)
        case .stride(var s):
            s.icSeconds = r(s.icSeconds); s.nextIcSeconds = r(s.nextIcSeconds)
            s.meanDeg = (s.meanDeg * 1e6).rounded() / 1e6
            return .stride(s)
        }
    }

    func testBlockSizeDoesNotChangeTheEvents() {
        var w = SyntheticWalker()
        w.walkSeconds = 25
        let (s, _) = w.generate()
        let reference = stream(s, block: 1, analyzer: StreamingGaitAnalyzer(rateHz: s.rateHz)).map(\.event)
        XCTAssertGreaterThan(reference.count, 50)
        for block in [7, 100, s.count] {
            let events = stream(s, block: block, analyzer: StreamingGaitAnalyzer(rateHz: s.rateHz)).map(\.event)
            // Block start times are computed per block, so times may differ in the last bit: compare at 1 ns.
            XCTAssertEqual(events.map(Self.rounded), reference.map(Self.rounded), "block \(block)")
        }
    }

    func testSidesTiltStridesAndPostureAlert() {
        var w = SyntheticWalker()
        w.tiltWalkDeg = 15
        w.walkSeconds = 40
        let (s, _) = w.generate()
        let a = StreamingGaitAnalyzer(rateHz: s.rateHz)
        let c = collect(stream(s, block: 10, analyzer: a))
        XCTAssertGreaterThan(c.strides.count, 25)
        for st in c.strides {
            XCTAssertEqual(st.meanDeg, 15, accuracy: 1, "stride at \(st.icSeconds)")
            XCTAssertNotNil(st.romDeg)
            XCTAssertEqual(st.bout, 0)
            XCTAssertEqual(st.nextIcSeconds - st.icSeconds, 1.1, accuracy: 0.1)
        }
        XCTAssertEqual(c.posture.count, 2, "live alert, then the final event: \(c.posture)")
        if c.posture.count == 2 {
            XCTAssertTrue(c.posture[0].ongoing)
            XCTAssertFalse(c.posture[1].ongoing)
            XCTAssertGreaterThanOrEqual(c.posture[0].endSeconds - c.posture[0].startSeconds, 20)
            XCTAssertLessThan(c.posture[0].endSeconds - c.posture[0].startSeconds, 22)
            XCTAssertGreaterThan(c.posture[1].endSeconds - c.posture[1].startSeconds, 25)
            XCTAssertEqual(c.posture[1].meanTiltDeg, 15, accuracy: 1.5)
        }
        XCTAssertEqual(a.calibration?.source, "standing_window")
        XCTAssertNotNil(a.forwardSensor)
        XCTAssertEqual(a.currentTiltDeg ?? 99, 0, accuracy: 2, "standing upright again at the end")
    }

    func testCurrentTiltWhileWalking() {
        var w = SyntheticWalker()
        w.tiltWalkDeg = 10
        w.walkSeconds = 30
        let (s, truth) = w.generate()
        let a = StreamingGaitAnalyzer(rateHz: s.rateHz)
        let stop = Int((truth.boutStart + 20) * s.rateHz)
        let head = IMUSeries(rateHz: s.rateHz, accG: ContiguousArray(s.accG[0..<(3 * stop)]),
                             gyroDps: ContiguousArray(s.gyroDps![0..<(3 * stop)]))
        _ = a.process(startSeconds: 0, accG: head.accG, gyroDps: head.gyroDps)
        XCTAssertEqual(a.currentTiltDeg ?? 99, 10, accuracy: 3)
        XCTAssertLessThan(angleDeg(a.leftSensor ?? SIMD3(0, 0, 0), truth.left), 5)
    }

    func testLivePhaseFollowsTheBatchTimeline() {
        var w = SyntheticWalker()
        w.walkSeconds = 30
        let (s, truth) = w.generate()
        let timeline = GaitPhaseTimeline(steps: BatchGaitAnalyzer().analyze(s).steps)
        let a = StreamingGaitAnalyzer(rateHz: s.rateHz)
        var checked = 0, close = 0, missing = 0
        let block = 5
        var i = 0
        s.accG.withUnsafeBufferPointer { acc in
            s.gyroDps!.withUnsafeBufferPointer { gyr in
                while i + block <= s.count {
                    _ = a.process(startSeconds: Double(i) / s.rateHz,
                                  accG: UnsafeBufferPointer(rebasing: acc[(3 * i)..<(3 * (i + block))]),
                                  gyroDps: UnsafeBufferPointer(rebasing: gyr[(3 * i)..<(3 * (i + block))]), count: block)
                    i += block
                    let now = Double(i - 1) / s.rateHz
                    guard now > truth.boutStart + 6, now < truth.boutEnd - 1 else { continue }
                    checked += 1
                    guard let live = a.phase(at: now), let ref = timeline.phase(at: now) else { missing += 1; continue }
                    XCTAssertGreaterThanOrEqual(live.cyclePercent, 0)
                    XCTAssertLessThan(live.cyclePercent, 100)
                    let d = abs(live.cyclePercent - ref.cyclePercent)
                    if min(d, 100 - d) < 10 { close += 1 }
                }
            }
        }
        XCTAssertGreaterThan(checked, 300)
        XCTAssertLessThanOrEqual(missing, checked / 20, "live phase available while walking")
        XCTAssertGreaterThanOrEqual(Double(close) / Double(checked), 0.9, "live phase within 10 % of the stride")
    }

    func testMemoryStaysBoundedOverTwoHours() {
        // one 51 s pattern (stand, walk 40 s, stand) at 50 Hz, fed again and again for two hours
        var w = SyntheticWalker()
        w.rateHz = 50
        w.walkSeconds = 40
        let (s, _) = w.generate()
        let a = StreamingGaitAnalyzer(rateHz: s.rateHz)
        let patternSeconds = Double(s.count) / s.rateHz
        let reps = Int((7200 / patternSeconds).rounded(.up))
        var boutsStarted = 0, confirmed = 0
        var firstFootprint: StreamingGaitAnalyzer.Footprint?
        var maxRetained = 0
        s.accG.withUnsafeBufferPointer { acc in
            s.gyroDps!.withUnsafeBufferPointer { gyr in
                for r in 0..<reps {
                    var i = 0
                    while i < s.count {
                        let b = min(50, s.count - i)
                        let ev = a.process(startSeconds: Double(r) * patternSeconds + Double(i) / s.rateHz,
                                           accG: UnsafeBufferPointer(rebasing: acc[(3 * i)..<(3 * (i + b))]),
                                           gyroDps: UnsafeBufferPointer(rebasing: gyr[(3 * i)..<(3 * (i + b))]),
                                           count: b)
                        for e in ev {
                            if case .boutStarted = e { boutsStarted += 1 }
                            if case .stepConfirmed = e { confirmed += 1 }
                        }
                        i += b
                    }
                    let f = a.footprint
                    if firstFootprint == nil { firstFootprint = f }
                    XCTAssertEqual(f.ringSamples, firstFootprint?.ringSamples, "rings never grow")
                    maxRetained = max(maxRetained, f.retainedSteps)
                }
            }
        }
        XCTAssertGreaterThanOrEqual(Double(reps) * patternSeconds, 7200)
        XCTAssertLessThanOrEqual(maxRetained, 64 + 32 + 32, "step records bounded")
        XCTAssertEqual(boutsStarted, reps, "every repetition is a bout")
        XCTAssertGreaterThan(confirmed, reps * 60)
        // bounded in samples: ≈ 10–20 s of 16 signals at this rate
        XCTAssertLessThanOrEqual(firstFootprint?.ringSamples ?? .max, 16 * 1024)
    }

    func testNothingFoundWhileStanding() {
        let s = standingSeries(seconds: 40, bumpsAt: [10, 13.1, 17, 24.5])
        let c = collect(stream(s, block: 64, analyzer: StreamingGaitAnalyzer(rateHz: s.rateHz)))
        XCTAssertTrue(c.confirmed.isEmpty)
        XCTAssertTrue(c.boutStarts.isEmpty)
        XCTAssertEqual(c.rejected.count, c.provisional.count, "every candidate is resolved")
    }
}
