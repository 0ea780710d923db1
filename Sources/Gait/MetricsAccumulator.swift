/// Collects the per-step and per-stride quantities of one or more bouts and turns them into `GaitMetrics`.
/// See `GaitMetrics` and docs/GAIT.md for the definitions.
struct MetricsAccumulator {
    var boutCount = 0
    /// Stretches of continuous walking: a bout's steps split at pauses longer than STEP_MAX (Mobilise-D keeps pauses
    /// of up to 3 s inside a bout; they are not walking time and their interval is not a step).
    var runCount = 0
    var icCount = 0
    var walkingSeconds = 0.0
    var stepTimes: [Double] = []
    var strideTimes: [Double] = []
    var stance: [Double] = []
    var doubleSupport: [Double] = []
    var leftSteps: [Double] = []
    var rightSteps: [Double] = []
    /// Step lengths and the times of the same steps (for the speed).
    var stepLengths: [Double] = []
    var stepLengthSeconds = 0.0
    var stepRegSum = 0.0, stepRegWeight = 0.0
    var strideRegSum = 0.0, strideRegWeight = 0.0
    var tiltMeans: [Double] = []
    var tiltRoms: [Double] = []
    var obliquityRoms: [Double] = []
    var rotationRoms: [Double] = []

    /// Adds a bout's steps (time order). Intervals are used only inside alternation runs (no gap longer than
    /// `missedStepFactor` × `medianStepSeconds`); walking time is the bout's span less its pauses (gaps longer than
    /// `maxStepSeconds`, STEP_MAX).
    mutating func addBout(_ steps: ArraySlice<GaitStep>, medianStepSeconds: Double, missedStepFactor: Double,
                          maxStepSeconds: Double, stepRegularity: Double?, strideRegularity: Double?) {
        let s = Array(steps)
        guard let first = s.first else { return }
        boutCount += 1
        icCount += s.count
        var runStart = first.t
        runCount += 1
        for k in s.indices.dropFirst() where s[k].t - s[k - 1].t > maxStepSeconds {
            walkingSeconds += s[k - 1].t - runStart
            runStart = s[k].t
            runCount += 1
        }
        walkingSeconds += s[s.count - 1].t - runStart
        let maxGap = missedStepFactor * medianStepSeconds
        var a = 0
        while a < s.count {
            var b = a
            while b + 1 < s.count && s[b + 1].t - s[b].t <= maxGap { b += 1 }
            if b > a {
                for k in a..<b {
                    let st = s[k + 1].t - s[k].t
                    stepTimes.append(st)
                    if s[k + 1].side == .left { leftSteps.append(st) }
                    if s[k + 1].side == .right { rightSteps.append(st) }
                    if let l = s[k + 1].stepLengthM { stepLengths.append(l); stepLengthSeconds += st }
                }
            }
            if b >= a + 2 {
                for k in a...(b - 2) {
                    let stride = s[k + 2].t - s[k].t
                    guard stride > 0 else { continue }
                    strideTimes.append(stride)
                    // own FC of the foot of IC k is the opposite-foot FC stored on IC k + 1
                    if let f = s[k + 1].fc, f > s[k + 1].t, f < s[k + 2].t {
                        stance.append(100 * (f - s[k].t) / stride)
                    }
                    if let f0 = s[k].fc, let f1 = s[k + 1].fc, f0 > s[k].t, f0 < s[k + 1].t,
                       f1 > s[k + 1].t, f1 < s[k + 2].t {
                        doubleSupport.append(100 * ((f0 - s[k].t) + (f1 - s[k + 1].t)) / stride)
                    }
                }
            }
            a = b + 1
        }
        let w = Double(s.count)
        if let r = stepRegularity { stepRegSum += w * r; stepRegWeight += w }
        if let r = strideRegularity { strideRegSum += w * r; strideRegWeight += w }
    }

    mutating func addStride(_ t: StrideTilt) {
        tiltMeans.append(t.meanDeg)
        if let r = t.romDeg { tiltRoms.append(r) }
        if let r = t.obliquityRomDeg { obliquityRoms.append(r) }
        if let r = t.rotationRomDeg { rotationRoms.append(r) }
    }

    mutating func merge(_ o: MetricsAccumulator) {
        boutCount += o.boutCount
        runCount += o.runCount
        icCount += o.icCount
        walkingSeconds += o.walkingSeconds
        stepTimes += o.stepTimes
        strideTimes += o.strideTimes
        stance += o.stance
        doubleSupport += o.doubleSupport
        leftSteps += o.leftSteps
        rightSteps += o.rightSteps
        stepLengths += o.stepLengths
        stepLengthSeconds += o.stepLengthSeconds
        stepRegSum += o.stepRegSum; stepRegWeight += o.stepRegWeight
        strideRegSum += o.strideRegSum; strideRegWeight += o.strideRegWeight
        tiltMeans += o.tiltMeans
        tiltRoms += o.tiltRoms
        obliquityRoms += o.obliquityRoms
        rotationRoms += o.rotationRoms
    }

    func metrics() -> GaitMetrics {
        var m = GaitMetrics(boutCount: boutCount, stepCount: icCount, walkingSeconds: walkingSeconds)
        m.stepTimeSeconds = Stats.mean(stepTimes)
        m.strideTimeSeconds = Stats.mean(strideTimes)
        if walkingSeconds > 0 && icCount > runCount {
            m.cadenceStepsPerMin = 60 * Double(icCount - runCount) / walkingSeconds
        }
        m.stancePercent = Stats.mean(stance)
        m.swingPercent = m.stancePercent.map { 100 - $0 }
        m.doubleSupportPercent = Stats.mean(doubleSupport)
        if let sd = Stats.sampleSD(stepTimes), let mean = m.stepTimeSeconds, mean > 0 { m.stepTimeCVPercent = 100 * sd / mean }
        if let sd = Stats.sampleSD(strideTimes), let mean = m.strideTimeSeconds, mean > 0 {
            m.strideTimeCVPercent = 100 * sd / mean
        }
        if let l = Stats.mean(leftSteps), let r = Stats.mean(rightSteps), l + r > 0 {
            m.stepTimeAsymmetryPercent = 100 * (l - r) / (0.5 * (l + r))
        }
        if stepRegWeight > 0 { m.stepRegularity = stepRegSum / stepRegWeight }
        if strideRegWeight > 0 { m.strideRegularity = strideRegSum / strideRegWeight }
        m.tiltMeanDeg = Stats.mean(tiltMeans)
        m.tiltRomDeg = Stats.mean(tiltRoms)
        m.obliquityRomDeg = Stats.mean(obliquityRoms)
        m.rotationRomDeg = Stats.mean(rotationRoms)
        m.stepLengthM = Stats.mean(stepLengths)
        if stepLengthSeconds > 0 { m.speedMPerS = stepLengths.reduce(0, +) / stepLengthSeconds }
        return m
    }
}
