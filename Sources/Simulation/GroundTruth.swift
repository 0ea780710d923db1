import Foundation

/// Exact ground truth of a simulated session (`gaitpop simulate --truth F.json`); schema in docs/TRUTH-FORMAT.md.
/// Times are seconds since the session's first sample (the same time base every gaitpop output uses).
public struct GroundTruth: Codable, Equatable, Sendable {
    public var schema = "gaitpop-truth"
    public var version = 1
    public var scenario: String
    public var seed: UInt64
    public var durationS: Double
    public var imuRateHz: Int
    public var audioRateHz: Int
    public var gyroscope: Bool
    public var mount: Scenario.Mount
    public var clockDriftPpm: Double
    public var noiseFloorDbfs: Double
    public var mainsHz: Double
    public var bouts: [WalkSchedule.Bout]
    public var initialContacts: [Contact]
    public var finalContacts: [Contact]
    public var strides: [Stride]
    public var acousticEvents: [Event]
    public var markers: [MarkerTruth]
    public var tilt: TiltTruth
    /// The walk's randomised acoustic physics, when it had any (`--acoustic-family`).
    public var acoustics: AcousticModel?

    public struct Contact: Codable, Equatable, Sendable {
        public var t: Double
        public var side: Side
        public var bout: Int
        /// Initial contacts only: the pelvis's vertical excursion (max − min height, metres) over the step that ends
        /// here (from the previous contact of the bout), from the model's own linear acceleration — the reference
        /// for the inverted-pendulum step length (docs/GAIT.md); nil for a bout's first contact.
        public var verticalExcursionM: Double? = nil
    }

    /// From one left initial contact to the next, with the tilt the pelvis really had over it.
    public struct Stride: Codable, Equatable, Sendable {
        public var side: Side
        public var icT: Double
        public var nextIcT: Double
        public var fcT: Double
        public var stanceS: Double
        public var swingS: Double
        public var tiltMeanDeg: Double
        public var tiltRomDeg: Double
    }

    public struct Event: Codable, Equatable, Sendable {
        public var onsetS: Double
        public var kind: WalkSchedule.EventKind
        public var durationS: Double
        public var levelDbfs: Double
        public var snrDb: Double
        /// Percent of the stride since the most recent left initial contact, and the named phase; nil when the
        /// event is outside a complete stride.
        public var cyclePercent: Double?
        public var phase: String?
        /// The leg whose initial contact came last (the loading leg), and the percent of that leg's stride since it.
        public var stanceLeg: Side?
        public var legCyclePercent: Double?
    }

    public struct MarkerTruth: Codable, Equatable, Sendable {
        public var t: Double
        public var kind: String
    }

    public struct TiltTruth: Codable, Equatable, Sendable {
        public var walkingDeg: Double
        public var romDeg: Double
        /// Full range from the tilt-range exercise, if the scenario has one.
        public var anteriorLimitDeg: Double?
        public var posteriorLimitDeg: Double?
    }

    public init(scenario sc: Scenario, seed: UInt64, schedule: WalkSchedule, gait: GaitSignalModel) {
        scenario = sc.name
        self.seed = seed
        durationS = sc.durationSeconds
        imuRateHz = sc.imuRateHz
        audioRateHz = sc.audioRateHz
        gyroscope = sc.gyroscope
        mount = sc.mount
        clockDriftPpm = sc.clockDriftPPM
        noiseFloorDbfs = sc.acoustics?.background.noiseDbfs ?? sc.audio.floorDbfs
        acoustics = sc.acoustics
        mainsHz = sc.audio.humHz
        bouts = schedule.bouts
        initialContacts = schedule.steps.enumerated().map { i, s in
            let prev = i > 0 && schedule.steps[i - 1].bout == s.bout ? schedule.steps[i - 1].icSeconds : nil
            return Contact(t: s.icSeconds, side: s.side, bout: s.bout,
                           verticalExcursionM: prev.map { GroundTruth.verticalExcursion(gait, from: $0, to: s.icSeconds) })
        }
        finalContacts = schedule.steps.map { Contact(t: $0.fcSeconds, side: $0.side, bout: $0.bout) }
        var strides: [Stride] = []
        let steps = schedule.steps
        for (i, s) in steps.enumerated() {
            guard let j = steps[(i + 1)...].firstIndex(where: { $0.side == s.side }), steps[j].bout == s.bout
            else { continue }
            let a = s.icSeconds, b = steps[j].icSeconds
            var sum = 0.0, lo = Double.infinity, hi = -Double.infinity, n = 0
            var c = 0
            var t = a
            while t < b {
                let v = gait.angles(at: t, cursor: &c).tilt
                sum += v; lo = min(lo, v); hi = max(hi, v); n += 1
                t += 0.001
            }
            strides.append(Stride(side: s.side, icT: a, nextIcT: b, fcT: s.fcSeconds, stanceS: s.fcSeconds - a,
                                  swingS: b - s.fcSeconds, tiltMeanDeg: sum / Double(max(n, 1)),
                                  tiltRomDeg: hi - lo))
        }
        self.strides = strides
        acousticEvents = schedule.events.map { e in
            let cp = schedule.cyclePercent(at: e.onsetSeconds)
            let leg = schedule.legPhase(at: e.onsetSeconds)
            return Event(onsetS: e.onsetSeconds, kind: e.kind, durationS: e.durationSeconds, levelDbfs: e.levelDbfs,
                         snrDb: e.snrDb, cyclePercent: cp, phase: cp.map { WalkSchedule.phaseName(cyclePercent: $0) },
                         stanceLeg: leg?.side, legCyclePercent: leg?.cyclePercent)
        }
        markers = schedule.markers.map { MarkerTruth(t: $0.seconds, kind: $0.kind) }
        let move = schedule.tiltMoves.first
        tilt = TiltTruth(walkingDeg: sc.tilt.walkingDeg, romDeg: sc.tilt.romDeg, anteriorLimitDeg: move?.anteriorDeg,
                         posteriorLimitDeg: move?.posteriorDeg)
    }

    /// Height range of the pelvis over [from, to] (metres): the model's vertical linear acceleration integrated
    /// twice at 1 kHz, noise-free, in walking axes and at the exact contact times. The model walks on a periodic
    /// trajectory (each step's acceleration has zero mean: the vertical speed returns to its value at the contact,
    /// and the height to its own), so the step's mean acceleration and mean speed are the integration constants.
    static func verticalExcursion(_ gait: GaitSignalModel, from a: Double, to b: Double) -> Double {
        let dt = 0.001
        let n = Int(((b - a) / dt).rounded(.down)) + 1
        guard n >= 3 else { return 0 }
        var acc = [Double](repeating: 0, count: n)
        var c = 0
        for i in 0..<n { acc[i] = gait.linearAccelerationG(at: a + Double(i) * dt, cursor: &c).z * 9.80665 }
        let meanA = acc.reduce(0, +) / Double(n)
        var v = [Double](repeating: 0, count: n)
        for i in 1..<n { v[i] = v[i - 1] + 0.5 * (acc[i - 1] + acc[i] - 2 * meanA) * dt }
        let meanV = v.reduce(0, +) / Double(n)
        var z = 0.0, lo = 0.0, hi = 0.0
        for i in 1..<n {
            z += 0.5 * (v[i - 1] + v[i] - 2 * meanV) * dt
            lo = min(lo, z); hi = max(hi, z)
        }
        return hi - lo
    }

    public func write(to path: String) throws {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        try e.encode(self).write(to: URL(fileURLWithPath: path))
    }

    public static func read(from path: String) throws -> GroundTruth {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return try d.decode(GroundTruth.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
