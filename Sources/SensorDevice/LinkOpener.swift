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
        switch kind(for: path) {
        case .libserialport: return try SerialPortLink(path: resolvedPath(path), baudRate: baudRate)
        case .termios: return try TermiosLink(path: path, baudRate: baudRate)
        }
    }

    /// Follows symlinks (udev's /dev/serial/by-id/… names point at ttyACMn).
    static func resolvedPath(_ path: String) -> String {
        guard let r = realpath(path, nil) else { return path }
        defer { free(r) }
        return String(cString: r)
    }
}
