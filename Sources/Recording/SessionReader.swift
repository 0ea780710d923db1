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

    public var type: RecordType? { RecordType(rawValue: rawType) }
    public var hostSeconds: Double { Double(hostNanos) / 1e9 }

    /// Decodes a JSON payload.
    public func json<T: Decodable>(_: T.Type) -> T? { try? JSONDecoder().decode(T.self, from: Data(payload)) }
}

/// Streams the records of a `.gpsession` file with a fixed read buffer (memory stays flat for hours-long files).
/// Damage never stops it early: a torn last record ends the read with a warning, a damaged stretch in the middle
/// is skipped to the next valid record with a warning naming the byte range.
public final class SessionReader {
    public let path: String
    public private(set) var header: SessionHeader
    /// One line per problem found, in file order.
    public private(set) var warnings: [String] = []
    public let fileSize: Int

    private let file: UnsafeMutablePointer<FILE>
    private var buf: [UInt8]
    private var start = 0, end = 0
    /// File offset of buf[start].
    private var offset = 0
    private var eof = false
    private var damageStart: Int?
    private var pendingHeaderRecord = false

    public init(path: String) throws {
        self.path = path
        guard let f = fopen(path, "rb") else {
            throw RecordingError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        file = f
        var st = stat()
        fileSize = fstat(fileno(f), &st) == 0 ? Int(st.st_size) : 0
        buf = [UInt8](repeating: 0, count: 1 << 20)
        header = SessionHeader(startedUTC: "", software: "", device: nil, source: "")
        var magic = [UInt8](repeating: 0, count: SessionFormat.magic.count)
        // From here on every stored property is set, so a throw runs deinit, which closes the file.
        guard fread(&magic, 1, magic.count, f) == magic.count, magic == SessionFormat.magic else {
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
            guard length <= SessionFormat.maxPayload, fill(total) else { skipByte(); continue }
            let valid = buf.withUnsafeBytes { b -> Bool in
                let body = UnsafeRawBufferPointer(rebasing: b[(start + 4)..<(start + total - 4)])
                let stored = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: start + total - 4, as: UInt32.self))
                return CRC32.checksum(body) == stored
            }
            guard valid else { skipByte(); continue }
            closeDamage()
            let view = buf.withUnsafeBytes { b in
                RecordView(rawType: b[start + 4],
                           hostNanos: Int64(littleEndian: b.loadUnaligned(fromByteOffset: start + 12, as: Int64.self)),
                           payload: UnsafeRawBufferPointer(rebasing: b[(start + 20)..<(start + 20 + length)]),
                           fileOffset: offset)
            }
            start += total
            offset += total
            return view
        }
    }

    /// Calls `body` for every intact record after the header.
    public func forEach(_ body: (RecordView) throws -> Void) rethrows {
        while let r = next() { try body(r) }
    }

    // MARK: - buffer

    /// Makes at least `n` bytes available from `start`; false at end of file with fewer left.
    private func fill(_ n: Int) -> Bool {
        if end - start >= n { return true }
        if start > 0 {
            buf.withUnsafeMutableBytes { b in
                if end > start { memmove(b.baseAddress!, b.baseAddress! + start, end - start) }
            }
            end -= start
            start = 0
        }
        if n > buf.count { buf += [UInt8](repeating: 0, count: n - buf.count) }
        while end < n && !eof {
            let got = buf.withUnsafeMutableBytes { b in fread(b.baseAddress! + end, 1, b.count - end, file) }
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
