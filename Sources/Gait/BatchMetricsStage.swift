import Foundation

/// The bouts as reported: cadence, median step, regularity and the spatio-temporal and tilt metrics of each, and the
/// whole walk pooled (GaitMetrics). A bout may hold several runs of walking (Mobilise-D merges breaks ≤ 3 s): its
/// regularity is the IC-weighted mean over its runs (the autocorrelation must not span a pause), its walking time
/// and cadence leave the pauses out.
struct BoutMetricsStage {
    var bouts: [WalkingBout] = []
    var walk: GaitMetrics?

    static func run(_ sig: SessionSignals, runs: [BoutCandidate], boutOfRun: [Int], bouts: [BoutCandidate],
                    contacts: [BoutContacts], steps: [GaitStep], strides: [StrideTilt], startSeconds: Double,
                    config cfg: GaitConfig) -> BoutMetricsStage {
        let fs = sig.rateHz
        var out = BoutMetricsStage()
        var walk = MetricsAccumulator()
        var stepStart = 0
        var runIndex = 0
        sig.avHighPass.withUnsafeBufferPointer { hp in
            for (bi, b) in bouts.enumerated() {
                var icCount = 0
                var stepSum = 0.0, stepWeight = 0.0, strideSum = 0.0, strideWeight = 0.0
                var first: Int?, last = 0
                while runIndex < runs.count && boutOfRun[runIndex] == bi {
                    let ic = contacts[runIndex].ic
                    let regs = GaitRegularity.compute(hp, range: ic[0]..<(ic[ic.count - 1] + 1),
                                                      stepSamples: samples(runs[runIndex].stepSeconds, fs),
                                                      minLagFraction: cfg.regularityMinLagFraction,
                                                      maxLagFraction: cfg.regularityMaxLagFraction)
                    let w = Double(ic.count)
                    if let r = regs.step { stepSum += w * r; stepWeight += w }
                    if let r = regs.stride { strideSum += w * r; strideWeight += w }
                    icCount += ic.count
                    first = first ?? ic[0]
                    last = ic[ic.count - 1]
                    runIndex += 1
                }
                guard let firstIC = first else { continue }
                let slice = steps[stepStart..<(stepStart + icCount)]
                stepStart += icCount
                var acc = MetricsAccumulator()
                acc.addBout(slice, medianStepSeconds: b.stepSeconds, missedStepFactor: cfg.missedStepFactor,
                            maxStepSeconds: cfg.maxStepSeconds,
                            stepRegularity: stepWeight > 0 ? stepSum / stepWeight : nil,
                            strideRegularity: strideWeight > 0 ? strideSum / strideWeight : nil)
                for st in strides where st.bout == bi { acc.addStride(st) }
                walk.merge(acc)
                let metrics = acc.metrics()
                out.bouts.append(WalkingBout(index: bi, startSeconds: startSeconds + Double(firstIC) / fs,
                                             endSeconds: startSeconds + Double(last) / fs,
                                             stepCount: icCount,
                                             cadenceStepsPerMin: metrics.cadenceStepsPerMin ?? 0,
                                             medianStepSeconds: b.stepSeconds, periodicity: b.periodicity,
                                             lobeHeightG: b.lobeHeight, metrics: metrics))
            }
        }
        out.walk = out.bouts.isEmpty ? nil : walk.metrics()
        return out
    }
}
