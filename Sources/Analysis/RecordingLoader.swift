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
        var acc = ContiguousArray<Float>()
        var gyro = ContiguousArray<Float>()
        var rate = 0.0
        var start: Double?
        var hasGyro = false
        var out = LoadedRecording(header: replay.header, info: replay.header.device)
        var filled = 0
        var skipped = 0
        // Chunked loading: samples already handed out and dropped, and where the next stretch's ownership begins.
        var dropped = 0
        var ownsFrom = -Double.infinity
        func emit(final: Bool) {
            guard let s = start, rate > 0, let chunk, let onIMUChunk, !acc.isEmpty else { return }
            let n = acc.count / 3
            let seriesStart = s + Double(dropped) / rate
            let seriesEnd = seriesStart + Double(n) / rate
            let ownsTo = final ? Double.infinity : seriesEnd - chunk.overlapSeconds
            onIMUChunk(IMUSeries(startSeconds: seriesStart, rateHz: rate, accG: acc, gyroDps: hasGyro ? gyro : nil),
                       ownsFrom..<ownsTo)
            ownsFrom = ownsTo
            guard !final else { return }
            // Keep two overlaps: the next stretch looks back one overlap before the time it owns.
            let keep = min(n, Int(2 * chunk.overlapSeconds * rate))
            acc.removeFirst(3 * (n - keep))
            if hasGyro { gyro.removeFirst(3 * (n - keep)) }
            dropped += n - keep
        }
        asm.onIMU = { b in
            if start == nil {
                start = b.tSeconds
                rate = b.rateHz
                hasGyro = b.gyroDps != nil
                acc.reserveCapacity(3 * 60 * Int(rate))
            }
            // Place the block at its own time; fill a gap by holding the last sample.
            let x = ((b.tSeconds - start!) * rate).rounded()
            guard x.isFinite, abs(x) < 1e12 else { skipped += 1; return }
            let expectedIndex = Int(x)
            let have = dropped + acc.count / 3
            if expectedIndex > have, have > 0 {
                // Link losses last seconds; a jump of minutes is a confused or rebooted device clock. Fill at most
                // 5 min per gap and 2 h in all (memory stays bounded whatever the file says); beyond, skip the block.
                let want = expectedIndex - have
                guard want <= Int(rate * 300), filled + want <= Int(rate * 7200) else { skipped += 1; return }
                let gap = want
                let lastA = Array(acc[(acc.count - 3)...])
                let lastG = hasGyro ? Array(gyro[(gyro.count - 3)...]) : []
                for _ in 0..<gap {
                    acc.append(contentsOf: lastA)
                    if hasGyro { gyro.append(contentsOf: lastG) }
                }
                filled += gap
            } else if expectedIndex < have - b.count {
                return // a block from before what we have (clock re-anchored backwards): skip, never reorder
            }
            acc.append(contentsOf: b.accG)
            if hasGyro {
                if let g = b.gyroDps { gyro.append(contentsOf: g) } else {
                    gyro.append(contentsOf: repeatElement(0, count: 3 * b.count))
                }
            }
            if let chunk, Double(acc.count / 3) >= (chunk.seconds + 2 * chunk.overlapSeconds) * rate { emit(final: false) }
        }
        asm.onAudio = onAudio
        asm.onMarker = { out.markers.append($0) }
        replay.onFrame = { f, _ in asm.consume(f) }
        replay.onLinkEvent = { _, host in asm.linkReset(atSessionSeconds: host) }
        replay.onNote = { n, host in out.hostNotes.append((max(0, asm.latestSeconds), n)) }
        replay.run()
        out.info = asm.info ?? replay.header.device
        if chunk != nil {
            emit(final: true)
            acc = []
            gyro = []
        } else if let s = start, rate > 0 {
            out.imu = IMUSeries(startSeconds: s, rateHz: rate, accG: acc, gyroDps: hasGyro ? gyro : nil)
        }
        if start != nil, rate > 0 {
            out.imuRateHz = rate
            out.imuHasGyroscope = hasGyro
        }
        out.durationSeconds = asm.latestSeconds
        out.warnings = replay.damageWarnings
        out.filledIMUSamples = filled
        if skipped > 0 {
            out.warnings.append("\(skipped) IMU blocks after implausible clock jumps were left out of the gait analysis")
        }
        return out
    }
}
