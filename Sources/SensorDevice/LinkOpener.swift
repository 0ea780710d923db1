import SerialPort
#if canImport(Glibc)
import Glibc
#endif

/// Chooses the link for a path: libserialport for ports it knows (USB CDC, UARTs: they have a sysfs entry), the
/// termios link for everything else that is a character device — pseudo-terminals above all, which
/// libserialport 0.1.1 refuses.
public enum LinkOpener {
    public enum Kind: String, Sendable { case libserialport, termios }

    /// Which link `open` would use for `path`.
    public static func kind(for path: String) -> Kind {
        let resolved = resolvedPath(path)
        if resolved.hasPrefix("/dev/pts/") || resolved == "/dev/ptmx" { return .termios }
        if (try? SerialPort.info(path: resolved)) != nil { return .libserialport }
        return .termios
    }

    public static func open(path: String, baudRate: Int = 921_600) throws -> ByteLink {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let e = errno
            throw LinkError.openFailed(path: path, reason: e == ENOENT ? "no such device (is the sensor plugged in?)"
                                                                       : errnoString(e))
        }
        // Protocol frames are written to whatever is opened: only a character device (serial port,
        // pseudo-terminal) may be, never a recording or any other file given by mistake.
        if let what = notADevice(st) {
            throw LinkError.openFailed(path: path, reason: "\(what), not a serial port or pseudo-terminal")
        }
        switch kind(for: path) {
        case .libserialport: return try SerialPortLink(path: resolvedPath(path), baudRate: baudRate)
        case .termios: return try TermiosLink(path: path, baudRate: baudRate)
        }
    }

    /// Why `path` cannot be a sensor port ("is a regular file", …), or nil when it is a character device or does
    /// not exist (then opening it says so, with the plug-it-in hint). For the CLI's flag checks.
    public static func notADevice(path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return notADevice(st).map { "\(path) \($0), not a serial port or pseudo-terminal" }
    }

    static func notADevice(_ st: stat) -> String? {
        switch st.st_mode & S_IFMT {
        case S_IFCHR: return nil
        case S_IFREG: return st.st_size > 0 ? "is a regular file" : "is an empty file"
        case S_IFDIR: return "is a folder"
        case S_IFIFO: return "is a FIFO (named pipe)"
        case S_IFSOCK: return "is a socket"
        case S_IFBLK: return "is a block device (a disk)"
        default: return "is not a device"
        }
    }

    /// Follows symlinks (udev's /dev/serial/by-id/… names point at ttyACMn).
    static func resolvedPath(_ path: String) -> String {
        guard let r = realpath(path, nil) else { return path }
        defer { free(r) }
        return String(cString: r)
    }
}
