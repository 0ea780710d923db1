import Foundation

/// Causal gait analysis for live data (docs/research/gait/ALGORITHM.md §8): feed blocks as they arrive; each step comes out within
/// ≈ 0.3 s of its IC, walking status, side and FC follow when they are decided, and `phase(at:)` gives a live phase
/// estimate between steps.
///
/// Same signals and rules as the batch analyzer, computed one sample at a time: the EMAs are causal, the Gaussian
/// FIRs are the batch filters delayed by their half-width (bit-identical outputs), the cycle signal uses
/// SIG_CYCLE = 0.045 s to keep the latency under 0.3 s, and every decision that needs the future (lobe suppression,
/// periodicity, hysteresis, bout end, FC) waits exactly as long as it must. Memory is bounded: ring buffers of
/// ≈ 10 s of signals and the last `streamingStepHistory` step candidates, whatever the session length.
///
/// Differences from batch (documented in docs/GAIT.md): a lobe is final when the cycle signal drops below 50 % of its
/// peak or the latency budget runs out (batch: tallest within ±0.25 s); the forward axis is a running pooled
/// estimate with forgetting, so left/right needs about ten steps (or a gyroscope); the left/right parity is decided
/// over the last 8 confirmed steps plus 2 look-ahead candidates instead of the whole run.
public final class StreamingGaitAnalyzer {
    public let rateHz: Double
    public let config: GaitConfig

    // constants in samples
    let kCycle, kFine, kSlope, kAxis, kYaw: GaussianKernel
    let aGravity, aHighPass: Double
    let minLobeDistance, peakFrom, peakTo, riseFrom, riseTo, fcStart, regHalfWindow: Int
    let maxStep: Double
    let maxLatency: Int
    /// Worst delay from an a_v peak to its candidate being created (lobe suppression window + FIR delay + window).
    let maxLobeLatency: Int

    // signal rings (absolute sample index)
    let times: SampleRing<Double>
    let av, avHighPass, cycle, fine, slope: SampleRing<Double>
    let up: SampleRing<SIMD3<Double>>
    /// acc − ema(acc, TAU_HP) per axis (scalar rings: the 3-axis FIR is the heaviest per-sample work)
    let linearX, linearY, linearZ: SampleRing<Double>
    let horizontal: SampleRing<SIMD3<Double>>
    let vertical: SampleRing<Double>
    let yaw, yawBandPass: SampleRing<Double>
    let gyro: SampleRing<SIMD3<Double>>
    let theta: SampleRing<Double>

    // per-sample state
    var index = -1
    var scale: Double?
    var hasGyro = false
    var gravity = SIMD3<Double>(repeating: 0)
    var highPassLevel = 0.0
    var linearLevel = SIMD3<Double>(repeating: 0)
    var yawLevel = 0.0
    var finished = false
    var quiet: QuietStandingDetector
    var tilt: TiltEstimator
    var explicitCalibration: Bool
    var calibrationState: TiltCalibration?
    var calibrationWindowEnd = -1
    /// Sum of the up direction at every confirmed IC and the first one's time: the running walk-average neutral.
    var walkUpSum = SIMD3<Double>(repeating: 0)
    var walkUpFirstSeconds: Double?
    var latestTilt: Double?

    // lobes and candidates
    var pendingLobe: (index: Int, value: Double)?
    var lastFinalLobe: Int?
    var lastPeakAny: Int?
    var lobeQueue: [(index: Int, value: Double)] = []
    var candidates: [Candidate] = []
    var firstSeq = 0
    var nextSeq = 0
    var nextFCSeq = 0
    var nextRegSeq = 0
    var scratch = ContiguousArray<Double>()
    var prefix = ContiguousArray<Double>()

