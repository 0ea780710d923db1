import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file written through a memory buffer with plain `write(2)` calls: the shared plumbing of the CSV and WAV
/// exports.
///
/// Owners append whole units (rows, samples) to `buffer` and flush only between units, so when a write fails (disk
/// full, I/O error) the file can be cut back to `writtenBytes` and still end on a whole unit. `write` is injectable
/// so tests can make the disk fill up at any byte.
final class BufferedFileOutput {
    let path: String
    /// Bytes waiting to be written.
    var buffer: [UInt8] = []
    /// Bytes in the file, all of them whole units.
    private(set) var writtenBytes = 0
    private var fd: Int32
    private let writeCall: (Int32, UnsafeRawPointer, Int) -> Int

    static let flushThreshold = 1 << 16

    init(path: String, write: @escaping (Int32, UnsafeRawPointer, Int) -> Int) throws {
        self.path = path
        writeCall = write
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ImportError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(Self.flushThreshold * 2)
    }

    deinit { close() }

    var isOpen: Bool { fd >= 0 }

    /// Writes the buffer and empties it. On failure the file is cut back to `writtenBytes` and the errno returned.
    func flush() -> Int32? {
        guard fd >= 0 else { return EBADF }
        var off = 0
        let failure: Int32? = buffer.withUnsafeBytes { raw in
            while off < raw.count {
                let n = writeCall(fd, raw.baseAddress! + off, raw.count - off)
                if n > 0 { off += n; continue }
                let e = n < 0 ? errno : EIO
                if n < 0 && e == EINTR { continue }
                return e
            }
            return nil
        }
        if failure != nil {
            _ = ftruncate(fd, off_t(writtenBytes))
        } else {
            writtenBytes += buffer.count
        }
        buffer.removeAll(keepingCapacity: true)
        return failure
    }

    /// Overwrites bytes already in the file (a header's size fields); the errno on failure.
    func overwrite(_ bytes: [UInt8], at offset: Int) -> Int32? {
        guard fd >= 0 else { return EBADF }
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(offset)) }
        return n == bytes.count ? nil : (n < 0 ? errno : EIO)
    }

    func sync() { if fd >= 0 { fsync(fd) } }

    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }

    /// The error for a failed write: disk full said as such, anything else with the system's reason.
    func error(_ e: Int32, kept: String) -> ImportError {
        e == ENOSPC || e == EDQUOT
            ? .diskFull(path: path, kept: kept)
            : .writeFailed(path: path, reason: String(cString: strerror(e)), kept: kept)
    }
}
