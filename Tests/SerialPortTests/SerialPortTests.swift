import XCTest
@testable import SerialPort

/// Real libserialport calls on this machine (no hardware assumed).
final class SerialPortTests: XCTestCase {
    func testListingWorksAndDescribesEachPort() throws {
        let ports = try SerialPort.listPorts()
        for p in ports {
            XCTAssertTrue(p.path.hasPrefix("/dev/"), p.path)
            if p.transport == .usb { XCTAssertNotNil(p.usbVendorID, "USB ports carry their vendor id") }
        }
        XCTAssertEqual(ports.map(\.path), ports.map(\.path).sorted())
    }

    func testOpeningAMissingPortGivesLibserialportsReason() {
        XCTAssertThrowsError(try SerialPort(path: "/dev/ttyGAITPOP0")) { e in
            let err = e as? SerialPortError
            XCTAssertEqual(err?.kind, .notFound)
            XCTAssertEqual("\(e)", "no serial port /dev/ttyGAITPOP0: no such device (is the sensor plugged in?)")
        }
        XCTAssertThrowsError(try SerialPort.info(path: "/dev/ttyGAITPOP0")) { e in
            XCTAssertEqual((e as? SerialPortError)?.kind, .notFound)
        }
    }

    func testANonSerialFileIsRefused() {
        XCTAssertThrowsError(try SerialPort(path: "/dev/null")) { e in
            XCTAssertEqual((e as? SerialPortError)?.kind, .notFound)
            XCTAssertTrue("\(e)".contains("not a serial port"), "\(e)")
        }
    }

    func testPermissionHintNamesTheGroup() {
        let e = SerialPortError(kind: .permissionDenied(group: "dialout"), port: "/dev/ttyACM0", message: "EACCES")
        XCTAssertEqual("\(e)", "permission denied opening /dev/ttyACM0: the port belongs to group 'dialout'; run "
                       + "`sudo usermod -aG dialout $USER` and log in again")
        XCTAssertEqual(SerialPortError.owningGroup(of: "/dev/null"), "root")
    }
}
