import XCTest
import DeviceTestSupport
import TestSupport
@testable import SensorDevice
@testable import SensorProtocol
import SerialPort
import Simulation

/// The device session against the firmware model over an in-memory link with a virtual clock (swift-nio's
/// EmbeddedChannel + advanceTime): handshake, time-outs, time sync, unplug by EIO or by silence, and reconnection
/// under a new name, each in milliseconds of real time and with exact virtual times to assert on. The real
/// pseudo-terminal tests (PseudoTerminalSessionTests) stay as the integration layer.
final class EmbeddedSessionTests: XCTestCase {
    /// Records what the session reports, with virtual session times.
    final class Collector: SessionSink {
        var events: [(event: SessionEvent, seconds: Double)] = []
        var frameTypes: [FrameType?] = []
        var frameSeconds: [Double] = []
        var bytes = 0
        func session(received bytes: UnsafeRawBufferPointer, hostNanos: Int64) throws { self.bytes += bytes.count }
        func session(frame: FrameView, hostNanos: Int64) throws {
            frameTypes.append(frame.knownType)
            frameSeconds.append(Double(hostNanos) / 1e9)
        }
        func session(event: SessionEvent, hostNanos: Int64) throws { events.append((event, Double(hostNanos) / 1e9)) }
        func count(_ t: FrameType, from: Double = -.infinity, to: Double = .infinity) -> Int {
            zip(frameTypes, frameSeconds).filter { $0.0 == t && $0.1 >= from && $0.1 < to }.count
        }
    }

    static let usb = SerialPortInfo(path: "", transport: .usb, usbVendorID: 0x1209, usbProductID: 0x6770,
                                    serialNumber: "GP-SIM-0001")

    static func peer(_ fw: VirtualFirmware) -> EmbeddedPeer {
        EmbeddedPeer(receive: { fw.receive($0, hostMicros: $1) }, produce: { fw.produce(untilHostMicros: $0) })
    }

    /// The frames the host wrote on a link, decoded.
    static func commands(_ link: EmbeddedLink) -> [FrameType?] {
        var out: [FrameType?] = []
        FrameDecoder().feed(link.written) { out.append($0.knownType) }
        return out
    }

    func testHandshakeStreamAndStopInVirtualTime() throws {
        let bus = EmbeddedBus()
        let fw = VirtualFirmware(source: StillSource(seed: 1))
        bus.plug(Self.peer(fw), at: "/dev/ttyACM0", usb: Self.usb)
        let session = DeviceSession(path: "/dev/ttyACM0", environment: bus.environment)
        let info = try session.connect()
        XCTAssertEqual(info.serialNumber, "GP-SIM-0001")
        XCTAssertEqual(session.usbIdentity?.serialNumber, "GP-SIM-0001", "USB identity remembered for re-enumeration")
        // One GET_INFO, answered after a round trip of the link (2 × 0.2 ms) plus at most one 1 ms read step.
        XCTAssertEqual(Self.commands(bus.links[0]), [.getInfo])
        XCTAssertLessThan(session.hostNanos, 2_000_000)

        let sink = Collector()
        try session.run(sink: sink) { session.hostNanos >= 3_000_000_000 }
        XCTAssertFalse(fw.streaming, "STOP sent on the way out")
        let sent = Self.commands(bus.links[0])
        XCTAssertEqual(sent.first, .getInfo)
        XCTAssertEqual(sent.filter { $0 == .start }.count, 1)
        XCTAssertEqual(sent.last, .stop)
        XCTAssertEqual(sent.filter { $0 == .ping }.count, 3, "a PING at 0, 1 and 2 s")
        XCTAssertEqual(sink.events.map(\.event), [.connected(info, link: "/dev/ttyACM0 (in memory)")])
        // 3 s of 100 Hz IMU in blocks of 10 and 16 kHz audio in blocks of 160, less what is still in the device.
        XCTAssertEqual(sink.count(.imuBlock), 29, accuracy: 1)
        XCTAssertEqual(sink.count(.audioBlock), 299, accuracy: 2)
        XCTAssertEqual(sink.count(.pong), 3)
        XCTAssertEqual(session.stats.decoder.crcErrors + session.stats.decoder.lostFrames, 0)
        XCTAssertEqual(sink.bytes, session.stats.decoder.bytes, "every byte read reached the sink, the handshake's too")
    }

