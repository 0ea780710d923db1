import Foundation
import Gait
import Recording
import SensorProtocol

/// Reads what the batch analysis needs from a recording in one streaming pass: the IMU as one equally spaced
/// series (gaps from lost samples filled by holding the last value, so sample index = time × rate stays true),
/// device markers and host notes, and the session's device description. Audio is not kept: it is handed to
/// `onAudio` block by block (an hour of 16 kHz audio would not fit the report's memory budget).
public struct LoadedRecording {
    public var header: SessionHeader
    public var info: DeviceInfo?
    public var imu: IMUSeries?
    public var markers: [MarkerEvent] = []
    public var hostNotes: [(tSeconds: Double, note: NoteRecord)] = []
    public var durationSeconds = 0.0
    public var warnings: [String] = []
    public var filledIMUSamples = 0
    /// Rate and gyroscope of the IMU stream (set in both whole and chunked loading).
    public var imuRateHz: Double?
    public var imuHasGyroscope = false
    /// Places where a later pass over the same file can start decoding (`ResumePoint`), in file order: at most
    /// `ResumePoint.maxKept`, spaced evenly through the file.
    public var resumePoints: [ResumePoint] = []

    /// A position mid-file with the session clock as it stood there, so a pass that only needs the recording from
    /// some time on (the report's second pop half) skips decoding what comes before.
    public struct ResumePoint: Sendable {
        public var position: ReplayPosition
        public var clock: SampleAssembler.ResumeState
        /// Kept in bounds (an hour of 16 kHz audio gives ~250 KiB apart; a week halves the density repeatedly).
        static let maxKept = 512

        /// The last point before which no audio block ends at or after `seconds`: a pass starting there hands
        /// out every audio block from `seconds` on, exactly as one from the beginning. Nil when there is none.
        public static func last(in points: [ResumePoint], beforeAudioReaches seconds: Double) -> ResumePoint? {
            points.last { $0.clock.latestAudioEndSeconds < seconds }
        }
    }

    /// Loads the IMU in stretches instead of whole (see `ChunkedGaitAnalysis`): each time `chunk.seconds` plus
    /// twice `chunk.overlapSeconds` have been read, `onIMUChunk` gets that series and the time span it owns
    /// (the overlaps let an analyzer look ahead and behind across the cut); the series is then dropped but for the
    /// overlap. `imu` stays nil. A recording shorter than one stretch arrives as one series owning all time.
    public static func load(path: String, chunk: (seconds: Double, overlapSeconds: Double),
                            onIMUChunk: @escaping (IMUSeries, _ owns: Range<Double>) -> Void,
                            onAudio: ((AudioSamples) -> Void)? = nil) throws -> LoadedRecording {
        try load(path: path, chunk: Optional(chunk), onIMUChunk: onIMUChunk, onAudio: onAudio)
    }

    public static func load(path: String, onAudio: ((AudioSamples) -> Void)? = nil) throws -> LoadedRecording {
        try load(path: path, chunk: nil, onIMUChunk: nil, onAudio: onAudio)
    }

    static func load(path: String, chunk: (seconds: Double, overlapSeconds: Double)?,
                     onIMUChunk: ((IMUSeries, Range<Double>) -> Void)?,
                     onAudio: ((AudioSamples) -> Void)?) throws -> LoadedRecording {
        let replay = try RecordingReplay(path: path)
        let asm = SampleAssembler(info: replay.header.device)
        var out = LoadedRecording(header: replay.header, info: replay.header.device)
        let imu = IMUSeriesBuilder(chunk: chunk.flatMap { c in onIMUChunk.map { (c, $0) } })
        asm.onIMU = { imu.append($0) }
        asm.onAudio = onAudio
        asm.onMarker = { out.markers.append($0) }
        replay.onFrame = { f, _ in asm.consume(f) }
        replay.onLinkEvent = { _, host in asm.linkReset(atSessionSeconds: host) }
        replay.onNote = { n, _ in out.hostNotes.append((max(0, asm.latestSeconds), n)) }
        var points: [ResumePoint] = []
        replay.onResumePoint = { [unowned replay] p in
            points.append(ResumePoint(position: p, clock: asm.resumeState))
            if points.count == ResumePoint.maxKept {
                // Keep every other point and space the next ones twice as far apart: the density stays even.
                points = stride(from: 0, to: points.count, by: 2).map { points[$0] }
                replay.resumeSpacingBytes *= 2
            }
        }
        replay.run()
        out.info = asm.info ?? replay.header.device
        out.imu = imu.finish()
        if let rate = imu.rateHz {
            out.imuRateHz = rate
            out.imuHasGyroscope = imu.hasGyroscope
        }
        out.durationSeconds = asm.latestSeconds
        out.resumePoints = points
        out.warnings = replay.damageWarnings
        out.filledIMUSamples = imu.filled
        if imu.skipped > 0 {
            out.warnings.append("\(imu.skipped) IMU blocks after implausible clock jumps were left out of the gait analysis")
        }
        return out
    }
}

