import Foundation
import SensorProtocol

/// The stages of `SessionImporter.run`, each small enough to read: CSV rows packed into IMU blocks, WAV samples cut
/// into audio blocks, and both interleaved into the wire stream in device-time order, as the firmware would have
/// sent them.

/// IMU rows → blocks of up to 10 equally spaced samples, quantised to the importer's full-scale ranges. A time gap
/// (a row later than one sample period after the previous) closes the block, so every block stays equally spaced.
struct IMUBlockPacker {
    let rateHz: Double
    let channels: Int
    /// Device time (µs) of a CSV time (s).
    let deviceMicros: (Double) -> Double
    private(set) var clippedValues = 0
    private(set) var timeGaps = 0
    private var pending: (tFirst: Double, index: Int, samples: [Int16])?
    private var lastT: Double?
    private let accScale = 32768 / Double(SessionImporter.accRangeG)
    private let gyroScale = 32768 / Double(SessionImporter.gyroRangeDps)

    init(rateHz: Double, hasGyroscope: Bool, deviceMicros: @escaping (Double) -> Double) {
        self.rateHz = rateHz
        channels = hasGyroscope ? 6 : 3
        self.deviceMicros = deviceMicros
    }

    private mutating func q(_ v: Double, _ scale: Double) -> Int16 {
        let x = (v * scale).rounded()
        if x > 32767 || x < -32768 { clippedValues += 1 }
        return Int16(max(-32768, min(32767, x)))
    }

    /// Adds a row at sample `index`; returns the block it closed, if any.
    mutating func add(_ row: IMURow, index: Int) -> (t: Double, payload: [UInt8])? {
        let gap = lastT.map { row.tSeconds - ($0 + 1 / rateHz) > 0.5 / rateHz } ?? false
        if gap { timeGaps += 1 }
        var closed: (t: Double, payload: [UInt8])?
        if pending == nil || gap || pending!.samples.count / channels >= 10 {
            closed = close()
            pending = (row.tSeconds, index, [])
            pending!.samples.reserveCapacity(10 * channels)
        }
        pending!.samples += [q(row.accG.x, accScale), q(row.accG.y, accScale), q(row.accG.z, accScale)]
        if let g = row.gyroDps { pending!.samples += [q(g.x, gyroScale), q(g.y, gyroScale), q(g.z, gyroScale)] }
        lastT = row.tSeconds
        return closed
    }

    /// The block being filled, closed.
    mutating func close() -> (t: Double, payload: [UInt8])? {
        guard let p = pending else { return nil }
        pending = nil
        let t = deviceMicros(p.tFirst)
        return (t, IMUBlockHeader.encode(tFirstMicros: UInt64(t), firstIndex: UInt32(truncatingIfNeeded: p.index),
                                         channels: channels, samples: p.samples))
    }
}

/// A WAV read in 10 ms audio blocks stamped with their device time.
final class ImportAudioBlocks {
    let wav: WAVReader
    let offsetSeconds: Double
    /// Device time (µs) of a time on the CSV's clock (s).
    let deviceMicros: (Double) -> Double
    private(set) var samplesRead = 0
    private var buffer: [Float] = []
    private var done = false
    private let blockFrames: Int

    init(wav: WAVReader, offsetSeconds: Double, deviceMicros: @escaping (Double) -> Double) {
        self.wav = wav
        self.offsetSeconds = offsetSeconds
        self.deviceMicros = deviceMicros
        blockFrames = max(1, wav.sampleRateHz / 100)
    }

    /// Seconds (CSV clock) just after the last sample read.
    var endSeconds: Double { offsetSeconds + Double(samplesRead) / Double(wav.sampleRateHz) }

    func next() throws -> (t: Double, payload: [UInt8])? {
        guard !done else { return nil }
        let n = try wav.read(into: &buffer, maxFrames: blockFrames)
        if n == 0 { done = true; return nil }
        var pcm = [Int16](repeating: 0, count: n)
        for i in 0..<n { pcm[i] = Int16(max(-32768, min(32767, (Double(buffer[i]) * 32768).rounded()))) }
        let t = deviceMicros(offsetSeconds + Double(samplesRead) / Double(wav.sampleRateHz))
        let p = AudioBlockHeader.encode(tFirstMicros: UInt64(t), firstIndex: UInt32(truncatingIfNeeded: samplesRead),
                                        samples: pcm)
        samplesRead += n
        return (t, p)
    }
}

