#if canImport(Glibc)
import Glibc
#endif

/// A libserialport or OS failure, carrying the library's own message so the user sees why.
public struct SerialPortError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        /// No such port (path missing, or not a serial port libserialport knows).
        case notFound
        /// The OS refused access; `group` names the group that owns the device (dialout, plugdev…).
        case permissionDenied(group: String?)
        /// The device went away (unplugged, EIO, hang-up).
        case disconnected
        case invalidArgument
        case unsupported
        case failed(code: Int32)
    }

    public var kind: Kind
    public var port: String
    public var message: String

    public init(kind: Kind, port: String, message: String) {
        self.kind = kind
        self.port = port
        self.message = message
    }

    public var description: String {
        switch kind {
        case .permissionDenied(let group?):
            return "permission denied opening \(port): the port belongs to group '\(group)'; run "
                + "`sudo usermod -aG \(group) $USER` and log in again"
        case .permissionDenied(nil):
            return "permission denied opening \(port): \(message)"
        case .notFound:
            return "no serial port \(port): \(message)"
        case .disconnected:
            return "\(port) disconnected: \(message)"
        default:
            return "\(port): \(message)"
        }
    }

    /// The group owning a device file, for the permission hint.
    static func owningGroup(of path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0, let gr = getgrgid(st.st_gid), let name = gr.pointee.gr_name else { return nil }
        return String(cString: name)
    }
}
