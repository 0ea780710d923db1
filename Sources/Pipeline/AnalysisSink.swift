import Analysis
import SensorDevice
import SensorProtocol

/// Feeds a live device session into the analysis pipeline: frames → timed samples → gait + pops + alerts.
/// The same `StreamingAnalysis` replay uses, so live and replay print the same lines.
public final class AnalysisSink: SessionSink {
    public let assembler = SampleAssembler()
    public let analysis: StreamingAnalysis
    public private(set) var link = LinkStats()

    public init(analysis: StreamingAnalysis) {
        self.analysis = analysis
        assembler.onIMU = { analysis.imu($0) }
        assembler.onAudio = { analysis.audio($0) }
        assembler.onMarker = { analysis.marker($0) }
    }

    public func session(frame: FrameView, hostNanos: Int64) throws {
        assembler.consume(frame)
    }

    public func session(event: SessionEvent, hostNanos: Int64) throws {
        if case .reconnected = event { assembler.linkReset(atSessionSeconds: Double(hostNanos) / 1e9) }
    }

    public func session(tick stats: LinkStats, hostNanos: Int64) throws {
        link = stats
    }
}