/// IMU blocks → one equally spaced series: each block placed at its own time, a gap from lost samples filled by
/// holding the last sample (at most 5 min per gap and 2 h in all, so memory stays bounded whatever the file says),
/// blocks from before what is held (a clock re-anchored backwards) skipped, never reordered. With `chunk`, the series
/// is handed out in stretches with overlaps and dropped but for the overlap.
final class IMUSeriesBuilder {
    typealias Chunking = (size: (seconds: Double, overlapSeconds: Double), handler: (IMUSeries, Range<Double>) -> Void)
    private let chunk: Chunking?
    private var acc = ContiguousArray<Float>()
    private var gyro = ContiguousArray<Float>()
    private var start: Double?
    private var rate = 0.0
    private(set) var hasGyroscope = false
    private(set) var filled = 0
    private(set) var skipped = 0
    /// Chunked loading: samples already handed out and dropped, and where the next stretch's ownership begins.
    private var dropped = 0
    private var ownsFrom = -Double.infinity

    init(chunk: Chunking?) { self.chunk = chunk }

    var rateHz: Double? { start != nil && rate > 0 ? rate : nil }

    func append(_ b: IMUSamples) {
        if start == nil {
            start = b.tSeconds
            rate = b.rateHz
            hasGyroscope = b.gyroDps != nil
            acc.reserveCapacity(3 * 60 * Int(rate))
        }
        let x = ((b.tSeconds - start!) * rate).rounded()
        guard x.isFinite, abs(x) < 1e12 else { skipped += 1; return }
        let expectedIndex = Int(x)
        let have = dropped + acc.count / 3
        if expectedIndex > have, have > 0 {
            // Link losses last seconds; a jump of minutes is a confused or rebooted device clock.
            let gap = expectedIndex - have
            guard gap <= Int(rate * 300), filled + gap <= Int(rate * 7200) else { skipped += 1; return }
            holdLast(gap)
        } else if expectedIndex < have - b.count {
            return
        }
        acc.append(contentsOf: b.accG)
        if hasGyroscope {
            if let g = b.gyroDps { gyro.append(contentsOf: g) } else { gyro.append(contentsOf: repeatElement(0, count: 3 * b.count)) }
        }
        if let c = chunk, Double(acc.count / 3) >= (c.size.seconds + 2 * c.size.overlapSeconds) * rate { emit(final: false) }
    }

    private func holdLast(_ gap: Int) {
        let lastA = Array(acc[(acc.count - 3)...])
        let lastG = hasGyroscope ? Array(gyro[(gyro.count - 3)...]) : []
        for _ in 0..<gap {
            acc.append(contentsOf: lastA)
            if hasGyroscope { gyro.append(contentsOf: lastG) }
        }
        filled += gap
    }

    private func emit(final: Bool) {
        guard let s = start, rate > 0, let c = chunk, !acc.isEmpty else { return }
        let n = acc.count / 3
        let seriesStart = s + Double(dropped) / rate
        let seriesEnd = seriesStart + Double(n) / rate
        let ownsTo = final ? Double.infinity : seriesEnd - c.size.overlapSeconds
        c.handler(IMUSeries(startSeconds: seriesStart, rateHz: rate, accG: acc, gyroDps: hasGyroscope ? gyro : nil),
                  ownsFrom..<ownsTo)
        ownsFrom = ownsTo
        guard !final else { return }
        // Keep two overlaps: the next stretch looks back one overlap before the time it owns.
        let keep = min(n, Int(2 * c.size.overlapSeconds * rate))
        acc.removeFirst(3 * (n - keep))
        if hasGyroscope { gyro.removeFirst(3 * (n - keep)) }
        dropped += n - keep
    }

    /// The whole series (unchunked), or nil after handing out the last stretch (chunked) or when there was no IMU.
    func finish() -> IMUSeries? {
        if chunk != nil {
            emit(final: true)
            acc = []
            gyro = []
            return nil
        }
        guard let s = start, rate > 0 else { return nil }
        return IMUSeries(startSeconds: s, rateHz: rate, accG: acc, gyroDps: hasGyroscope ? gyro : nil)
    }
}
