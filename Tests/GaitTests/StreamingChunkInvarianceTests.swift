import XCTest
@testable import Gait
import TestSupport

/// The streaming gait analyzer through TestSupport's chunk-invariance verifier: the same walk fed whole, one sample
/// per call (with junk samples around each), and in random blocks gives the same events. Block start times are
/// computed per block, so event times may differ in their last bit; they are compared at 1 ns.
final class StreamingChunkInvarianceTests: XCTestCase {
    /// One IMU sample as the verifier hands it over.
    struct Sample { var accG: SIMD3<Float>; var gyroDps: SIMD3<Float>? }

    static func samples(_ s: IMUSeries) -> [Sample] {
        (0..<s.count).map { i in
            Sample(accG: SIMD3(s.accG[3 * i], s.accG[3 * i + 1], s.accG[3 * i + 2]),
                   gyroDps: s.gyroDps.map { SIMD3($0[3 * i], $0[3 * i + 1], $0[3 * i + 2]) })
        }
    }

    /// A fresh analyzer that keeps its own count of samples fed, so each chunk's start time comes from the stream
    /// position, never from the chunk's indices.
    static func analyzer(rateHz: Double, startSeconds: Double) -> StreamConsumer<Sample, GaitStreamEvent> {
        let a = StreamingGaitAnalyzer(rateHz: rateHz)
        var fed = 0
        var acc = ContiguousArray<Float>(), gyro = ContiguousArray<Float>()
        return StreamConsumer(
            feed: { chunk in
                acc.removeAll(keepingCapacity: true)
                gyro.removeAll(keepingCapacity: true)
                var hasGyro = true
                for s in chunk {
                    acc += [s.accG.x, s.accG.y, s.accG.z]
                    if let g = s.gyroDps { gyro += [g.x, g.y, g.z] } else { hasGyro = false }
                }
                let t0 = startSeconds + Double(fed) / rateHz
                fed += chunk.count
                return a.process(startSeconds: t0, accG: acc, gyroDps: hasGyro ? gyro : nil)
            },
            finish: { a.finish() })
    }

    /// Times rounded to 1 ns, every other field exact.
    static func agree(_ x: GaitStreamEvent, _ y: GaitStreamEvent) -> Bool {
        x == y || rounded(x) == rounded(y)
    }

    static func rounded(_ e: GaitStreamEvent) -> GaitStreamEvent {
        func r(_ t: Double) -> Double { (t * 1e9).rounded() / 1e9 }
        func step(_ s: GaitStep) -> GaitStep {
            var c = s
            c.t = r(s.t)
            c.fc = s.fc.map(r)
            return c
        }
        // `if case` rather than a switch: a case added later compares exactly instead of breaking this file.
        if case .step(let s) = e { return .step(step(s)) }
        if case .stepConfirmed(let s) = e { return .stepConfirmed(step(s)) }
        if case .stepRejected(let t) = e { return .stepRejected(r(t)) }
        if case .boutStarted(let t) = e { return .boutStarted(r(t)) }
        if case .boutEnded(let t) = e { return .boutEnded(r(t)) }
        if case .posture(var p) = e { p.startSeconds = r(p.startSeconds); p.endSeconds = r(p.endSeconds); return .posture(p) }
        if case .stride(var s) = e {
            s.icSeconds = r(s.icSeconds); s.nextIcSeconds = r(s.nextIcSeconds)
            s.meanDeg = (s.meanDeg * 1e6).rounded() / 1e6
            return .stride(s)
        }
        return e
    }

    func check(gyro: Bool, tiltDeg: Double) {
        var w = SyntheticWalker()
        w.walkSeconds = 25
        w.withGyro = gyro
        w.tiltWalkDeg = tiltDeg
        let (s, _) = w.generate()
        var v = ChunkInvarianceVerifier<Sample, GaitStreamEvent>(
            junk: Sample(accG: SIMD3(repeating: 1e6), gyroDps: SIMD3(repeating: 1e6)), maxChunk: 250,
            equivalent: Self.agree)
        v.randomRuns = 3
        let label = gyro ? "with gyroscope" : "acceleration only"
        let failures = v.failures(Self.samples(s)) { Self.analyzer(rateHz: s.rateHz, startSeconds: s.startSeconds) }
        XCTAssertEqual(failures.map(\.description), [], label)
        // The reference really holds a walk: the verifier compared steps, not two empty lists.
        let whole = Self.analyzer(rateHz: s.rateHz, startSeconds: s.startSeconds)
        let events = whole.feed(Self.samples(s)[...]) + whole.finish()
        XCTAssertGreaterThan(events.filter { if case .stepConfirmed = $0 { true } else { false } }.count, 30, label)
    }

    func testEventsDoNotDependOnBlockSizeWithGyroscope() { check(gyro: true, tiltDeg: 12) }

    func testEventsDoNotDependOnBlockSizeWithoutGyroscope() { check(gyro: false, tiltDeg: 0) }
}
