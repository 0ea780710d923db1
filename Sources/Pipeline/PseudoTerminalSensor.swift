import Foundation
import SensorDevice
import SensorProtocol
import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a `VirtualFirmware` behind a pseudo-terminal in real time, on its own thread: the virtual sensor of
/// `gaitpop simulate --pty` and of the device tests. It can be unplugged (the controller side closes, the host sees
/// a hang-up) and plugged back in as a new /dev/pts/N; a stable `linkPath` symlink then moves to the new terminal,
/// the way udev's /dev/serial/by-id names follow a re-enumerated USB device.
public final class PseudoTerminalSensor: @unchecked Sendable {
    public let firmware: VirtualFirmware
    /// Path the host should open: the symlink if one was asked for, else the pty itself.
    public var devicePath: String { lock.withLock { linkPath ?? pty?.devicePath ?? "" } }
    /// Optional transformation of outgoing bytes (tests inject garbage, bit flips and losses here).
    public var wireFilter: (([UInt8]) -> [UInt8])?
    /// Write in random 1–97-byte pieces instead of whole bursts, so the host sees frames split at arbitrary points.
    public var splitWrites = false
    private var splitRng = SplitMix64(seed: 5)
    public private(set) var bytesSent = 0

    private let linkPath: String?
    private var pty: PseudoTerminal?
    private let lock = NSLock()
    private var thread: Thread?
    private var running = false
    private let startMicros = Double(HostClock.micros())

    /// Virtual time runs this many times faster than the wall clock (1 = real time; the demo may go faster).
    public let timeScale: Double

    public init(firmware: VirtualFirmware, linkPath: String? = nil, timeScale: Double = 1) throws {
        self.firmware = firmware
        self.linkPath = linkPath
        self.timeScale = timeScale
        try plugIn()
    }

    deinit { stop() }

    /// Host time as the firmware sees it (µs since the sensor was created).
    public var hostMicros: Double { (Double(HostClock.micros()) - startMicros) * timeScale }

    public func start() {
        lock.withLock { running = true }
        let t = Thread { [weak self] in self?.loop() }
        t.name = "virtual-sensor"
        thread = t
        t.start()
    }

    /// Stops the thread and closes the terminal.
    public func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            let r = running
            running = false
            return r
        }
        if wasRunning { while thread?.isFinished == false { usleep(1000) } }
        lock.withLock {
            pty?.close()
            pty = nil
            if let l = linkPath { unlink(l) }
        }
    }

    /// Pulls the cable: the host's reads fail from now on.
    public func unplug() {
        lock.withLock {
            pty?.close()
            pty = nil
            if let l = linkPath { unlink(l) }
        }
    }

    /// Plugs back in as a new pseudo-terminal; the firmware reboots (sequence numbers restart), as a real one would.
    public func replug() throws {
        lock.withLock { firmware.reboot() }
        try plugIn()
    }

    /// The wearer presses the marker button.
    public func pressMarker(_ kind: Marker.Kind = .pain) {
        lock.withLock {
            let bytes = firmware.marker(kind: kind, hostMicros: hostMicros)
            send(bytes)
        }
    }

    private func plugIn() throws {
        let p = try PseudoTerminal()
        lock.withLock {
            pty = p
            if let l = linkPath {
                unlink(l)
                symlink(p.devicePath, l)
            }
        }
    }

    private func loop() {
        while lock.withLock({ running }) {
            // Wait for host bytes (or 2 ms), answer them, then send every block that is due.
            let fd = lock.withLock { pty?.controllerFD ?? -1 }
            var incoming: [UInt8] = []
            if fd >= 0 {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&p, 1, 2) > 0 {
                    incoming = lock.withLock { pty?.read(timeoutMs: 0) ?? [] }
                }
            } else {
                usleep(2000)
            }
            lock.withLock {
                guard pty != nil else { return }
                let now = hostMicros
                var out = incoming.isEmpty ? [] : firmware.receive(incoming, hostMicros: now)
                firmware.produce(untilHostMicros: now, into: &out)
                send(out)
            }
        }
    }

    /// Called with the lock held.
    private func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, let p = pty else { return }
        let wire = wireFilter?(bytes) ?? bytes
        guard splitWrites else {
            if p.write(wire, timeoutMs: 200) { bytesSent += wire.count }
            return
        }
        var i = 0
        while i < wire.count {
            let n = min(1 + Int(splitRng.next() % 97), wire.count - i)
            guard p.write(Array(wire[i..<i + n]), timeoutMs: 200) else { return }
            bytesSent += n
            i += n
        }
    }
}
