import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Buffered stdout for JSON and text lines: one write per batch rather than per line. A closed pipe (`| head`) ends
/// the program quietly, as Unix tools do, instead of crashing on a failed write.
public final class LineWriter {
    private var buffer = ""
    public init() {}

    public func line(_ s: String) {
        buffer += s
        buffer += "\n"
        if buffer.utf8.count > 1 << 14 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        var bytes = Array(buffer.utf8)
        buffer = ""
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + off, $0.count - off) }
            if n > 0 { off += n; continue }
            if n < 0 && errno == EINTR { continue }
            exit(0) // EPIPE: the reader went away
        }
        bytes.removeAll()
    }
}