    // runs and bouts
    var runMembers: [Int] = []
    var runOpen = false
    var runLastPeak: Int?
    var runLastSeq = -1
    var boutId = -1
    var nextBoutId = 0
    /// A bout whose last run has ended but which a run starting within `maxBoutBreakSeconds` of its last IC
    /// continues (Mobilise-D); `.boutEnded` waits until that can no longer happen.
    var lingeringBout: (id: Int, lastPeak: Int, endSeconds: Double)?
    var lastConfirmedSeq: Int?
    var boutConfirmed: [Int] = []
    /// Confirmed first steps of an alternation run inside an open bout, not yet emitted
    /// (`GaitConfig.streamingRunHoldSteps`, `flushHeldSteps`).
    var heldSteps: [Int] = []
    var recentIntervals: [Int] = []
    var stepSamples: Double

    // forward axis and laterality
    var axisStats = ForwardAxisStatistics()
    var axisSteps = 0
    var forwardAxis: SIMD3<Double>?
    var leftAxis: SIMD3<Double>?
    var axisSign: Double?
    var scoreScaleAcc: Double?
    var scoreScaleGyro: Double?
    var subHistory: [Int] = []
    var posture: PostureMonitor

    var events: [GaitStreamEvent] = []

    /// `calibration`: a neutral posture to use (e.g. from `TiltCalibration.fromPelvicTiltExercise`); without it the
    /// first ≥ 2 s of quiet standing in the stream is used.
    public init(rateHz: Double, config: GaitConfig = .init(), calibration: TiltCalibration? = nil) {
        precondition(rateHz > 0, "rateHz must be positive")
        self.rateHz = rateHz
        self.config = config
        let fs = rateHz
        kCycle = GaussianKernel(sigmaSeconds: config.streamingSigmaCycleSeconds, rateHz: fs)
        kFine = GaussianKernel(sigmaSeconds: config.sigmaFineSeconds, rateHz: fs)
        kSlope = GaussianKernel(sigmaSeconds: config.sigmaFineSeconds, rateHz: fs, derivative: true)
        kAxis = GaussianKernel(sigmaSeconds: config.sigmaAxisSeconds, rateHz: fs)
        kYaw = GaussianKernel(sigmaSeconds: config.sigmaLateralitySeconds, rateHz: fs)
        aGravity = emaCoefficient(tauSeconds: config.tauGravitySeconds, rateHz: fs)
        aHighPass = emaCoefficient(tauSeconds: config.tauHighPassSeconds, rateHz: fs)
        minLobeDistance = samples(config.minStepSeconds, fs)
        peakFrom = samples(config.peakWindowStartSeconds, fs)
        peakTo = samples(config.peakWindowEndSeconds, fs)
        riseFrom = samples(config.riseWindowStartSeconds, fs)
        riseTo = samples(config.riseWindowEndSeconds, fs)
        fcStart = samples(config.finalContactWindowStartSeconds, fs)
        regHalfWindow = Int(config.regularityHalfWindowSeconds * fs)
        maxStep = config.maxStepSeconds * fs
        maxLatency = Int((config.streamingMaxLatencySeconds * fs).rounded())
        maxLobeLatency = minLobeDistance + kCycle.half + Swift.max(-peakFrom, 0) + 1
        stepSamples = config.streamingInitialStepSeconds * fs
        // ≈ 2·W_REG + 4·STEP_MAX + 1 s: the oldest sample still needed (a bout opening at its 4th walking step
        // revisits the first one's window) stays inside the rings
        let halfWindowSeconds = Swift.max(config.regularityHalfWindowSeconds,
                                          config.regularityMinHalfWindowSteps * config.maxStepSeconds)
        let seconds = 2 * halfWindowSeconds + 4 * config.maxStepSeconds + 1
        let cap = Int((seconds * fs).rounded(.up)) + 2 * kYaw.half + maxLobeLatency
        times = SampleRing(minimumCapacity: cap, filler: 0)
        av = SampleRing(minimumCapacity: cap, filler: 0)
        avHighPass = SampleRing(minimumCapacity: cap, filler: 0)
        cycle = SampleRing(minimumCapacity: cap, filler: 0)
        fine = SampleRing(minimumCapacity: cap, filler: 0)
        slope = SampleRing(minimumCapacity: cap, filler: 0)
        up = SampleRing(minimumCapacity: cap, filler: SIMD3(0, 0, 1))
        linearX = SampleRing(minimumCapacity: cap, filler: 0)
        linearY = SampleRing(minimumCapacity: cap, filler: 0)
        linearZ = SampleRing(minimumCapacity: cap, filler: 0)
        horizontal = SampleRing(minimumCapacity: cap, filler: SIMD3(repeating: 0))
        vertical = SampleRing(minimumCapacity: cap, filler: 0)
        yaw = SampleRing(minimumCapacity: cap, filler: 0)
        yawBandPass = SampleRing(minimumCapacity: cap, filler: 0)
        gyro = SampleRing(minimumCapacity: cap, filler: SIMD3(repeating: 0))
        theta = SampleRing(minimumCapacity: cap, filler: .nan)
        quiet = QuietStandingDetector(config: config, rateHz: fs)
        tilt = TiltEstimator(config: config, rateHz: fs)
        posture = PostureMonitor(config: config)
        explicitCalibration = calibration != nil
        calibrationState = calibration
        candidates.reserveCapacity(config.streamingStepHistory + 1)
        events.reserveCapacity(16)
    }

