/// Pelvic angles over one stride (IC to the next IC of the same foot), relative to the wearer's neutral standing
/// posture (docs/research/gait/ALGORITHM.md §6).
///
/// Signs: + tilt = anterior (top of the pelvis forward), + obliquity = right iliac crest up, + rotation = pelvis
/// turning left (counter-clockwise seen from above). Ranges are max − min within the stride.
public struct StrideTilt: Codable, Equatable, Sendable {
    public var icSeconds: Double
    public var nextIcSeconds: Double
    public var side: Side
    public var bout: Int
    /// Mean sagittal tilt over the stride. Valid without a gyroscope: the mean linear acceleration over a stride is
    /// ≈ 0 at steady speed, so it does not bias the mean.
    public var meanDeg: Double
    /// Tilt range of motion; `nil` without a gyroscope, because linear acceleration contaminates the gravity angle
    /// within a stride (0.1 g AP ≈ 6°).
    public var romDeg: Double?
    /// Frontal-plane (obliquity) range of motion from the integrated gyroscope, linear trend over the stride removed.
    public var obliquityRomDeg: Double?
    /// Transverse-plane (rotation) range of motion from the integrated gyroscope, linear trend removed (so turning
    /// while walking does not count).
    public var rotationRomDeg: Double?
    /// `meanDeg` as a percent of the wearer's own range from the pelvic-tilt exercise (+ of the anterior limit,
    /// − of the posterior limit); `nil` without those limits.
    public var meanPercentOfRange: Double?

    public init(icSeconds: Double, nextIcSeconds: Double, side: Side, bout: Int, meanDeg: Double, romDeg: Double?,
                obliquityRomDeg: Double?, rotationRomDeg: Double?, meanPercentOfRange: Double?) {
        self.icSeconds = icSeconds
        self.nextIcSeconds = nextIcSeconds
        self.side = side
        self.bout = bout
        self.meanDeg = meanDeg
        self.romDeg = romDeg
        self.obliquityRomDeg = obliquityRomDeg
        self.rotationRomDeg = rotationRomDeg
        self.meanPercentOfRange = meanPercentOfRange
    }
}