/// Interleaves IMU and audio blocks into wire frames in device-time order and hands them to the session writer in
/// 32 KiB pieces, each stamped with the host time it stands for (device time since `baseMicros`).
///
/// Marks go in at their time: a device marker as a MARKER frame between the blocks around it (as the firmware sends
/// it); a host note as a note record right after the wire holding the blocks that start before it, because readers
/// place a host note at the latest sample time seen when they meet it.
final class ImportFrameWriter {
    let writer: SessionWriter
    let baseMicros: Double
    private var encoder = FrameEncoder()
    private var wire: [UInt8] = []
    private var imuBlocks: [(t: Double, payload: [UInt8])] = []
    private let audio: ImportAudioBlocks?
    private var nextAudio: (t: Double, payload: [UInt8])?
    private let markers: [ImportMarker]
    private var nextMarker = 0
    /// Device time (µs) of a mark's time on the CSV axis; asked only once the first CSV row has fixed that axis.
    private let markerMicros: (Double) -> Double
    private(set) var marksWritten = 0

    init(writer: SessionWriter, audio: ImportAudioBlocks?, baseMicros: Double, info: DeviceInfo, link: String,
         markers: [ImportMarker] = [], markerMicros: @escaping (Double) -> Double = { $0 * 1e6 }) throws {
        self.writer = writer
        self.audio = audio
        self.baseMicros = baseMicros
        self.markers = markers.enumerated().sorted { ($0.element.tSeconds, $0.offset) < ($1.element.tSeconds, $1.offset) }
            .map(\.element)
        self.markerMicros = markerMicros
        try writer.appendLinkEvent(LinkEventRecord(event: .connected, link: link, device: info), hostNanos: 0)
        encoder.encode(.deviceInfo, payload: info.encoded(), into: &wire)
        nextAudio = try audio?.next()
    }

    /// Queues an IMU block; every 64 blocks, writes out what is half a second older than the oldest queued.
    func add(imuBlock b: (t: Double, payload: [UInt8])) throws {
        imuBlocks.append(b)
        if imuBlocks.count >= 64 { try flush(upTo: imuBlocks.first!.t + 0.5e6) }
    }

    /// Emits queued IMU blocks and audio blocks that start before `limitMicros`, in time order.
    func flush(upTo limitMicros: Double) throws {
        imuBlocks.sort { $0.t < $1.t }
        var k = 0
        while true {
            let imuT = k < imuBlocks.count ? imuBlocks[k].t : Double.infinity
            let audT = nextAudio?.t ?? .infinity
            let markT = nextMarker < markers.count ? max(0, markerMicros(markers[nextMarker].tSeconds)) : .infinity
            let tNext = min(imuT, audT, markT)
            guard tNext <= limitMicros, tNext.isFinite else { break }
            if markT < min(imuT, audT) {
                try writeMark(markers[nextMarker], atMicros: markT)
                nextMarker += 1
                continue
            }
            if imuT <= audT {
                encoder.encode(.imuBlock, payload: imuBlocks[k].payload, into: &wire)
                k += 1
            } else {
                encoder.encode(.audioBlock, payload: nextAudio!.payload, into: &wire)
                nextAudio = try audio?.next()
            }
            try writeIfFull(atMicros: tNext)
        }
        imuBlocks.removeFirst(k)
    }

    private func writeMark(_ m: ImportMarker, atMicros t: Double) throws {
        switch m.origin {
        case let .device(kind, id):
            encoder.encode(.marker, payload: Marker(tMicros: UInt64(t.rounded()), kind: kind, markerID: id).encoded(),
                           into: &wire)
        case let .host(note):
            let stamp = Int64(max(0, t - baseMicros) * 1000)
            if !wire.isEmpty {
                try writer.appendWire(wire, hostNanos: stamp)
                wire.removeAll(keepingCapacity: true)
            }
            try writer.appendNote(note, hostNanos: stamp)
        }
        marksWritten += 1
    }

    private func writeIfFull(atMicros t: Double) throws {
        guard wire.count > 1 << 15 else { return }
        try writer.appendWire(wire, hostNanos: Int64(max(0, t - baseMicros) * 1000))
        wire.removeAll(keepingCapacity: true)
    }

    /// Everything still queued, the rest of the audio, then the trailer at `endSeconds` of host time.
    func finish(endSeconds: Double, startedUTC: String) throws {
        try flush(upTo: .greatestFiniteMagnitude)
        while let a = nextAudio {
            encoder.encode(.audioBlock, payload: a.payload, into: &wire)
            nextAudio = try audio?.next()
            try writeIfFull(atMicros: a.t)
        }
        try writer.appendWire(wire, hostNanos: Int64(endSeconds * 1e9))
        try writer.finish(SessionTrailer(endedUTC: SessionHeader.utc(startedUTC, plusSeconds: endSeconds),
                                         durationSeconds: endSeconds, wireBytes: writer.wireBytesWritten,
                                         decoder: DecoderCounters(), reconnects: 0),
                          hostNanos: Int64(endSeconds * 1e9))
    }
}
