import SerialPort
#if canImport(Glibc)
import Glibc
#endif

/// Everything a `DeviceSession` asks of the outside world — opening links, the monotonic clock, waiting, and the
/// USB identity of ports — routed through one value, the way `SystemCalls` routes the termios link's syscalls. The
/// live environment uses the real calls; tests substitute an in-memory link and a virtual clock, so handshakes,
/// time-outs, unplugs and reconnects run in milliseconds with no pseudo-terminal and no real waiting (the idea of
/// swift-nio's `EmbeddedChannel` and `EmbeddedEventLoop.advanceTime`).
public struct SessionEnvironment {
    /// Opens a path at a baud rate.
    public var openLink: (String, Int) throws -> ByteLink
    /// Monotonic host time, nanoseconds (any origin: the session subtracts its start).
    public var nanos: () -> Int64
    /// Waits this many nanoseconds (between reconnection attempts).
    public var sleep: (Int64) -> Void
    /// The USB identity of the port at a path, nil when it has none (pseudo-terminals, files).
    public var portInfo: (String) -> SerialPortInfo?
    /// Every serial port now present (to find a re-plugged sensor under a new name).
    public var listPorts: () -> [SerialPortInfo]

    public init(openLink: @escaping (String, Int) throws -> ByteLink, nanos: @escaping () -> Int64,
                sleep: @escaping (Int64) -> Void, portInfo: @escaping (String) -> SerialPortInfo?,
                listPorts: @escaping () -> [SerialPortInfo]) {
        self.openLink = openLink
        self.nanos = nanos
        self.sleep = sleep
        self.portInfo = portInfo
        self.listPorts = listPorts
    }

    /// Real links, CLOCK_MONOTONIC, `nanosleep`, libserialport's port list.
    public static var live: SessionEnvironment {
        SessionEnvironment(
            openLink: { try LinkOpener.open(path: $0, baudRate: $1) },
            nanos: { HostClock.nanos() },
            sleep: { n in
                guard n > 0 else { return }
                var ts = timespec(tv_sec: Int(n / 1_000_000_000), tv_nsec: Int(n % 1_000_000_000))
                var rest = timespec()
                while nanosleep(&ts, &rest) != 0 && errno == EINTR { ts = rest }
            },
            portInfo: { try? SerialPort.info(path: LinkOpener.resolvedPath($0)) },
            listPorts: { (try? SerialPort.listPorts()) ?? [] }
        )
    }
}
