/// Watches stride-mean tilts for sustained exaggerated anterior tilt while walking.
///
/// A run is a sequence of strides, each starting at most `maxGapSeconds` after the previous one, all with
/// mean tilt ≥ `anteriorTiltAlertDeg`; it becomes a `PostureEvent` once it spans `anteriorTiltAlertSeconds`
/// (first stride's IC to last stride's closing IC). Stride means are used, not samples, because without a gyroscope
/// only the stride mean is free of linear-acceleration error (docs/research/gait/ALGORITHM.md §6).
struct PostureMonitor {
    let thresholdDeg: Double
    let minSeconds: Double
    let maxGapSeconds: Double

    private var start: Double?
    private var end = 0.0
    private var lastStart = 0.0
    private var sum = 0.0
    private var count = 0
    private var maxTilt = -Double.infinity
    private var alerted = false

    init(config: GaitConfig) {
        thresholdDeg = config.anteriorTiltAlertDeg
        minSeconds = config.anteriorTiltAlertSeconds
        maxGapSeconds = 2 * config.maxStepSeconds
    }

    /// Adds a stride (in time order). Returns the live alert (ongoing) when a run first reaches the duration, and
    /// the final event of a run that this stride ends.
    mutating func add(_ s: StrideTilt) -> [PostureEvent] {
        var out: [PostureEvent] = []
        if start != nil && (s.meanDeg < thresholdDeg || s.icSeconds - lastStart > maxGapSeconds) {
            if let e = finish() { out.append(e) }
        }
        guard s.meanDeg >= thresholdDeg else { return out }
        if start == nil {
            start = s.icSeconds; sum = 0; count = 0; maxTilt = -Double.infinity; alerted = false
        }
        lastStart = s.icSeconds
        end = Swift.max(end, s.nextIcSeconds)
        sum += s.meanDeg; count += 1
        maxTilt = Swift.max(maxTilt, s.meanDeg)
        if !alerted, let st = start, end - st >= minSeconds {
            alerted = true
            out.append(PostureEvent(startSeconds: st, endSeconds: end, meanTiltDeg: sum / Double(count),
                                    maxTiltDeg: maxTilt, ongoing: true))
        }
        return out
    }

    /// Ends the current run; returns its event if it lasted long enough.
    mutating func finish() -> PostureEvent? {
        defer { start = nil; end = 0; alerted = false }
        guard let st = start, count > 0, end - st >= minSeconds else { return nil }
        return PostureEvent(startSeconds: st, endSeconds: end, meanTiltDeg: sum / Double(count), maxTiltDeg: maxTilt,
                            ongoing: false)
    }
}
