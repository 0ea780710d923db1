import Foundation
import SensorProtocol

/// The `.gpsession` recording format, version 1 (documented in docs/RECORDING-FORMAT.md).
///
/// An 8-byte magic, then records. Every record is self-delimiting and checksummed, so a file cut anywhere (SIGKILL,
/// pulled cable, full disk) reads back up to the last whole record, and a damaged stretch in the middle costs only
/// the records it touches: the reader scans forward to the next valid sync word.
///
///     offset size field
///     0      4    sync 'G' 'P' 'R' 0xA5
///     4      1    record type
///     5      3    reserved (0)
///     8      4    payload length L (u32, ≤ 16 MiB)
///     12     8    host time: ns since the session started (i64, monotonic clock)
///     20     L    payload
///     20+L   4    CRC-32 of bytes 4 … 19+L
public enum SessionFormat {
    public static let magic: [UInt8] = [0x89, 0x47, 0x50, 0x53, 0x0D, 0x0A, 0x1A, 0x0A] // \x89GPS\r\n\x1a\n
    public static let sync: [UInt8] = [0x47, 0x50, 0x52, 0xA5]
    public static let recordHeaderSize = 20
    public static let recordOverhead = 24
    public static let maxPayload = 16 << 20
    public static let formatVersion = 1
    public static let fileExtension = "gpsession"
}

/// Record types. Readers skip types they do not know (future versions add, never change).
public enum RecordType: UInt8, Sendable {
    /// JSON `SessionHeader`; always the first record.
    case header = 1
    /// Raw bytes exactly as read from the link, garbage included: replay runs the same decoder on them.
    case wire = 2
    /// JSON `LinkEventRecord`: connected / disconnected / reconnected. The wire decoder resets here.
    case linkEvent = 3
    /// Binary `IndexEntry`, about once a second: seekable host-time index and clock-sync state.
    case index = 4
    /// JSON `NoteRecord`: a host-side marker (pain key, typed note).
    case note = 5
    /// JSON `SessionTrailer`: written when the recording is finalised cleanly.
    case trailer = 6
}

/// First record: what was recorded, by what, when.
public struct SessionHeader: Codable, Equatable, Sendable {
    public var format = "gaitpop-session"
    public var formatVersion = SessionFormat.formatVersion
    /// Wall-clock start (UTC, ISO 8601) — for people; all arithmetic uses the records' monotonic host times.
    public var startedUTC: String
    public var software: String
    public var device: DeviceInfo?
    /// Where the bytes came from: a port path, "simulator", "import:FILE.csv".
    public var source: String
    public var notes: String?
    /// For imported or simulated sessions: free-form provenance (file names, seed, scenario).
    public var provenance: [String: String]?

    public init(startedUTC: String = SessionHeader.nowUTC(), software: String, device: DeviceInfo?, source: String,
                notes: String? = nil, provenance: [String: String]? = nil) {
        self.startedUTC = startedUTC
        self.software = software
        self.device = device
        self.source = source
        self.notes = notes
        self.provenance = provenance
    }

    /// An ISO 8601 time `seconds` after another (for trailers of simulated and imported sessions, whose times come
    /// from the data, not from the clock, so regenerating them gives identical files).
    public static func utc(_ iso: String, plusSeconds seconds: Double) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let d = f.date(from: iso) else { return iso }
        return f.string(from: d.addingTimeInterval(seconds))
    }

    public static func nowUTC() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}

public struct LinkEventRecord: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case connected, disconnected, reconnected }
    public var event: Kind
    public var link: String?
    public var reason: String?
    public var device: DeviceInfo?

    public init(event: Kind, link: String? = nil, reason: String? = nil, device: DeviceInfo? = nil) {
        self.event = event; self.link = link; self.reason = reason; self.device = device
    }
}

public struct NoteRecord: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case pain, note }
    public var kind: Kind
    public var text: String?
    public init(kind: Kind, text: String? = nil) { self.kind = kind; self.text = text }
}

public struct SessionTrailer: Codable, Equatable, Sendable {
    public var endedUTC: String
    public var durationSeconds: Double
    public var wireBytes: Int
    public var decoder: DecoderCounters
    public var reconnects: Int

    public init(endedUTC: String = SessionHeader.nowUTC(), durationSeconds: Double, wireBytes: Int,
                decoder: DecoderCounters, reconnects: Int) {
        self.endedUTC = endedUTC; self.durationSeconds = durationSeconds; self.wireBytes = wireBytes
        self.decoder = decoder; self.reconnects = reconnects
    }
}

/// Binary index entry (32 bytes): lets a reader seek by host time and map device time to host time without
/// decoding the whole file.
public struct IndexEntry: Equatable, Sendable {
    /// Wire bytes recorded before this entry.
    public var wireBytesBefore: UInt64
    /// Latest device sample time seen (µs), 0 if none yet.
    public var lastDeviceMicros: UInt64
    /// Clock sync: device − host (µs) and drift (parts per billion); 0 when unknown.
    public var clockOffsetMicros: Int64
    public var clockDriftPPB: Int64

    public init(wireBytesBefore: UInt64, lastDeviceMicros: UInt64, clockOffsetMicros: Int64, clockDriftPPB: Int64) {
        self.wireBytesBefore = wireBytesBefore; self.lastDeviceMicros = lastDeviceMicros
        self.clockOffsetMicros = clockOffsetMicros; self.clockDriftPPB = clockDriftPPB
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 32)
        w.write(wireBytesBefore); w.write(lastDeviceMicros); w.write(clockOffsetMicros); w.write(clockDriftPPB)
        return w.bytes
    }

    public init?(payload: UnsafeRawBufferPointer) {
        var c = ByteCursor(payload)
        guard let a = c.read(UInt64.self), let b = c.read(UInt64.self), let o = c.read(Int64.self),
              let d = c.read(Int64.self) else { return nil }
        wireBytesBefore = a; lastDeviceMicros = b; clockOffsetMicros = o; clockDriftPPB = d
    }
}

/// Errors of recording files, each one line for the CLI.
public enum RecordingError: Error, CustomStringConvertible, Equatable {
    case cannotCreate(path: String, reason: String)
    case writeFailed(path: String, reason: String, keptSeconds: Double)
    case diskFull(path: String, keptSeconds: Double)
    case cannotOpen(path: String, reason: String)
    case notASession(path: String)
    case unsupportedVersion(path: String, version: Int)
    case noHeader(path: String)

    public var description: String {
        switch self {
        case .cannotCreate(let p, let r): "cannot create recording \(p): \(r)"
        case .writeFailed(let p, let r, let s):
            "writing \(p) failed (\(r)); recording stopped, the first \(String(format: "%.1f", s)) s are kept and readable"
        case .diskFull(let p, let s):
            "disk full writing \(p); recording stopped, the first \(String(format: "%.1f", s)) s are kept and readable"
        case .cannotOpen(let p, let r): "cannot open \(p): \(r)"
        case .notASession(let p): "\(p) is not a gaitpop session file (wrong magic bytes)"
        case .unsupportedVersion(let p, let v): "\(p) uses session format version \(v); this gaitpop reads version 1"
        case .noHeader(let p): "\(p) has no readable header record (file damaged at its start)"
        }
    }
}
