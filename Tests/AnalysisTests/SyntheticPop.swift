@testable import PopEvents

/// A pop event with chosen spectral and time features, for tests of what comes *after* detection (patterns,
/// clustering): the detector is not involved, so the test states the features its stage may read.
enum SyntheticPop {
    static func event(at tSeconds: Double, kind: PopKind, durationSeconds: Double, centroidHz: Double,
                      bandwidthHz: Double, peakHz: Double, microImpulses: Int, riseSeconds: Double,
                      decaySeconds: Double) -> PopEvent {
        let f = PopFeatures(spectralCentroidHz: centroidHz, spectralBandwidthHz: bandwidthHz, peakFrequencyHz: peakHz,
                            crestFactor: 7, kurtosis: 9, microImpulses: microImpulses, riseTimeSeconds: riseSeconds,
                            decaySeconds: decaySeconds, thumpRatioDb: -10, nearContact: false, clipped: false)
        return PopEvent(tSeconds: tSeconds, durationSeconds: durationSeconds, kind: kind, confidence: 0.9,
                        levelDbfs: -40, snrDb: 15, features: f)
    }
}
