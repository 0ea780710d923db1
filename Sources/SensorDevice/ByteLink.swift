/// A byte pipe to a sensor: a USB serial port through libserialport, or a pseudo-terminal/character device
/// through termios. The device session only sees this interface, so live capture, the virtual sensor and tests
/// share one code path.
public protocol ByteLink: AnyObject {
    /// Human-readable description, e.g. "/dev/ttyACM0 (libserialport)".
    var description: String { get }
    /// Reads up to `buffer.count` bytes, waiting at most `timeoutMs`. 0 = nothing arrived in time (a quiet link).
    /// Throws `LinkError.disconnected` when the device is gone (hang-up, EIO, EOF) so callers never confuse the two.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int) throws -> Int
    /// Writes every byte or throws; never crashes on a vanished device.
    func write(_ bytes: [UInt8]) throws
    func close()
}

/// Failures of a link, rendered by the CLI as one line.
public enum LinkError: Error, CustomStringConvertible, Equatable {
    case openFailed(path: String, reason: String)
    case disconnected(path: String, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .openFailed(let p, let r): "cannot open \(p): \(r)"
        case .disconnected(let p, let r): "\(p) disconnected: \(r)"
        case .io(let p, let r): "\(p): \(r)"
        }
    }

    public var isDisconnect: Bool {
        if case .disconnected = self { return true }
        return false
    }
}
