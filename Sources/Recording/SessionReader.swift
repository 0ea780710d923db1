import Foundation
import SensorProtocol
#if canImport(Glibc)
import Glibc
#endif

/// One record as the reader hands it out; `payload` is valid until the next call to `next()`.
public struct RecordView {
    public let rawType: UInt8
    public let hostNanos: Int64
    public let payload: UnsafeRawBufferPointer
    /// Byte offset of the record in the file.
    public let fileOffset: Int
    /// A WIRE record whose CRC failed but whose length is confirmed (the next record starts right after it): its
    /// bytes are handed out anyway, because the frames inside carry their own CRC, so the frame decoder drops only
    /// the damaged frames and resynchronises on the next one instead of losing the whole record (up to 64 KiB).
    public let checksumFailed: Bool

    public var type: RecordType? { RecordType(rawValue: rawType) }
    public var hostSeconds: Double { Double(hostNanos) / 1e9 }

    /// Decodes a JSON payload.
    public func json<T: Decodable>(_: T.Type) -> T? { try? JSONDecoder().decode(T.self, from: Data(payload)) }
}

/// Streams the records of a `.gpsession` file with a fixed read buffer (memory stays flat for hours-long files).
/// Damage never stops it early: a torn last record ends the read with a warning, a damaged stretch in the middle
/// is skipped to the next valid record with a warning naming the byte range.
///
/// Reading is linear in the file size whatever the bytes say: a candidate record is only checksummed once its
/// length fits the file and the next record's sync word (or the end of the file) sits right after it, so a file
/// of sync words announcing 16 MiB records costs one comparison per byte, not a 16 MiB read and CRC per byte; the
/// buffer is only compacted when it runs out of room, never once per skipped byte.
public final class SessionReader {
    public let path: String
    public private(set) var header: SessionHeader
    /// One line per problem found, in file order.
    public private(set) var warnings: [String] = []
    public let fileSize: Int
    /// Bytes the read buffer holds: 1 MiB unless a record is larger (at most one record plus its overhead).
    public var bufferBytes: Int { buf.count }

    private let file: UnsafeMutablePointer<FILE>
    private var buf: [UInt8]
    private var start = 0, end = 0
    /// File offset of buf[start].
    private var offset = 0
    private var eof = false
    private var damageStart: Int?
    private var pendingHeaderRecord = false
    /// A regular file: its size bounds every record, and the next record's start can be checked with `pread`.
    private let isRegularFile: Bool

    public init(path: String) throws {
        self.path = path
        guard let f = fopen(path, "rb") else {
            let e = errno
            throw RecordingError.cannotOpen(path: path, reason: e == EINTR ? "stopped while waiting for data (a FIFO with no writer?)"
                                                                         : String(cString: strerror(e)))
        }
        file = f
        var st = stat()
        let statted = fstat(fileno(f), &st) == 0
        fileSize = statted ? Int(st.st_size) : 0
        isRegularFile = statted && (st.st_mode & S_IFMT) == S_IFREG
        buf = [UInt8](repeating: 0, count: 1 << 20)
        header = SessionHeader(startedUTC: "", software: "", device: nil, source: "")
        var magic = [UInt8](repeating: 0, count: SessionFormat.magic.count)
        // From here on every stored property is set, so a throw runs deinit, which closes the file.
        let gotMagic = fread(&magic, 1, magic.count, f)
        if gotMagic < magic.count && ferror(f) != 0 && errno == EINTR {
            throw RecordingError.cannotOpen(path: path, reason: "stopped while waiting for data")
        }
        guard gotMagic == magic.count, magic == SessionFormat.magic else {
            throw RecordingError.notASession(path: path)
        }
        offset = magic.count
        guard let first = next(), first.type == .header, let h = first.json(SessionHeader.self) else {
            throw RecordingError.noHeader(path: path)
        }
        guard h.formatVersion == SessionFormat.formatVersion else {
            throw RecordingError.unsupportedVersion(path: path, version: h.formatVersion)
        }
        header = h
    }

    deinit { fclose(file) }

