/// A posture finding while walking: so far only sustained exaggerated anterior pelvic tilt, which the domain notes
/// name as worth avoiding (engage the abdominals slightly).
///
/// Raised when consecutive strides all have a mean tilt ≥ `GaitConfig.anteriorTiltAlertDeg` (relative to neutral
/// standing) over at least `anteriorTiltAlertSeconds`.
public struct PostureEvent: Codable, Equatable, Sendable {
    public static let sustainedAnteriorTilt = "sustained_anterior_tilt"

    /// `"sustained_anterior_tilt"`.
    public var kind: String
    /// IC that starts the first stride of the run.
    public var startSeconds: Double
    /// IC that ends the last stride of the run so far.
    public var endSeconds: Double
    /// Mean of the stride-mean tilts of the run, degrees.
    public var meanTiltDeg: Double
    /// Largest stride-mean tilt of the run, degrees.
    public var maxTiltDeg: Double
    /// Streaming only: `true` for the live alert raised when the run first reaches the duration (the run is still
    /// going on); a second event with `false` follows when it ends. Batch events are always `false`.
    public var ongoing: Bool

    public init(kind: String = PostureEvent.sustainedAnteriorTilt, startSeconds: Double, endSeconds: Double,
                meanTiltDeg: Double, maxTiltDeg: Double, ongoing: Bool = false) {
        self.kind = kind
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.meanTiltDeg = meanTiltDeg
        self.maxTiltDeg = maxTiltDeg
        self.ongoing = ongoing
    }
}
