#if canImport(Glibc)
import Glibc
#endif

/// The POSIX calls the termios link makes, routed through one value so tests can force an errno (EIO mid-read,
/// a hang-up) without hardware — the pattern swift-system uses for its syscall mocking.
public struct SystemCalls: @unchecked Sendable {
    public var poll: (UnsafeMutablePointer<pollfd>, nfds_t, Int32) -> Int32
    public var read: (Int32, UnsafeMutableRawPointer?, Int) -> Int
    public var write: (Int32, UnsafeRawPointer?, Int) -> Int

    public init(poll: @escaping (UnsafeMutablePointer<pollfd>, nfds_t, Int32) -> Int32,
                read: @escaping (Int32, UnsafeMutableRawPointer?, Int) -> Int,
                write: @escaping (Int32, UnsafeRawPointer?, Int) -> Int) {
        self.poll = poll
        self.read = read
        self.write = write
    }

    public static let live = SystemCalls(
        poll: { Glibc.poll($0, $1, $2) },
        read: { Glibc.read($0, $1, $2) },
        write: { Glibc.write($0, $1, $2) }
    )
}

func errnoString(_ e: Int32 = errno) -> String { String(cString: strerror(e)) }
