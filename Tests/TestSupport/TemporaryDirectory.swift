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

extension XCTestCase {
    /// Runs the real `gaitpop` with `args` (no stdin) and returns what it printed and its exit status. Stderr goes
    /// to a file while stdout is drained, so a command that writes much to either cannot block on a full pipe.
    public func runGaitpop(_ args: [String], cwd: URL? = nil) throws -> (out: String, err: String, status: Int32) {
        let p = Process()
        p.executableURL = gaitpopExecutable
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        p.standardInput = FileHandle.nullDevice
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("gaitpop-stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: errURL.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: errURL.path])
        }
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errFile = try FileHandle(forWritingTo: errURL)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = errFile
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try errFile.close()
        let e = try Data(contentsOf: errURL)
        return (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self), p.terminationStatus)
    }
}
