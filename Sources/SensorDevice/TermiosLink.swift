#if canImport(Glibc)
import Glibc
#endif

/// POSIX termios link for pseudo-terminals (the virtual sensor) and other character devices that libserialport
/// does not open (it needs a sysfs entry). Raw mode, 8N1, no flow control, non-blocking reads behind `poll`.
public final class TermiosLink: ByteLink {
    public let path: String
    private var fd: Int32
    private let sys: SystemCalls

    public var description: String { "\(path) (termios)" }

    public init(path: String, baudRate: Int = 921_600, sys: SystemCalls = .live) throws {
        self.path = path
        self.sys = sys
        fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            throw LinkError.openFailed(path: path, reason: e == ENOENT ? "no such device" : errnoString(e))
        }
        // Checked on the open descriptor too (the path may have changed since the caller looked): bytes are only
        // ever written to a character device.
        var st = stat()
        if fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFCHR {
            let what = fstat(fd, &st) == 0 ? (LinkOpener.notADevice(st) ?? "is not a device") : errnoString()
            Glibc.close(fd)
            fd = -1
            throw LinkError.openFailed(path: path, reason: "\(what), not a serial port or pseudo-terminal")
        }
        var t = termios()
        if tcgetattr(fd, &t) == 0 {
            cfmakeraw(&t)
            t.c_cflag |= tcflag_t(CLOCAL | CREAD)
            t.c_cflag &= ~tcflag_t(CRTSCTS)
            let speed = Self.speed(baudRate)
            cfsetispeed(&t, speed)
            cfsetospeed(&t, speed)
            withUnsafeMutableBytes(of: &t.c_cc) { cc in
                cc[Int(VMIN)] = 0
                cc[Int(VTIME)] = 0
            }
            if tcsetattr(fd, TCSANOW, &t) != 0 {
                let e = errno
                Glibc.close(fd)
                fd = -1
                throw LinkError.openFailed(path: path, reason: "cannot set raw mode: \(errnoString(e))")
            }
        } else if errno != ENOTTY {
            let e = errno
            Glibc.close(fd)
            fd = -1
            throw LinkError.openFailed(path: path, reason: errnoString(e))
        }
    }

    deinit { close() }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int) throws -> Int {
        guard fd >= 0 else { throw LinkError.disconnected(path: path, reason: "link closed") }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let pr = sys.poll(&pfd, 1, Int32(timeoutMs))
        if pr < 0 {
            if errno == EINTR { return 0 }
            throw LinkError.io(path: path, reason: "poll: \(errnoString())")
        }
        if pr == 0 { return 0 }
        let n = sys.read(fd, buffer.baseAddress, buffer.count)
        if n > 0 { return n }
        if n == 0 {
            throw LinkError.disconnected(path: path, reason: "end of file (device closed)")
        }
        let e = errno
        if e == EAGAIN || e == EINTR {
            if pfd.revents & Int16(POLLHUP | POLLERR) != 0 {
                throw LinkError.disconnected(path: path, reason: "hang-up")
            }
            return 0
        }
        throw LinkError.disconnected(path: path, reason: errnoString(e))
    }

    public func write(_ bytes: [UInt8]) throws {
        guard fd >= 0 else { throw LinkError.disconnected(path: path, reason: "link closed") }
        var off = 0
        var stalls = 0
        try bytes.withUnsafeBytes { raw in
            while off < raw.count {
                let n = sys.write(fd, raw.baseAddress! + off, raw.count - off)
                if n > 0 { off += n; stalls = 0; continue }
                let e = errno
                if n < 0 && (e == EAGAIN || e == EINTR) {
                    stalls += 1
                    if stalls > 200 { throw LinkError.io(path: path, reason: "write stalled (device not reading)") }
                    var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = sys.poll(&pfd, 1, 10)
                    continue
                }
                throw LinkError.disconnected(path: path, reason: n == 0 ? "write returned 0" : errnoString(e))
            }
        }
    }

    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    static func speed(_ baud: Int) -> speed_t {
        switch baud {
        case ...9600: speed_t(B9600)
        case ...19200: speed_t(B19200)
        case ...38400: speed_t(B38400)
        case ...57600: speed_t(B57600)
        case ...115_200: speed_t(B115200)
        case ...230_400: speed_t(B230400)
        case ...460_800: speed_t(B460800)
        case ...921_600: speed_t(B921600)
        default: speed_t(B1000000)
        }
    }
}