    /// The next intact record, or nil at the end of the readable data.
    public func next() -> RecordView? {
        while true {
            guard fill(SessionFormat.recordHeaderSize) else {
                let left = end - start
                if left > 0 {
                    if damageStart == nil { damageStart = offset }
                    start = end
                    offset += left
                }
                closeTail()
                return nil
            }
            let ok = buf.withUnsafeBytes { b -> Bool in
                b[start] == 0x47 && b[start + 1] == 0x50 && b[start + 2] == 0x52 && b[start + 3] == 0xA5
            }
            guard ok else { skipByte(); continue }
            let length = buf.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: start + 8,
                                                                                        as: UInt32.self))) }
            let total = length + SessionFormat.recordOverhead
            // A record that claims more bytes than the file has is torn (or its length is damaged): keep scanning,
            // later records may still be intact.
            guard length <= SessionFormat.maxPayload else { skipByte(); continue }
            if isRegularFile && offset + total > max(fileSize, offset + end - start) { skipByte(); continue }
            // Scanning through damage, a candidate must first show that the next record follows it (cheap) before
            // it is read and checksummed (up to 16 MiB): that keeps a storm of fake sync words linear.
            var boundary: Bool?
            if damageStart != nil && isRegularFile {
                boundary = nextRecordFollows(total: total)
                if boundary == false { skipByte(); continue }
            }
            guard fill(total) else { skipByte(); continue }
            let valid = buf.withUnsafeBytes { b -> Bool in
                let body = UnsafeRawBufferPointer(rebasing: b[(start + 4)..<(start + total - 4)])
                let stored = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: start + total - 4, as: UInt32.self))
                return CRC32.checksum(body) == stored
            }
            let rawType = buf[start + 4]
            if !valid {
                guard boundary ?? nextRecordFollows(total: total) else { skipByte(); continue }
                if rawType != RecordType.wire.rawValue {
                    // A damaged JSON or index record is of no use; its length is confirmed, so skip it whole.
                    if damageStart == nil { damageStart = offset }
                    start += total
                    offset += total
                    continue
                }
                closeDamage()
                warnings.append("record at byte \(offset) (\(length) wire bytes) failed its checksum; its frames were "
                    + "checked one by one and only the damaged ones dropped")
            } else {
                closeDamage()
            }
            let view = buf.withUnsafeBytes { b in
                RecordView(rawType: b[start + 4],
                           hostNanos: Int64(littleEndian: b.loadUnaligned(fromByteOffset: start + 12, as: Int64.self)),
                           payload: UnsafeRawBufferPointer(rebasing: b[(start + 20)..<(start + 20 + length)]),
                           fileOffset: offset, checksumFailed: !valid)
            }
            start += total
            offset += total
            return view
        }
    }

    /// Continues reading at `fileOffset`, which must be the start of a record this reader (or another reader of
    /// the same file) handed out: from there on the same records come out as in a read from the start, because
    /// every record handed out leaves the reader outside any damaged stretch. Lets a second pass over a recording
    /// start in its middle (`RecordingReplay.resume(at:)`) instead of reading its first half again. Warnings met
    /// before `fileOffset` are not repeated. False when the file cannot seek (a pipe): nothing was changed then.
    @discardableResult
    public func seek(toRecordAt fileOffset: Int) -> Bool {
        guard isRegularFile, fileOffset >= SessionFormat.magic.count, fseeko(file, off_t(fileOffset), SEEK_SET) == 0
        else { return false }
        start = 0
        end = 0
        offset = fileOffset
        eof = false
        damageStart = nil
        clearerr(file)
        return true
    }

    /// Calls `body` for every intact record after the header.
    public func forEach(_ body: (RecordView) throws -> Void) rethrows {
        while let r = next() { try body(r) }
    }

    // MARK: - buffer

    /// True when the record of `total` bytes at `start` is followed by a sync word or ends exactly at the end of
    /// the file: its length field is then right. Costs one `pread` of 4 bytes when the buffer does not reach.
    private func nextRecordFollows(total: Int) -> Bool {
        let at = offset + total
        if isRegularFile && at == fileSize { return true }
        var next = [UInt8](repeating: 0, count: 4)
        if end - start >= total + 4 {
            for k in 0..<4 { next[k] = buf[start + total + k] }
        } else if isRegularFile {
            guard pread(fileno(file), &next, 4, off_t(at)) == 4 else { return false }
        } else {
            // A pipe cannot be peeked at: the record must be read first.
            guard fill(total) else { return false }
            if !fill(total + 4) { return eof && end - start == total }
            for k in 0..<4 { next[k] = buf[start + total + k] }
        }
        return next == SessionFormat.sync
    }

    /// Makes at least `n` bytes available from `start`; false at end of file with fewer left. Moves the unread
    /// bytes to the front only when the room after `start` is too small (so skipping bytes one at a time stays
    /// linear), and grows the buffer only for a record larger than it (at most `maxPayload` + overhead).
    private func fill(_ n: Int) -> Bool {
        if end - start >= n { return true }
        if eof { return false }
        if buf.count - start < n, start > 0 {
            buf.withUnsafeMutableBytes { b in
                if end > start { memmove(b.baseAddress!, b.baseAddress! + start, end - start) }
            }
            end -= start
            start = 0
        }
        if n > buf.count { buf += [UInt8](repeating: 0, count: n - buf.count) }
        while end - start < n && !eof {
            let want = buf.count - end
            let got = buf.withUnsafeMutableBytes { b in fread(b.baseAddress! + end, 1, want, file) }
            // A read error, or a signal (Ctrl-C while a pipe is quiet), ends the data: what was read is used.
            if got < want && ferror(file) != 0 { eof = true }
            if got == 0 { eof = true }
            end += got
        }
        return end - start >= n
    }

    private func skipByte() {
        if damageStart == nil { damageStart = offset }
        start += 1
        offset += 1
    }

    private func closeDamage() {
        guard let d = damageStart else { return }
        warnings.append("damaged data at bytes \(d)–\(offset - 1) (\(offset - d) bytes) skipped; reading resumed")
        damageStart = nil
    }

    /// Unreadable bytes up to the end of the file: what an interrupted recording leaves behind.
    private func closeTail() {
        guard let d = damageStart else { return }
        warnings.append("file ends with \(offset - d) unreadable bytes from byte \(d) (recording interrupted or its end "
            + "damaged); everything before byte \(d) was read")
        damageStart = nil
    }
}