    func testSilentPortFailsTheHandshakeAfterEveryAttempt() {
        let bus = EmbeddedBus()
        bus.plug(EmbeddedPeer(receive: { _, _ in [] }, produce: { _ in [] }), at: "/dev/ttyUSB0")
        var o = DeviceSession.Options()
        o.handshakeAttempts = 3
        o.handshakeTimeoutSeconds = 0.6
        let session = DeviceSession(path: "/dev/ttyUSB0", options: o, environment: bus.environment)
        XCTAssertThrowsError(try session.connect()) { e in
            XCTAssertEqual("\(e)", "no DEVICE_INFO from /dev/ttyUSB0 (in memory) after 3 GET_INFO requests: is it a gaitpop sensor, powered, at the right baud rate?")
        }
        XCTAssertEqual(Self.commands(bus.links[0]), [.getInfo, .getInfo, .getInfo])
        XCTAssertEqual(Double(session.hostNanos) / 1e9, 1.8, accuracy: 0.03, "3 × 0.6 s of virtual time")
        XCTAssertTrue(bus.links[0].isClosed)
    }

    /// 150 ppm of drift and an offset, with most replies held up by a random 0–20 ms on the way back: the session's
    /// PING/PONG estimate keeps the fast exchanges and finds both.
    func testTimeSyncFindsDriftAndOffsetThroughQueueingDelay() throws {
        let clock = VirtualClock(startNanos: 5_000_000_000)
        let bus = EmbeddedBus(clock: clock)
        var rng = SplitMixRandom(seed: 7)
        bus.replyDelayNanos = { Double.random(in: 0..<1, using: &rng) < 0.7 ? Int64.random(in: 0...20_000_000, using: &rng) : 0 }
        let fw = VirtualFirmware(source: StillSource(seed: 2), clockDriftPPM: 150, clockOffsetMicros: 2_500_000)
        bus.plug(Self.peer(fw), at: "/dev/ttyACM0")
        var o = DeviceSession.Options()
        o.pingIntervalSeconds = 0.25
        let session = DeviceSession(path: "/dev/ttyACM0", options: o, environment: bus.environment)
        try session.run(sink: Collector()) { session.hostNanos >= 60_000_000_000 }
        let e = try XCTUnwrap(session.stats.clock)
        XCTAssertGreaterThan(e.exchangesUsed, 30)
        XCTAssertEqual(e.driftPPM, 150, accuracy: 2)
        XCTAssertEqual(e.minDelayMicros, 400, accuracy: 5, "two 0.2 ms hops")
        // Truth: device = (session host + 5 s) · (1 + 150e-6) + 2.5 s, so device − host at the reference time is:
        let k = 150e-6
        let trueOffset = k * e.referenceHostMicros + 5e6 * (1 + k) + 2.5e6
        XCTAssertEqual(e.offsetMicros, trueOffset, accuracy: 150)
        // And a device timestamp maps back to the host time it was taken at.
        let host = 30e6
        XCTAssertEqual(e.hostMicros(ofDevice: fw.deviceMicros(atHost: host + 5e6)), host, accuracy: 200)
    }

    func testSilenceIsTakenForAnUnplug() throws {
        let bus = EmbeddedBus()
        bus.plug(Self.peer(VirtualFirmware(source: StillSource(seed: 3))), at: "/dev/ttyACM0")
        var o = DeviceSession.Options()
        o.reconnect = false
        o.silenceTimeoutSeconds = 2
        let session = DeviceSession(path: "/dev/ttyACM0", options: o, environment: bus.environment)
        let sink = Collector()
        var silenced = false
        XCTAssertThrowsError(try session.run(sink: sink) {
            if !silenced && session.hostNanos >= 1_000_000_000 { bus.unplug("/dev/ttyACM0", fault: .silence); silenced = true }
            return session.hostNanos > 30_000_000_000
        }) { e in
            XCTAssertEqual(e as? LinkError, .disconnected(path: "/dev/ttyACM0", reason: "no data for 2.0 s"))
        }
        XCTAssertEqual(sink.events.count, 2)
        guard sink.events.count == 2 else { return }
        XCTAssertEqual(sink.events[1].event, .disconnected(reason: "/dev/ttyACM0 disconnected: no data for 2.0 s"))
        // The last bytes came just before 1 s; the drop is declared 2 s later, not earlier and not much later.
        XCTAssertEqual(sink.events[1].seconds, 3.0, accuracy: 0.05)
        XCTAssertEqual(session.stats.disconnects, 1)
        XCTAssertFalse(session.stats.connected)
    }

