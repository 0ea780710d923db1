import Foundation
import Recording
import SensorProtocol

/// Plays a recording through the streaming analysis — the same pipeline live capture uses — at a chosen speed:
/// real time (1), faster (N), or as fast as possible (`nil`).
public final class RecordingPlayer {
    public let replay: RecordingReplay
    public let assembler: SampleAssembler
    public let analysis: StreamingAnalysis
    /// Host notes (pain key, typed notes) in session time.
    public var onNote: ((NoteRecord, Double) -> Void)?

    public init(path: String, analysis: StreamingAnalysis) throws {
        replay = try RecordingReplay(path: path)
        assembler = SampleAssembler(info: replay.header.device)
        self.analysis = analysis
        assembler.onIMU = { analysis.imu($0) }
        assembler.onAudio = { analysis.audio($0) }
        assembler.onMarker = { analysis.marker($0) }
        replay.onFrame = { [assembler] f, _ in assembler.consume(f) }
        replay.onLinkEvent = { [assembler] _, host in assembler.linkReset(atSessionSeconds: host) }
        replay.onNote = { [weak self] n, _ in
            guard let self else { return }
            self.onNote?(n, self.assembler.latestSeconds)
        }
    }

    /// Plays to the end (or until `shouldStop`). `speed` nil = as fast as possible.
    public func play(speed: Double?, shouldStop: () -> Bool = { false }) {
        let wallStart = Date()
        while !shouldStop() {
            guard replay.step(maxRecords: 1) else { break }
            // Wait until the wall clock has caught up with the data just played (the old loop slept at most
            // 0.25 s per second of data, so "real time" ran about 4× fast). Short naps keep Ctrl-C and the
            // dashboard's q responsive.
            if let s = speed, s > 0 {
                while !shouldStop() {
                    let ahead = assembler.latestSeconds / s - Date().timeIntervalSince(wallStart)
                    if ahead <= 0.002 { break }
                    usleep(useconds_t(min(ahead, 0.05) * 1e6))
                }
            }
        }
        analysis.finish()
    }
}
