import SensorDevice
import SerialPort

/// A device at the far end of an in-memory link: it takes the host's bytes and answers, and produces bytes on its
/// own as its clock runs (stream data). Times are host microseconds of the virtual clock; the firmware model
/// (`VirtualFirmware`) has exactly this shape.
public struct EmbeddedPeer {
    public var receive: (_ bytes: [UInt8], _ hostMicros: Double) -> [UInt8]
    public var produce: (_ untilHostMicros: Double) -> [UInt8]

    public init(receive: @escaping ([UInt8], Double) -> [UInt8], produce: @escaping (Double) -> [UInt8]) {
        self.receive = receive
        self.produce = produce
    }
}

/// How a link stops working.
public enum EmbeddedFault: Equatable {
    /// The kernel reports the device gone: reads and writes fail with EIO (a USB unplug).
    case eio
    /// The device stops talking but the port stays open (a hung sensor, a cable with power but no data):
    /// reads time out, writes vanish.
    case silence
}

/// A `ByteLink` in memory, driven by a `VirtualClock`: bytes written reach the peer after `latencyNanos`, its
/// replies and stream bytes reach the host `latencyNanos` after it sent them, and a read with nothing due advances
/// the clock (by at most its time-out) instead of sleeping. Reads return at most `maxReadBytes`, as a tty hands
/// over what arrived so far.
public final class EmbeddedLink: ByteLink {
    public let path: String
    public let clock: VirtualClock
    public var peer: EmbeddedPeer
    public var latencyNanos: Int64
    public var maxReadBytes: Int
    /// Extra delay of each reply on its way back (queueing in a USB stack or a busy device), asked per write;
    /// asymmetric delay is what time synchronisation has to see through.
    public var replyDelayNanos: () -> Int64 = { 0 }
    public private(set) var fault: EmbeddedFault?
    public private(set) var isClosed = false
    /// Every byte the host wrote, in order (for assertions on commands).
    public private(set) var written: [UInt8] = []
    /// Bytes in flight to the host: (host time they arrive, bytes).
    private var inbound: [(atNanos: Int64, bytes: [UInt8])] = []
    private var pending: ArraySlice<UInt8> = []

    public init(path: String, clock: VirtualClock, peer: EmbeddedPeer, latencyNanos: Int64 = 200_000,
                maxReadBytes: Int = 512) {
        self.path = path
        self.clock = clock
        self.peer = peer
        self.latencyNanos = latencyNanos
        self.maxReadBytes = maxReadBytes
    }

    public var description: String { "\(path) (in memory)" }

    /// Breaks the link the way `fault` says.
    public func fail(_ fault: EmbeddedFault) { self.fault = fault }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int) throws -> Int {
        let deadline = clock.nanos + Int64(max(0, timeoutMs)) * 1_000_000
        while true {
            try checkOpen()
            if fault == .silence {
                clock.advance(toNanos: deadline)
                return 0
            }
            pullProduced()
            if pending.isEmpty, let first = inbound.first, first.atNanos <= clock.nanos {
                pending = first.bytes[...]
                inbound.removeFirst()
            }
            if !pending.isEmpty {
                let n = min(buffer.count, maxReadBytes, pending.count)
                for k in 0..<n { buffer[k] = pending[pending.startIndex + k] }
                pending = pending.dropFirst(n)
                return n
            }
            if clock.nanos >= deadline { return 0 }
            // Nothing due yet: wait (virtually) for the next byte or the time-out, whichever comes first. Stream
            // data is produced at least every 10 ms of device time, so step in 1 ms when no delivery is queued.
            let next = inbound.first?.atNanos ?? (clock.nanos + 1_000_000)
            clock.advance(toNanos: min(deadline, max(next, clock.nanos + 1)))
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try checkOpen()
        written += bytes
        guard fault == nil else { return }
        let arrives = clock.nanos + latencyNanos
        let reply = peer.receive(bytes, Double(arrives) / 1e3)
        if !reply.isEmpty { enqueue(reply, at: arrives + latencyNanos + max(0, replyDelayNanos())) }
    }

    public func close() { isClosed = true }

    private func checkOpen() throws {
        if isClosed { throw LinkError.io(path: path, reason: "link is closed") }
        if fault == .eio { throw LinkError.disconnected(path: path, reason: "Input/output error") }
    }

    /// Stream bytes the device has produced by (now − latency), delivered now.
    private func pullProduced() {
        let bytes = peer.produce(Double(clock.nanos - latencyNanos) / 1e3)
        if !bytes.isEmpty { enqueue(bytes, at: clock.nanos) }
    }

    private func enqueue(_ bytes: [UInt8], at t: Int64) {
        // Keep arrival order: a link never reorders bytes.
        let at = max(t, inbound.last?.atNanos ?? t)
        inbound.append((at, bytes))
    }
}

/// The ports of a virtual machine: which device sits at which path, and the `SessionEnvironment` a
/// `DeviceSession` uses to reach them — opening, the virtual clock, waiting, USB identities. Unplugging removes a
/// device from its path; plugging it in again may use another path (re-enumeration, `ttyACM0` → `ttyACM1`).
public final class EmbeddedBus {
    public let clock: VirtualClock
    public var latencyNanos: Int64 = 200_000
    public var maxReadBytes = 512
    /// Given to every link opened from now on (see `EmbeddedLink.replyDelayNanos`).
    public var replyDelayNanos: () -> Int64 = { 0 }
    private var devices: [String: (peer: EmbeddedPeer, usb: SerialPortInfo?)] = [:]
    /// Every link opened, in order (the last is the live one).
    public private(set) var links: [EmbeddedLink] = []
    /// Paths whose opening was attempted, in order.
    public private(set) var openAttempts: [String] = []

    public init(clock: VirtualClock = VirtualClock()) { self.clock = clock }

    /// Puts a device at `path`, with an optional USB identity (vendor, product, serial).
    public func plug(_ peer: EmbeddedPeer, at path: String, usb: SerialPortInfo? = nil) {
        var info = usb
        info?.path = path
        devices[path] = (peer, info)
    }

    /// Takes the device off `path`; its open link fails the way `fault` says.
    public func unplug(_ path: String, fault: EmbeddedFault = .eio) {
        devices[path] = nil
        for l in links where l.path == path && !l.isClosed { l.fail(fault) }
    }

    public var environment: SessionEnvironment {
        SessionEnvironment(
            openLink: { [unowned self] path, _ in
                openAttempts.append(path)
                guard let d = devices[path] else {
                    throw LinkError.openFailed(path: path, reason: "no such device (is the sensor plugged in?)")
                }
                let l = EmbeddedLink(path: path, clock: clock, peer: d.peer, latencyNanos: latencyNanos,
                                     maxReadBytes: maxReadBytes)
                l.replyDelayNanos = replyDelayNanos
                links.append(l)
                return l
            },
            nanos: { [unowned self] in clock.nanos },
            sleep: { [unowned self] n in clock.advance(byNanos: max(0, n)) },
            portInfo: { [unowned self] path in devices[path]?.usb },
            listPorts: { [unowned self] in devices.values.compactMap(\.usb).sorted { $0.path < $1.path } }
        )
    }
}
