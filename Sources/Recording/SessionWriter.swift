import Foundation
import SensorProtocol
#if canImport(Glibc)
import Glibc
#endif

/// Appends records to a `.gpsession` file.
///
/// Wire bytes are gathered for at most `flushIntervalSeconds` (or 64 KiB) and then written as one record with a
/// plain `write(2)`: once in the kernel they survive the process being killed, so SIGKILL or a pulled cable loses at
/// most that interval. `fsync` runs every `syncIntervalSeconds` and at `finish`, for power loss. A failed write
/// (disk full, I/O error) truncates the file back to the last whole record, so what is kept stays readable, and
/// throws one clear error.
public final class SessionWriter {
    public let path: String
    public private(set) var wireBytesWritten = 0
    public private(set) var recordsWritten = 0
    /// Host time of the newest record written.
    public private(set) var lastHostNanos: Int64 = 0

    private var fd: Int32
    private var goodLength: off_t = 0
    private var pending: [UInt8] = []
    private var pendingSince: Int64?
    private var recordBuffer: [UInt8] = []
    private var lastSync: Int64 = 0
    private let flushNanos: Int64
    private let syncNanos: Int64
    private let writeCall: (Int32, UnsafeRawPointer, Int) -> Int
    private var failed: RecordingError?

    /// Creates (truncates) `path` and writes the magic and the header record.
    public convenience init(path: String, header: SessionHeader, flushIntervalSeconds: Double = 0.25,
                            syncIntervalSeconds: Double = 5) throws {
        try self.init(path: path, header: header, flushIntervalSeconds: flushIntervalSeconds,
                      syncIntervalSeconds: syncIntervalSeconds, write: { Glibc.write($0, $1, $2) })
    }

    /// `write` is injectable so tests can make the disk fill up mid-recording.
    init(path: String, header: SessionHeader, flushIntervalSeconds: Double, syncIntervalSeconds: Double,
         write: @escaping (Int32, UnsafeRawPointer, Int) -> Int) throws {
        self.path = path
        flushNanos = Int64(flushIntervalSeconds * 1e9)
        syncNanos = Int64(syncIntervalSeconds * 1e9)
        writeCall = write
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RecordingError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        pending.reserveCapacity(1 << 16)
        recordBuffer.reserveCapacity(1 << 17)
        do {
            try writeAll(SessionFormat.magic)
            goodLength = off_t(SessionFormat.magic.count)
            let json = try JSONEncoder.session.encode(header)
            try writeRecord(.header, payload: Array(json), hostNanos: 0)
        } catch let e as RecordingError {
            Glibc.close(fd)
            fd = -1
            if case .diskFull = e { throw e }
            throw RecordingError.cannotCreate(path: path, reason: "\(e)")
        }
    }

    deinit {
        if fd >= 0 { try? flush(); Glibc.close(fd) }
    }

    /// Buffers raw link bytes; writes a record when the buffer is old or large enough.
    public func appendWire(_ bytes: UnsafeRawBufferPointer, hostNanos: Int64) throws {
        if let f = failed { throw f }
        if pendingSince == nil { pendingSince = hostNanos }
        pending.append(contentsOf: bytes)
        try flushIfDue(hostNanos: hostNanos)
    }

    public func appendWire(_ bytes: [UInt8], hostNanos: Int64) throws {
        try bytes.withUnsafeBytes { try appendWire($0, hostNanos: hostNanos) }
    }

    /// Writes buffered wire bytes if they are older than the flush interval or over 64 KiB; fsyncs when due.
    public func flushIfDue(hostNanos: Int64) throws {
        if let since = pendingSince, hostNanos - since >= flushNanos || pending.count >= 1 << 16 {
            try flush()
        }
        if hostNanos - lastSync >= syncNanos {
            fsync(fd)
            lastSync = hostNanos
        }
    }

    /// Writes buffered wire bytes now.
    public func flush() throws {
        if let f = failed { throw f }
        guard let since = pendingSince, !pending.isEmpty else { pendingSince = nil; return }
        try writeRecord(.wire, payload: pending, hostNanos: since)
        wireBytesWritten += pending.count
        pending.removeAll(keepingCapacity: true)
        pendingSince = nil
    }

    public func appendLinkEvent(_ e: LinkEventRecord, hostNanos: Int64) throws {
        try flush() // the event must sit between the bytes before and after it
        try writeRecord(.linkEvent, payload: Array(try JSONEncoder.session.encode(e)), hostNanos: hostNanos)
    }

    public func appendNote(_ n: NoteRecord, hostNanos: Int64) throws {
        try flush()
        try writeRecord(.note, payload: Array(try JSONEncoder.session.encode(n)), hostNanos: hostNanos)
    }

    public func appendIndex(_ entry: IndexEntry, hostNanos: Int64) throws {
        try flush()
        var e = entry
        e.wireBytesBefore = UInt64(wireBytesWritten)
        try writeRecord(.index, payload: e.encoded(), hostNanos: hostNanos)
    }

    /// Flushes, writes the trailer, fsyncs and closes. The file is then complete.
    public func finish(_ trailer: SessionTrailer, hostNanos: Int64) throws {
        try flush()
        try writeRecord(.trailer, payload: Array(try JSONEncoder.session.encode(trailer)), hostNanos: hostNanos)
        fsync(fd)
        Glibc.close(fd)
        fd = -1
    }

    /// Closes without a trailer (what a crash leaves behind), after writing what is buffered.
    public func close() {
        guard fd >= 0 else { return }
        try? flush()
        fsync(fd)
        Glibc.close(fd)
        fd = -1
    }

    // MARK: - records

    private func writeRecord(_ type: RecordType, payload: [UInt8], hostNanos: Int64) throws {
        if let f = failed { throw f }
        precondition(payload.count <= SessionFormat.maxPayload)
        recordBuffer.removeAll(keepingCapacity: true)
        recordBuffer.append(contentsOf: SessionFormat.sync)
        recordBuffer.append(type.rawValue)
        recordBuffer.append(contentsOf: [0, 0, 0])
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { recordBuffer.append(contentsOf: $0) }
        withUnsafeBytes(of: hostNanos.littleEndian) { recordBuffer.append(contentsOf: $0) }
        recordBuffer.append(contentsOf: payload)
        let crc = recordBuffer.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        withUnsafeBytes(of: crc.littleEndian) { recordBuffer.append(contentsOf: $0) }
        try writeAll(recordBuffer)
        goodLength += off_t(recordBuffer.count)
        recordsWritten += 1
        lastHostNanos = max(lastHostNanos, hostNanos)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var off = 0
        try bytes.withUnsafeBytes { raw in
            while off < raw.count {
                let n = writeCall(fd, raw.baseAddress! + off, raw.count - off)
                if n > 0 { off += n; continue }
                let e = n < 0 ? errno : EIO
                if n < 0 && e == EINTR { continue }
                // Cut back to the last whole record so the file stays readable, then stop for good.
                if goodLength > 0 { _ = ftruncate(fd, goodLength) }
                let kept = Double(lastHostNanos) / 1e9
                let err: RecordingError = e == ENOSPC || e == EDQUOT
                    ? .diskFull(path: path, keptSeconds: kept)
                    : .writeFailed(path: path, reason: String(cString: strerror(e)), keptSeconds: kept)
                failed = err
                throw err
            }
        }
    }
}

extension JSONEncoder {
    /// Stable, compact JSON for records.
    static var session: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