    // MARK: public API

    /// Feeds `count` samples starting at session time `startSeconds` (interleaved x,y,z; acceleration in g or m/s²,
    /// decided on the first block; gyroscope in deg/s, optional — its presence is fixed by the first block, and later
    /// blocks without it are fed as zero rate). Returns the events this block produced. No allocation per sample.
    public func process(startSeconds: Double, accG: UnsafeBufferPointer<Float>, gyroDps: UnsafeBufferPointer<Float>?,
                        count: Int) -> [GaitStreamEvent] {
        guard !finished, count > 0 else { return [] }
        precondition(accG.count >= 3 * count, "accG holds fewer than count triples")
        if let g = gyroDps { precondition(g.count >= 3 * count, "gyroDps holds fewer than count triples") }
        if scale == nil {
            scale = InputUnits.scaleToG(accG, count: count, threshold: config.metresPerSecondSquaredThreshold)
            hasGyro = gyroDps != nil
        }
        let sc = scale ?? 1
        let dt = 1 / rateHz
        for j in 0..<count {
            let a = SIMD3(Double(accG[3 * j]), Double(accG[3 * j + 1]), Double(accG[3 * j + 2])) * sc
            var w: SIMD3<Double>?
            if hasGyro {
                if let g = gyroDps {
                    w = SIMD3(Double(g[3 * j]), Double(g[3 * j + 1]), Double(g[3 * j + 2]))
                } else {
                    w = SIMD3(repeating: 0)
                }
            }
            ingest(accG: a, gyroDps: w, tSeconds: startSeconds + Double(j) * dt)
        }
        return takeEvents()
    }

    /// Convenience for arrays.
    public func process(startSeconds: Double, accG: ContiguousArray<Float>, gyroDps: ContiguousArray<Float>?)
        -> [GaitStreamEvent] {
        let n = accG.count / 3
        return accG.withUnsafeBufferPointer { a in
            if let g = gyroDps {
                return g.withUnsafeBufferPointer { process(startSeconds: startSeconds, accG: a, gyroDps: $0, count: n) }
            }
            return process(startSeconds: startSeconds, accG: a, gyroDps: nil, count: n)
        }
    }

    /// Ends the stream: flushes the filters (edge-padded like batch), decides every pending step and closes the
    /// open bout. Later calls to `process` are ignored.
    public func finish() -> [GaitStreamEvent] {
        guard !finished else { return [] }
        finished = true
        let last = index
        if last >= 0 {
            for j in stride(from: fine.newest + 1, through: last, by: 1) { produceFine(j, last: last) }
            for j in stride(from: horizontal.newest + 1, through: last, by: 1) { produceAxis(j, last: last) }
            if hasGyro {
                for j in stride(from: yawBandPass.newest + 1, through: last, by: 1) { produceYaw(j, last: last) }
            }
            for j in stride(from: cycle.newest + 1, through: last, by: 1) { produceCycle(j, last: last) }
            if let p = pendingLobe { lobeQueue.append(p); lastFinalLobe = p.index; pendingLobe = nil }
            service(final: true)
            if runLastPeak != nil { closeRun() }
            endLingeringBout()
            for seq in firstSeq..<nextSeq where candidates[seq - firstSeq].fate == .pending { reject(seq) }
        }
        return takeEvents()
    }

