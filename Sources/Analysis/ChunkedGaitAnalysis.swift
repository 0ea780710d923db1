import Foundation
import Gait

/// The batch gait analysis of a recording of any length in bounded memory: the IMU arrives in stretches of
/// `chunkSeconds` with `overlapSeconds` either side (`LoadedRecording.load(path:chunk:…)`), each stretch is
/// analysed by the ordinary `BatchGaitAnalyzer`, keeps only the steps, bouts, strides and posture events that begin
/// in the time it owns, and the parts are pooled (`GaitResult.pooled`).
///
/// Why: the batch analyzer holds the whole series and its per-sample work arrays (≈ 54 MB per hour of 100 Hz
/// IMU), so a 7-day free-living recording needed ≈ 9 GB. A stretch of an hour costs the same whatever the
/// recording's length. A recording shorter than one stretch is analysed whole, exactly as before. The neutral
/// posture found in the first stretch (or the wearer's calibration) is used for all of them, so tilt is relative
/// to one neutral; a bout that crosses a cut is counted as two bouts.
final class ChunkedGaitAnalysis {
    static let chunkSeconds = 3600.0
    static let overlapSeconds = 60.0

    let config: GaitConfig
    private var calibration: TiltCalibration?
    private var parts: [GaitResult] = []

    init(config: GaitConfig, calibration: TiltCalibration?) {
        self.config = config
        self.calibration = calibration
    }

    func add(_ series: IMUSeries, owns: Range<Double>) {
        var r = BatchGaitAnalyzer(config: config, calibration: calibration).analyze(series)
        if calibration == nil { calibration = r.calibration }
        if owns.lowerBound.isFinite || owns.upperBound.isFinite {
            r.steps = r.steps.filter { owns.contains($0.t) }
            let keptBouts = Set(r.bouts.filter { owns.contains($0.startSeconds) }.map(\.index))
            r.bouts = r.bouts.filter { keptBouts.contains($0.index) }
            r.steps = r.steps.filter { keptBouts.contains($0.bout) }
            r.strideTilts = r.strideTilts.filter { keptBouts.contains($0.bout) }
            r.postureEvents = r.postureEvents.filter { owns.contains($0.startSeconds) }
        }
        parts.append(r)
    }

    var result: GaitResult? { GaitResult.pooled(parts, config: config) }
}
