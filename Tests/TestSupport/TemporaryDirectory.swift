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

/// What one run of the real `gaitpop` printed, how it ended and how long it took.
public struct GaitpopRun: Sendable {
    public var out: Data
    public var err: String
    public var status: Int32
    public var seconds: Double
    /// Standard output as text.
    public var text: String { String(decoding: out, as: UTF8.self) }
}

extension XCTestCase {
    /// Runs the real `gaitpop` with `args` (no stdin) and returns what it printed and its exit status. Stderr goes
    /// to a file while stdout is drained, so a command that writes much to either cannot block on a full pipe; a run
    /// longer than `timeout` is terminated (the test then sees its signal status instead of hanging CI).
    public func runGaitpopCapturing(_ args: [String], cwd: URL? = nil, environment: [String: String] = [:],
                                    timeout: Double = 120) throws -> GaitpopRun {
        let p = Process()
        p.executableURL = gaitpopExecutable
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
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
        let began = Date()
        try p.run()
        let killer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        killer.cancel()
        try errFile.close()
        let e = try Data(contentsOf: errURL)
        return GaitpopRun(out: o, err: String(decoding: e, as: UTF8.self), status: p.terminationStatus,
                          seconds: Date().timeIntervalSince(began))
    }

    /// `runGaitpopCapturing` with standard output as text.
    public func runGaitpop(_ args: [String], cwd: URL? = nil) throws -> (out: String, err: String, status: Int32) {
        let r = try runGaitpopCapturing(args, cwd: cwd)
        return (r.text, r.err, r.status)
    }
}

extension XCTestCase {
    /// The virtual sensor (`gaitpop simulate --pty`) streaming `scenario` for `seconds` on a pseudo-terminal whose
    /// link is made in `directory`; returns the link once it exists. The simulator is stopped when the test ends.
    public func startVirtualSensor(in directory: URL, seconds: Int, scenario: String = "healthy") throws -> String {
        let link = directory.appendingPathComponent("sensor-\(UUID().uuidString.prefix(8))").path
        let sim = Process()
        sim.executableURL = gaitpopExecutable
        sim.arguments = ["simulate", "--pty", "--scenario", scenario, "--link", link, "--duration", "\(seconds)"]
        sim.standardInput = FileHandle.nullDevice
        sim.standardOutput = FileHandle.nullDevice
        sim.standardError = FileHandle.nullDevice
        try sim.run()
        addTeardownBlock { sim.terminate(); sim.waitUntilExit() }
        for _ in 0..<250 where !FileManager.default.fileExists(atPath: link) { usleep(20_000) }
        return link
    }
}
