/// Per-stream bookkeeping over decoded frames, shared by the live device session and by `inspect` on a recording:
/// sample counts, sample-index gaps (samples lost even though every frame arrived), the device's own drop counters,
/// and the device-time span. One `observe` per frame; nothing allocated.
public struct StreamStats: Equatable, Sendable, Codable {
    public var imuBlocks = 0
    public var imuSamples = 0
    public var audioBlocks = 0
    public var audioSamples = 0
    public var markers = 0
    public var painMarkers = 0
    public var statusFrames = 0
    /// Gaps in the running sample index between consecutive blocks, and the samples they skipped.
    public var imuIndexGaps = 0
    public var imuSamplesMissing = 0
    public var audioIndexGaps = 0
    public var audioSamplesMissing = 0
    /// Latest STATUS counters (samples the device itself had to drop).
    public var deviceIMUDropped = 0
    public var deviceAudioDropped = 0
    public var deviceTxFramesDropped = 0
    public var batteryPercent: Int?
    /// Device time of the first and the last sample seen (µs).
    public var firstDeviceMicros: UInt64?
    public var lastDeviceMicros: UInt64?

    private var nextIMUIndex: UInt32?
    private var nextAudioIndex: UInt32?
    private var typeCounts = [Int](repeating: 0, count: 256)

    public init() {}

    /// Device time covered, in seconds.
    public var deviceSpanSeconds: Double {
        guard let a = firstDeviceMicros, let b = lastDeviceMicros, b >= a else { return 0 }
        return Double(b - a) / 1e6
    }

    /// The link restarted: sample indices may restart with it.
    public mutating func resetContinuity() {
        nextIMUIndex = nil
        nextAudioIndex = nil
    }

    public mutating func observe(_ f: FrameView, imuRateHz: Int = 0, audioRateHz: Int = 0) {
        typeCounts[Int(f.type)] += 1
        switch f.knownType {
        case .imuBlock?:
            guard let h = IMUBlockHeader(payload: f.payload) else { return }
            imuBlocks += 1
            imuSamples += h.count
            if let expected = nextIMUIndex, expected != h.firstIndex {
                let d = h.firstIndex &- expected
                if d < 0x8000_0000 { imuIndexGaps += 1; imuSamplesMissing += Int(d) }
            }
            nextIMUIndex = h.firstIndex &+ UInt32(h.count)
            // Saturating: device timestamps are untrusted and may sit at the top of the range.
            let end = h.tFirstMicros.addingReportingOverflow(imuRateHz > 0 ? UInt64((h.count - 1) * 1_000_000 / imuRateHz) : 0)
                .partialValue
            span(h.tFirstMicros, end)
        case .audioBlock?:
            guard let h = AudioBlockHeader(payload: f.payload) else { return }
            audioBlocks += 1
            audioSamples += h.count
            if let expected = nextAudioIndex, expected != h.firstIndex {
                let d = h.firstIndex &- expected
                if d < 0x8000_0000 { audioIndexGaps += 1; audioSamplesMissing += Int(d) }
            }
            nextAudioIndex = h.firstIndex &+ UInt32(h.count)
            let end = h.tFirstMicros.addingReportingOverflow(
                audioRateHz > 0 ? UInt64(h.count - 1) * 1_000_000 / UInt64(audioRateHz) : 0).partialValue
            span(h.tFirstMicros, end)
        case .marker?:
            guard let m = Marker(payload: f.payload) else { return }
            markers += 1
            if m.knownKind == .pain { painMarkers += 1 }
        case .status?:
            guard let s = DeviceStatus(payload: f.payload) else { return }
            statusFrames += 1
            deviceIMUDropped = Int(s.imuDroppedTotal)
            deviceAudioDropped = Int(s.audioDroppedTotal)
            deviceTxFramesDropped = Int(s.txFramesDroppedTotal)
            batteryPercent = s.batteryPercent == 255 ? nil : Int(s.batteryPercent)
        default:
            break
        }
    }

    /// Frame counts by type name (unknown types as `type_0xNN`), built on demand so `observe` stays cheap.
    public var countsByType: [String: Int] {
        var out: [String: Int] = [:]
        for (t, n) in typeCounts.enumerated() where n > 0 {
            out[FrameType(rawValue: UInt8(t))?.name ?? "type_0x" + (t < 16 ? "0" : "") + String(t, radix: 16)] = n
        }
        return out
    }

    private mutating func span(_ a: UInt64, _ b: UInt64) {
        if firstDeviceMicros == nil || a < firstDeviceMicros! { firstDeviceMicros = a }
        if lastDeviceMicros == nil || b > lastDeviceMicros! { lastDeviceMicros = b }
    }

    enum CodingKeys: String, CodingKey {
        case imuBlocks, imuSamples, audioBlocks, audioSamples, markers, painMarkers, statusFrames, imuIndexGaps,
             imuSamplesMissing, audioIndexGaps, audioSamplesMissing, deviceIMUDropped, deviceAudioDropped,
             deviceTxFramesDropped, batteryPercent, firstDeviceMicros, lastDeviceMicros
    }
}
