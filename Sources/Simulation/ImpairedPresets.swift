import Foundation

/// Walkers who do not walk like the lab (issue 11): slow, shuffling, variable, asymmetric, with walking aids, short
/// bouts, starts, stops and turns. Ranges follow published gait of these groups: people with multiple sclerosis walk
/// at ≈ 90–100 steps/min with step-time CV 4–8 % and asymmetry up to ≈ 10 % (Socie & Sosnoff 2013); people with
/// Parkinson's disease take short shuffling steps at normal or raised cadence with reduced vertical excursion and
/// turn en bloc over 3–4 s (Mirelman et al. 2019); walking-aid users walk at 40–70 steps/min with long stance;
/// free-living walking is mostly bouts of a few strides (Del Din et al. 2016: most bouts last < 10 s).
extension Scenario {
    /// Presets of impaired and free-living walking. `…-tuning` variants may be used to choose thresholds; the plain
    /// names with other seeds are the held-out check (docs/VALIDATION.md).
    public static let impairedPresetNames = ["ms-like", "parkinson-like", "walking-aid", "free-living"]

    static func impairedPreset(_ name: String) -> Scenario? {
        var s = Scenario()
        s.name = name
        switch name {
        case "ms-like":
            s.durationSeconds = 60
            s.gait.stepTimeCV = 0.06
            s.gait.asymmetry = 0.08
            s.gait.intensity = 0.7
            s.gait.stanceFraction = 0.64
            s.segments = [Segment(.stand, seconds: 3),
                          Segment(.walk, seconds: 16, cadence: 94, turns: [Turn(atSeconds: 8, degrees: 180, seconds: 2.5)]),
                          Segment(.stand, seconds: 4),
                          Segment(.walk, seconds: 9, cadence: 88),
                          Segment(.stand, seconds: 5),
                          Segment(.walk, seconds: 20, cadence: 98, turns: [Turn(atSeconds: 10, degrees: -180, seconds: 3)])]
        case "parkinson-like":
            s.durationSeconds = 60
            s.gait.stepTimeCV = 0.05
            s.gait.asymmetry = 0.05
            s.gait.intensity = 0.45            // shuffling: small vertical excursions
            s.gait.stanceFraction = 0.66
            s.tilt.romDeg = 2.5
            s.tilt.rotationRomDeg = 5           // stiff trunk, en-bloc turns
            s.segments = [Segment(.stand, seconds: 3),
                          Segment(.walk, seconds: 22, cadence: 118, turns: [Turn(atSeconds: 10, degrees: 180, seconds: 3.5)]),
                          Segment(.stand, seconds: 4),
                          Segment(.walk, seconds: 7, cadence: 112),
                          Segment(.stand, seconds: 4),
                          Segment(.walk, seconds: 18, cadence: 122, turns: [Turn(atSeconds: 8, degrees: -180, seconds: 4)])]
        case "walking-aid":
            s.durationSeconds = 75
            s.gait.stepTimeCV = 0.08
            s.gait.asymmetry = 0.12
            s.gait.intensity = 0.6
            s.gait.stanceFraction = 0.72
            s.segments = [Segment(.stand, seconds: 3),
                          Segment(.walk, seconds: 30, cadence: 44, turns: [Turn(atSeconds: 15, degrees: 180, seconds: 4)]),
                          Segment(.stand, seconds: 5),
                          Segment(.walk, seconds: 30, cadence: 56)]
        case "free-living":
            // Bouts of 2–10 strides with pauses of 3.5–8 s, changing speed and turns (up to 180° in 2–4 steps).
            s.durationSeconds = 90
            s.gait.stepTimeCV = 0.05
            s.gait.asymmetry = 0.04
            s.gait.intensity = 0.8
            s.segments = [Segment(.stand, seconds: 2),
                          Segment(.walk, seconds: 3.2, cadence: 100),
                          Segment(.stand, seconds: 4),
                          Segment(.walk, seconds: 11, cadence: 108, turns: [Turn(atSeconds: 5, degrees: 180, seconds: 2)]),
                          Segment(.stand, seconds: 6),
                          Segment(.walk, seconds: 5, cadence: 86, turns: [Turn(atSeconds: 2, degrees: 90, seconds: 1.5)]),
                          Segment(.stand, seconds: 3.5),
                          Segment(.walk, seconds: 7.5, cadence: 112),
                          Segment(.stand, seconds: 8),
                          Segment(.walk, seconds: 4, cadence: 92, turns: [Turn(atSeconds: 1.5, degrees: -120, seconds: 1.8)]),
                          Segment(.stand, seconds: 5),
                          Segment(.walk, seconds: 9, cadence: 104, turns: [Turn(atSeconds: 4, degrees: 180, seconds: 2.2)]),
                          Segment(.stand, seconds: 4),
                          Segment(.walk, seconds: 3.5, cadence: 96)]
        default:
            return nil
        }
        return s
    }
}
