import Foundation
import XCTest
@testable import SensorDevice
@testable import SerialPort
#if canImport(Glibc)
import Glibc
#endif

final class LinkTests: XCTestCase {
    func testPathsChooseTheRightLink() throws {
        let pty = try PseudoTerminal()
        XCTAssertEqual(LinkOpener.kind(for: pty.devicePath), .termios, "libserialport refuses pseudo-terminals")
        let link = try LinkOpener.open(path: pty.devicePath)
        XCTAssertTrue(link.description.contains("termios"))
        link.close()
    }

    func testMissingPortGivesOneClearLine() {
        XCTAssertThrowsError(try LinkOpener.open(path: "/dev/ttyGAITPOP-MISSING")) { e in
            XCTAssertEqual("\(e)", "cannot open /dev/ttyGAITPOP-MISSING: no such device (is the sensor plugged in?)")
        }
    }

    func testTermiosReadTellsTimeoutFromHangUp() throws {
        let pty = try PseudoTerminal()
        let link = try TermiosLink(path: pty.devicePath)
        var buf = [UInt8](repeating: 0, count: 64)
        // Quiet: 0 bytes, no error.
        XCTAssertEqual(try buf.withUnsafeMutableBytes { try link.read(into: $0, timeoutMs: 30) }, 0)
        pty.write([1, 2, 3])
        XCTAssertEqual(try buf.withUnsafeMutableBytes { try link.read(into: $0, timeoutMs: 500) }, 3)
        XCTAssertEqual(Array(buf[0..<3]), [1, 2, 3], "raw mode: bytes arrive untranslated")
        // Unplugged: the controller side closes → the next read throws disconnected.
        pty.close()
        XCTAssertThrowsError(try buf.withUnsafeMutableBytes { try link.read(into: $0, timeoutMs: 500) }) { e in
            XCTAssertTrue((e as? LinkError)?.isDisconnect == true, "\(e)")
        }
        // Writing after unplug throws, never crashes.
        XCTAssertThrowsError(try link.write([0, 1, 2]))
    }

    func testForcedEIOMidReadIsADisconnect() throws {
        let pty = try PseudoTerminal()
        var calls = 0
        let sys = SystemCalls(
            poll: { p, _, _ in p.pointee.revents = Int16(POLLIN); return 1 },
            read: { _, buf, n in
                calls += 1
                if calls == 1 { buf!.storeBytes(of: 0x42, as: UInt8.self); return 1 }
                errno = EIO
                return -1
            },
            write: { _, _, n in n })
        let link = try TermiosLink(path: pty.devicePath, sys: sys)
        var buf = [UInt8](repeating: 0, count: 16)
        XCTAssertEqual(try buf.withUnsafeMutableBytes { try link.read(into: $0, timeoutMs: 10) }, 1)
        XCTAssertThrowsError(try buf.withUnsafeMutableBytes { try link.read(into: $0, timeoutMs: 10) }) { e in
            XCTAssertEqual(e as? LinkError, .disconnected(path: pty.devicePath, reason: String(cString: strerror(EIO))))
        }
    }
}
