import CPosixShims
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal pair. The virtual sensor holds the controller side and prints `devicePath` (the /dev/pts/N
/// a host opens like any serial port); tests use it to play firmware against the real device session.
public final class PseudoTerminal {
    /// The controller (master) side's file descriptor.
    public private(set) var controllerFD: Int32
    /// Path of the device side.
    public let devicePath: String
    /// A device-side descriptor held open for the pair's lifetime: it keeps /dev/pts/N alive and stops the
    /// controller from seeing a hang-up (and spinning in poll) before or between host connections.
    private var keepAliveFD: Int32 = -1

    public init() throws {
        var name = [CChar](repeating: 0, count: 128)
        let fd = gp_open_pty(&name, 128)
        guard fd >= 0 else { throw LinkError.openFailed(path: "/dev/ptmx", reason: errnoString()) }
        controllerFD = fd
        devicePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Raw mode on the device side as well, so no byte is translated before the host configures its end.
        let dev = Glibc.open(devicePath, O_RDWR | O_NOCTTY)
        if dev >= 0 {
            var t = termios()
            if tcgetattr(dev, &t) == 0 {
                cfmakeraw(&t)
                tcsetattr(dev, TCSANOW, &t)
            }
            keepAliveFD = dev
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { close() }

    /// Writes all bytes to the host side (waits while the pty buffer is full; gives up if the host never reads).
    @discardableResult
    public func write(_ bytes: [UInt8], timeoutMs: Int = 2000) -> Bool {
        var off = 0
        var waited = 0
        return bytes.withUnsafeBytes { raw -> Bool in
            while off < raw.count, controllerFD >= 0 {
                let n = Glibc.write(controllerFD, raw.baseAddress! + off, raw.count - off)
                if n > 0 { off += n; continue }
                if n < 0 && (errno == EAGAIN || errno == EINTR) {
                    var p = pollfd(fd: controllerFD, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&p, 1, 5)
                    waited += 5
                    if waited > timeoutMs { return false }
                    continue
                }
                return false
            }
            return off == raw.count
        }
    }

    /// Reads what the host sent, waiting at most `timeoutMs`. Returns [] on timeout.
    public func read(maxBytes: Int = 4096, timeoutMs: Int) -> [UInt8] {
        guard controllerFD >= 0 else { return [] }
        var p = pollfd(fd: controllerFD, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(timeoutMs)) > 0 else { return [] }
        var buf = [UInt8](repeating: 0, count: maxBytes)
        let n = buf.withUnsafeMutableBytes { Glibc.read(controllerFD, $0.baseAddress, maxBytes) }
        return n > 0 ? Array(buf[0..<n]) : []
    }

    /// Closes the controller side: the host sees a hang-up, as when a USB cable is pulled.
    public func close() {
        if controllerFD >= 0 { Glibc.close(controllerFD) }
        if keepAliveFD >= 0 { Glibc.close(keepAliveFD) }
        controllerFD = -1
        keepAliveFD = -1
    }
}
