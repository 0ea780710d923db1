/// Frame types of protocol version 1 (Firmware-Protocol/PROTOCOL.md, section 3).
/// 0x01–0x7F travel device → host, 0x80–0xFF host → device; a receiver skips types it does not know.
public enum FrameType: UInt8, CaseIterable, Sendable {
    case deviceInfo = 0x01
    case imuBlock = 0x02
    case audioBlock = 0x03
    case marker = 0x04
    case status = 0x05
    case pong = 0x06
    case ack = 0x07
    case getInfo = 0x81
    case start = 0x82
    case stop = 0x83
    case configure = 0x84
    case ping = 0x85

    /// Name used in printed summaries and JSON.
    public var name: String {
        switch self {
        case .deviceInfo: "device_info"
        case .imuBlock: "imu_block"
        case .audioBlock: "audio_block"
        case .marker: "marker"
        case .status: "status"
        case .pong: "pong"
        case .ack: "ack"
        case .getInfo: "get_info"
        case .start: "start"
        case .stop: "stop"
        case .configure: "configure"
        case .ping: "ping"
        }
    }
}

/// Protocol constants shared by encoder, decoder and documentation.
public enum ProtocolLimits {
    /// The only protocol version this code speaks.
    public static let version: UInt8 = 1
    /// Header (version, type, seq, length) before the payload.
    public static let headerSize = 6
    /// Header plus CRC: the smallest legal raw frame.
    public static let overhead = 10
    /// Largest payload a frame may carry.
    public static let maxPayload = 2048
    /// Largest raw (un-encoded) frame.
    public static let maxRaw = maxPayload + overhead // 2058
    /// Largest COBS-encoded frame without its delimiter: one code byte per 254 data bytes, plus one.
    public static let maxEncoded = maxRaw + (maxRaw + 253) / 254 // 2067
}
