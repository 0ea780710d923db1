import CLibSerialPort
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Safe owner of one libserialport `sp_port*`: opens and configures the port, reads with timeouts that tell a quiet
/// port from a vanished one, writes, and frees everything in `close()`/`deinit`. Every libserialport call goes
/// through `check`, which turns `sp_return` into a `SerialPortError` carrying `sp_last_error_message()`.
///
/// libserialport 0.1.1 looks ports up in /sys/class/tty, so it refuses pseudo-terminals; `SensorDevice` pairs this
/// type with a termios link for those.
public final class SerialPort {
    public let path: String
    private var port: OpaquePointer?
    private var fd: Int32 = -1

    /// Lists the machine's serial ports with their USB identity.
    public static func listPorts() throws -> [SerialPortInfo] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        try check(sp_list_ports(&list), port: "(port list)")
        guard let list else { return [] }
        defer { sp_free_port_list(list) }
        var out: [SerialPortInfo] = []
        var i = 0
        while let p = list[i] {
            out.append(SerialPortInfo(port: p))
            i += 1
        }
        return out.sorted { $0.path < $1.path }
    }

    /// Looks a port up without opening it; throws `.notFound` for a missing or non-serial path.
    public static func info(path: String) throws -> SerialPortInfo {
        var p: OpaquePointer?
        let r = sp_get_port_by_name(path, &p)
        guard r == SP_OK, let p else {
            throw SerialPortError(kind: .notFound, port: path, message: lastMessage(r, fallback: "not a serial port"))
        }
        defer { sp_free_port(p) }
        return SerialPortInfo(port: p)
    }

    /// Opens `path` read/write, 8N1, at `baudRate`, with the given flow control.
    public init(path: String, baudRate: Int = 921_600, flowControl: FlowControl = .none) throws {
        self.path = path
        var p: OpaquePointer?
        let r = sp_get_port_by_name(path, &p)
        guard r == SP_OK, let p else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw SerialPortError(kind: .notFound, port: path,
                                  message: exists ? "not a serial port libserialport can open"
                                                  : "no such device (is the sensor plugged in?)")
        }
        port = p
        do {
            let openResult = sp_open(p, SP_MODE_READ_WRITE)
            if openResult != SP_OK {
                let code = openResult == SP_ERR_FAIL ? sp_last_error_code() : 0
                let msg = Self.lastMessage(openResult, fallback: "open failed")
                if code == EACCES || code == EPERM {
                    throw SerialPortError(kind: .permissionDenied(group: SerialPortError.owningGroup(of: path)),
                                          port: path, message: msg)
                }
                throw SerialPortError(kind: code == ENOENT || code == ENODEV ? .notFound : .failed(code: code),
                                      port: path, message: msg)
            }
            try Self.check(sp_set_baudrate(p, Int32(baudRate)), port: path)
            try Self.check(sp_set_bits(p, 8), port: path)
            try Self.check(sp_set_parity(p, SP_PARITY_NONE), port: path)
            try Self.check(sp_set_stopbits(p, 1), port: path)
            try Self.check(sp_set_flowcontrol(p, flowControl.cValue), port: path)
            var handle: Int32 = -1
            try Self.check(sp_get_port_handle(p, &handle), port: path)
            fd = handle
        } catch {
            sp_close(p)
            sp_free_port(p)
            port = nil
            throw error
        }
    }

    deinit { close() }

    public enum FlowControl: Sendable {
        case none, xonXoff, rtsCts, dtrDsr
        var cValue: sp_flowcontrol {
            switch self {
            case .none: SP_FLOWCONTROL_NONE
            case .xonXoff: SP_FLOWCONTROL_XONXOFF
            case .rtsCts: SP_FLOWCONTROL_RTSCTS
            case .dtrDsr: SP_FLOWCONTROL_DTRDSR
            }
        }
    }

    public var isOpen: Bool { port != nil }

    /// Reads up to `buffer.count` bytes, waiting at most `timeoutMs`. Returns 0 on a quiet timeout; throws
    /// `.disconnected` when the device vanished (poll reports hang-up/error, or the port is readable but a read
    /// returns nothing or EIO: the Linux signs of an unplugged tty).
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int) throws -> Int {
        guard let port, fd >= 0 else { throw SerialPortError(kind: .disconnected, port: path, message: "port closed") }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let pr = poll(&pfd, 1, Int32(timeoutMs))
        if pr < 0 {
            if errno == EINTR { return 0 }
            throw SerialPortError(kind: .failed(code: errno), port: path, message: String(cString: strerror(errno)))
        }
        if pr == 0 { return 0 }
        let r = sp_nonblocking_read(port, buffer.baseAddress, buffer.count)
        if r.rawValue > 0 { return Int(r.rawValue) }
        if r.rawValue == 0 || pfd.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
            throw SerialPortError(kind: .disconnected, port: path, message: "device stopped answering (unplugged?)")
        }
        throw SerialPortError(kind: .disconnected, port: path, message: Self.lastMessage(r, fallback: "read failed"))
    }

    /// Writes all bytes or throws; a vanished device gives `.disconnected`, never a crash.
    public func write(_ bytes: UnsafeRawBufferPointer, timeoutMs: Int = 1000) throws {
        guard let port else { throw SerialPortError(kind: .disconnected, port: path, message: "port closed") }
        guard bytes.count > 0 else { return }
        let r = sp_blocking_write(port, bytes.baseAddress, bytes.count, UInt32(timeoutMs))
        if r.rawValue < 0 {
            throw SerialPortError(kind: .disconnected, port: path, message: Self.lastMessage(r, fallback: "write failed"))
        }
        if Int(r.rawValue) < bytes.count {
            throw SerialPortError(kind: .failed(code: 0), port: path, message: "write timed out after \(timeoutMs) ms")
        }
    }

    /// Closes and frees the port; safe to call twice.
    public func close() {
        guard let p = port else { return }
        sp_close(p)
        sp_free_port(p)
        port = nil
        fd = -1
    }

    static func check(_ r: sp_return, port: String) throws {
        guard r.rawValue < 0 else { return }
        let kind: SerialPortError.Kind
        switch r {
        case SP_ERR_ARG: kind = .invalidArgument
        case SP_ERR_SUPP: kind = .unsupported
        default: kind = .failed(code: r == SP_ERR_FAIL ? sp_last_error_code() : 0)
        }
        throw SerialPortError(kind: kind, port: port, message: lastMessage(r, fallback: "libserialport error"))
    }

    /// libserialport's message; only valid right after a call returned SP_ERR_FAIL.
    static func lastMessage(_ r: sp_return, fallback: String) -> String {
        switch r {
        case SP_ERR_FAIL:
            guard let m = sp_last_error_message() else { return fallback }
            defer { sp_free_error_message(m) }
            return String(cString: m)
        case SP_ERR_ARG: return "invalid argument (\(fallback))"
        case SP_ERR_MEM: return "out of memory (\(fallback))"
        case SP_ERR_SUPP: return "not supported on this system (\(fallback))"
        default: return fallback
        }
    }
}
