import Foundation
import SensorDevice
import XCTest

/// A port path is written to (GET_INFO, START, PING), so only a character device may ever be opened as one.
final class PortSafetyTests: XCTestCase {
    func testOpeningARegularFileAsAPortFailsAndWritesNothing() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("port-\(UUID().uuidString).gpsession")
        let content = Data((0..<4096).map { UInt8($0 & 0xFF) })
        try content.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertThrowsError(try LinkOpener.open(path: file.path)) { e in
            XCTAssertTrue("\(e)".contains("regular file"), "\(e)")
        }
        XCTAssertThrowsError(try TermiosLink(path: file.path))
        let session = DeviceSession(path: file.path)
        XCTAssertThrowsError(try session.connect())
        XCTAssertEqual(try Data(contentsOf: file), content, "the file must be byte-identical")
        XCTAssertNotNil(LinkOpener.notADevice(path: file.path))
        XCTAssertNil(LinkOpener.notADevice(path: "/dev/null"), "/dev/null is a character device")
    }

    func testFoldersAndFIFOsAreNamedForWhatTheyAre() throws {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("port-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: d) }
        XCTAssertTrue(LinkOpener.notADevice(path: d.path)?.contains("folder") ?? false)
        let fifo = d.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertTrue(LinkOpener.notADevice(path: fifo)?.contains("FIFO") ?? false)
        XCTAssertThrowsError(try LinkOpener.open(path: fifo))
    }
}
