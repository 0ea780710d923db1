import Foundation
import XCTest

extension XCTestCase {
    /// A fresh, empty folder under the system's temporary directory, removed when the current test ends (also when
    /// it fails or throws). Call it from `setUpWithError` or from a test; every call gives a new folder, so tests
    /// running in parallel processes never share files.
    ///
    /// - Parameter prefix: the folder name's start, so a left-over folder says which tests made it.
    public func makeTemporaryDirectory(_ prefix: String = "gaitpop") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }
}

extension XCTestCase {
    /// The `gaitpop` executable built beside this test bundle (SwiftPM puts products next to the .xctest bundle, or
    /// inside it on some layouts): tests run the real command as a person would.
    public var gaitpopExecutable: URL {
        let b = Bundle(for: type(of: self)).bundleURL
        let here = b.appendingPathComponent("gaitpop")
        return FileManager.default.isExecutableFile(atPath: here.path)
            ? here : b.deletingLastPathComponent().appendingPathComponent("gaitpop")
    }
}
