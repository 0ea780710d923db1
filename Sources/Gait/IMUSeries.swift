/// A block of equally spaced IMU samples, the input of the batch analyzer.
///
/// Axes are the sensor's own, in any mounting (upright, upside down, on the side of the hip): the analyzer finds
/// vertical and forward itself (docs/research/gait/ALGORITHM.md §2). The sensor frame must be right-handed, which matters only for the
/// sign of gyroscope-derived angles.
public struct IMUSeries: Sendable {
    /// Session time of sample 0, seconds.
    public var startSeconds: Double
    /// Sampling rate; every window of the algorithm is given in seconds and scaled by this (validated 50–400 Hz).
    public var rateHz: Double
    /// Specific force, interleaved x,y,z, in g. Data in m/s² is recognised (median |acc| > 4) and converted.
    public var accG: ContiguousArray<Float>
    /// Angular rate, interleaved x,y,z, in deg/s, same frame and length as `accG`; optional.
    public var gyroDps: ContiguousArray<Float>?

    public init(startSeconds: Double = 0, rateHz: Double, accG: ContiguousArray<Float>,
                gyroDps: ContiguousArray<Float>? = nil) {
        precondition(rateHz > 0, "rateHz must be positive")
        precondition(accG.count % 3 == 0, "accG holds interleaved x,y,z triples")
        if let g = gyroDps { precondition(g.count == accG.count, "gyroDps must have the layout and length of accG") }
        self.startSeconds = startSeconds
        self.rateHz = rateHz
        self.accG = accG
        self.gyroDps = gyroDps
    }

    /// Number of samples (triples).
    public var count: Int { accG.count / 3 }

    /// Session time of sample `index`.
    public func tSeconds(ofSample index: Int) -> Double { startSeconds + Double(index) / rateHz }
}