    /// Pelvic tilt of the newest sample (degrees, + anterior, relative to neutral standing); nil until a neutral and
    /// the left axis are known.
    public var currentTiltDeg: Double? { latestTilt }

    /// The neutral posture in use: explicit, else the quiet standing window found so far, else (walking without a
    /// standing start) the running average posture of the walk so far, `source` "walk_average".
    public var calibration: TiltCalibration? { calibrationState }

    /// Running forward and left axes in sensor coordinates (nil until `streamingMinAxisSteps` walking steps).
    public var forwardSensor: SIMD3<Double>? { forwardAxis }
    public var leftSensor: SIMD3<Double>? { leftAxis }

    /// Live gait phase at `t` (normally "now" or the time of a pop), from the recent steps; between steps the last
    /// stride's duration carries the cycle on (for at most one stride). Nil when not walking or sides are unknown.
    public func phase(at t: Double) -> GaitPhase? {
        guard runOpen || runMembers.count >= 2 else { return nil }
        var entries: [GaitPhaseTimeline.Entry] = []
        entries.reserveCapacity(config.streamingPhaseSteps)
        var seq = nextSeq - 1
        while seq >= firstSeq && entries.count < config.streamingPhaseSteps {
            let c = candidates[seq - firstSeq]
            if c.ic < times.oldest { break }
            if c.fate != .rejected {
                entries.append(GaitPhaseTimeline.Entry(t: times[c.ic], side: c.side,
                                                       fc: c.fc.flatMap { $0 >= times.oldest ? times[$0] : nil },
                                                       bout: runOpen ? boutId : -1, index: c.seq))
            }
            seq -= 1
        }
        entries.reverse()
        guard let firstT = entries.first?.t, t >= firstT else { return nil }
        var k = entries.count - 1
        while k > 0 && entries[k].t > t { k -= 1 }
        guard t - entries[k].t <= config.maxStepSeconds + Double(maxLobeLatency) / rateHz else { return nil }
        return GaitPhaseTimeline.phase(at: t, entries: entries, k: k, extrapolate: true,
                                       maxStrideSeconds: 2 * config.maxStepSeconds)
    }

    /// What the analyzer holds: ring capacity (samples, constant) and retained step records (bounded).
    public struct Footprint: Equatable, Sendable {
        public var ringSamples: Int
        public var retainedSteps: Int
    }

    public var footprint: Footprint {
        let rings = [times.capacity, av.capacity, avHighPass.capacity, cycle.capacity, fine.capacity, slope.capacity,
                     up.capacity, linearX.capacity, linearY.capacity, linearZ.capacity, horizontal.capacity, vertical.capacity, yaw.capacity,
                     yawBandPass.capacity, gyro.capacity, theta.capacity].reduce(0, +)
        let steps = candidates.count + runMembers.count + lobeQueue.count + boutConfirmed.count + subHistory.count
            + heldSteps.count
            + recentIntervals.count + events.count
        return Footprint(ringSamples: rings, retainedSteps: steps)
    }

    // MARK: per sample

    func takeEvents() -> [GaitStreamEvent] {
        let out = events
        events = []
        return out
    }

