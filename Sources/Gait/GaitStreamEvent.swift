/// What the streaming analyzer reports, in the order it learns it (docs/research/gait/ALGORITHM.md §8).
///
/// A step first arrives as `.step` within ≈ 0.3 s of its IC, provisional (walking not yet decided, FC not yet
/// known, side predicted by alternation). About 1.3–2 s later it is either confirmed — `.stepConfirmed` with its
/// bout, side and FC, the values the batch analyzer would give — or dropped with `.stepRejected(t)`.
public enum GaitStreamEvent: Equatable, Sendable {
    /// A new IC, provisional.
    case step(GaitStep)
    /// A step confirmed as walking (final bout, side and FC); `t` matches the earlier `.step`.
    case stepConfirmed(GaitStep)
    /// The provisional step at this IC time turned out not to be walking.
    case stepRejected(Double)
    /// A bout was opened (at its 4th walking IC); the value is its first IC, session seconds.
    case boutStarted(Double)
    /// The bout ended; the value is its last IC.
    case boutEnded(Double)
    /// Sustained anterior tilt: once live (`ongoing`) when it reaches the duration, once more when it ends.
    case posture(PostureEvent)
    /// Pelvic angles of a completed stride.
    case stride(StrideTilt)
}
