/// Which foot made an initial contact.
///
/// `unknown` is a real answer, not an error: without a gyroscope the streaming analyzer needs about ten walking steps
/// before it knows the forward axis (and therefore left from right), and a bout whose forward direction could not be
/// estimated keeps its steps but not their sides.
public enum Side: String, Codable, Sendable, CaseIterable {
    case left, right, unknown

    /// The other foot (`unknown` stays `unknown`).
    public var opposite: Side {
        switch self {
        case .left: return .right
        case .right: return .left
        case .unknown: return .unknown
        }
    }
}