    func ingest(accG a: SIMD3<Double>, gyroDps w: SIMD3<Double>?, tSeconds: Double) {
        index += 1
        let i = index
        times.append(tSeconds)
        if i == 0 {
            gravity = a
            linearLevel = a
        } else {
            gravity += aGravity * (a - gravity)
            linearLevel += aHighPass * (a - linearLevel)
        }
        let u = gravity.normalized
        let v = a.dot(u)
        if i == 0 { highPassLevel = v } else { highPassLevel += aHighPass * (v - highPassLevel) }
        av.append(v)
        avHighPass.append(v - highPassLevel)
        up.append(u)
        linearX.append(a.x - linearLevel.x)
        linearY.append(a.y - linearLevel.y)
        linearZ.append(a.z - linearLevel.z)
        if hasGyro {
            let rate = w ?? SIMD3(repeating: 0)
            gyro.append(rate)
            let y = rate.dot(u)
            if i == 0 { yawLevel = y } else { yawLevel += aHighPass * (y - yawLevel) }
            yaw.append(y - yawLevel)
        }
        updateCalibration(accG: a, gyroDps: w)
        let th = tilt.update(accG: a, gyroDps: w)
        latestTilt = th
        theta.append(th ?? .nan)
        if i >= kFine.half { produceFine(i - kFine.half, last: i) }
        if i >= kAxis.half { produceAxis(i - kAxis.half, last: i) }
        if hasGyro && i >= kYaw.half { produceYaw(i - kYaw.half, last: i) }
        if i >= kCycle.half { produceCycle(i - kCycle.half, last: i) }
        service(final: false)
    }

    /// y[j] = Σ k[m]·x[j+m] over the ring, indices clamped to [0, last] (the batch edge padding).
    @inline(__always)
    func correlate(_ x: SampleRing<Double>, _ k: GaussianKernel, at j: Int, last: Int) -> Double {
        k.correlate(x, at: j, first: 0, last: last)
    }

    func produceFine(_ j: Int, last: Int) {
        fine.append(correlate(av, kFine, at: j, last: last))
        slope.append(correlate(av, kSlope, at: j, last: last))
    }

    /// Filtered acceleration for the forward axis and the ML score: gauss(acc − ema(acc, TAU_HP), σ_axis), split
    /// into its vertical value and horizontal vector with u of the same sample.

    func produceAxis(_ j: Int, last: Int) {
        let a = SIMD3(correlate(linearX, kAxis, at: j, last: last), correlate(linearY, kAxis, at: j, last: last),
                      correlate(linearZ, kAxis, at: j, last: last))
        let u = up[j]
        let v = a.dot(u)
        vertical.append(v)
        horizontal.append(a - v * u)
    }

    func produceYaw(_ j: Int, last: Int) {
        yawBandPass.append(correlate(yaw, kYaw, at: j, last: last))
    }

    func updateCalibration(accG a: SIMD3<Double>, gyroDps w: SIMD3<Double>?) {
        guard !explicitCalibration else {
            if !tilt.hasAxes { refreshTiltAxes() }
            return
        }
        quiet.update(index: index, accG: a, gyroDps: w)
        if let win = quiet.window, win.endIndex != calibrationWindowEnd {
            calibrationWindowEnd = win.endIndex
            calibrationState = TiltCalibration(neutralUpSensor: win.up, source: "standing_window",
                                               startSeconds: times[index] - Double(index - win.startIndex) / rateHz,
                                               endSeconds: times[index] + 1 / rateHz)
            refreshTiltAxes()
        }
    }

    /// Without quiet standing or a calibration, mean tilt is relative to the walk's own average posture, as in batch
    /// (`StrideTiltStage`): the mean up direction at the confirmed ICs so far, updated at each one (a slowly
    /// settling neutral; batch uses the whole walk's). Quiet standing found later replaces it.
    func noteWalkingPosture(_ c: Candidate) {
        guard !explicitCalibration, c.ic >= up.oldest, c.ic <= up.newest else { return }
        let t = times[c.ic]
        walkUpSum += up[c.ic]
        if walkUpFirstSeconds == nil { walkUpFirstSeconds = t }
        guard leftAxis != nil,
              calibrationState == nil || calibrationState?.source == TiltCalibration.walkAverageSource else { return }
        calibrationState = TiltCalibration(neutralUpSensor: walkUpSum, source: TiltCalibration.walkAverageSource,
                                           startSeconds: walkUpFirstSeconds, endSeconds: t)
        refreshTiltAxes()
    }

    /// Neutral from the calibration, left from walking (or from the calibration exercise until walking gives it).
    func refreshTiltAxes() {
        guard let cal = calibrationState, let left = leftAxis ?? cal.leftSensor else { return }
        tilt.setAxes(neutralUp: cal.neutralUpSensor, left: left)
    }
}
