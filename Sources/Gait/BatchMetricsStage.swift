import Foundation

/// The bouts as reported: cadence, median step, regularity and the spatio-temporal and tilt metrics of each, and the
/// whole walk pooled (GaitMetrics).
struct BoutMetricsStage {
    var bouts: [WalkingBout] = []
    var walk: GaitMetrics?

    static func run(_ sig: SessionSignals, bouts: [BoutCandidate], contacts: [BoutContacts], steps: [GaitStep],
                    strides: [StrideTilt], startSeconds: Double, config cfg: GaitConfig) -> BoutMetricsStage {
        let fs = sig.rateHz
        var out = BoutMetricsStage()
        var walk = MetricsAccumulator()
        var stepStart = 0
        sig.avHighPass.withUnsafeBufferPointer { hp in
            for (bi, b) in bouts.enumerated() {
                let ic = contacts[bi].ic
                let slice = steps[stepStart..<(stepStart + ic.count)]
                stepStart += ic.count
                let regs = GaitRegularity.compute(hp, range: ic[0]..<(ic[ic.count - 1] + 1),
                                                  stepSamples: samples(b.stepSeconds, fs),
                                                  minLagFraction: cfg.regularityMinLagFraction,
                                                  maxLagFraction: cfg.regularityMaxLagFraction)
                var acc = MetricsAccumulator()
                acc.addBout(slice, medianStepSeconds: b.stepSeconds, missedStepFactor: cfg.missedStepFactor,
                            stepRegularity: regs.step, strideRegularity: regs.stride)
                for st in strides where st.bout == bi { acc.addStride(st) }
                walk.merge(acc)
                let span = Double(ic[ic.count - 1] - ic[0]) / fs
                out.bouts.append(WalkingBout(index: bi, startSeconds: startSeconds + Double(ic[0]) / fs,
                                             endSeconds: startSeconds + Double(ic[ic.count - 1]) / fs,
                                             stepCount: ic.count,
                                             cadenceStepsPerMin: span > 0 ? 60 * Double(ic.count - 1) / span : 0,
                                             medianStepSeconds: b.stepSeconds, periodicity: b.periodicity,
                                             lobeHeightG: b.lobeHeight, metrics: acc.metrics()))
            }
        }
        out.walk = out.bouts.isEmpty ? nil : walk.metrics()
        return out
    }
}