    /// An unplug (EIO) is seen at once; the sensor comes back as another port (a squatter that is no sensor took
    /// its old name) and is found again by its USB identity; the stream goes on with a restarted decoder.
    func testEIOUnplugThenReconnectUnderANewName() throws {
        let bus = EmbeddedBus()
        let fw = VirtualFirmware(source: StillSource(seed: 4))
        bus.plug(Self.peer(fw), at: "/dev/ttyACM0", usb: Self.usb)
        let session = DeviceSession(path: "/dev/ttyACM0", environment: bus.environment)
        let sink = Collector()
        var unpluggedAt: Double?, replugged = false
        try session.run(sink: sink) {
            let t = Double(session.hostNanos) / 1e9
            if unpluggedAt == nil && t >= 1.2 { bus.unplug("/dev/ttyACM0", fault: .eio); unpluggedAt = t }
            if !replugged && t >= 2.0 {
                bus.plug(EmbeddedPeer(receive: { _, _ in [] }, produce: { _ in [] }), at: "/dev/ttyACM0")
                fw.reboot()
                bus.plug(Self.peer(fw), at: "/dev/ttyACM1", usb: Self.usb)
                replugged = true
            }
            return t >= 6.0
        }
        XCTAssertEqual(sink.events.count, 3)
        guard sink.events.count == 3, let unplug = unpluggedAt else { return }
        XCTAssertEqual(sink.events[1].event, .disconnected(reason: "/dev/ttyACM0 disconnected: Input/output error"))
        XCTAssertEqual(sink.events[1].seconds, unplug, accuracy: 0.025, "EIO is seen by the next read")
        guard case .reconnected(let info, let link) = sink.events[2].event else { return XCTFail("\(sink.events)") }
        XCTAssertEqual(info.serialNumber, "GP-SIM-0001")
        XCTAssertEqual(link, "/dev/ttyACM1 (in memory)")
        // Attempts every 0.25 s from the unplug at 1.2 s: the first after the replug (2.0 s) is at 2.45 s, where the
        // squatter on the old name gets its 3 GET_INFOs (3 × 0.6 s) before the new name is tried.
        XCTAssertEqual(sink.events[2].seconds, 2.45 + 1.8, accuracy: 0.03)
        XCTAssertTrue(bus.openAttempts.contains("/dev/ttyACM1"))
        XCTAssertEqual(session.stats.disconnects, 1)
        XCTAssertEqual(session.stats.reconnects, 1)
        XCTAssertTrue(session.stats.connected)
        XCTAssertEqual(session.stats.decoder.seqRestarts, 0, "the decoder was reset at the link event")
        XCTAssertFalse(fw.streaming, "STOP sent on the new port on the way out")
        // Stream blocks (10 IMU samples each, 100 Hz) from both sides of the gap and none inside it.
        let back = sink.events[2].seconds
        // (The unplug happens in `shouldStop`, after the read of that instant: its frame counts as before.)
        let cut = unplug + 1e-6
        XCTAssertEqual(sink.count(.imuBlock, to: cut), 12, accuracy: 1)
        XCTAssertEqual(sink.count(.imuBlock, from: cut, to: back), 0)
        XCTAssertEqual(sink.count(.imuBlock, from: back), 17, accuracy: 1)
    }

    func testReconnectGivesUpAfterItsTimeout() {
        let bus = EmbeddedBus()
        bus.plug(Self.peer(VirtualFirmware(source: StillSource(seed: 5))), at: "/dev/ttyACM0")
        var o = DeviceSession.Options()
        o.reconnectTimeoutSeconds = 3
        let session = DeviceSession(path: "/dev/ttyACM0", options: o, environment: bus.environment)
        var unplugged = false
        XCTAssertThrowsError(try session.run(sink: Collector()) {
            if !unplugged && session.hostNanos >= 500_000_000 { bus.unplug("/dev/ttyACM0"); unplugged = true }
            return session.hostNanos > 600_000_000_000
        }) { e in
            XCTAssertEqual("\(e)", "device did not come back within 3 s (last error: cannot open /dev/ttyACM0: no such device (is the sensor plugged in?)); recording kept up to the unplug")
        }
        XCTAssertEqual(Double(session.hostNanos) / 1e9, 0.5 + 3.25, accuracy: 0.1, "gave up at the time-out, not later")
        XCTAssertGreaterThanOrEqual(bus.openAttempts.count, 12, "tried every 0.25 s")
    }
}
