// swift-tools-version:6.0
import PackageDescription

// Module layout: algorithm and codec modules never import I/O modules,
// the libserialport wrapper lives alone, and the `gaitpop` executable only parses arguments and wires modules.
let package = Package(
    name: "gaitpop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gaitpop", targets: ["gaitpop"]),
        .executable(name: "gaitpop-bench", targets: ["gaitpop-bench"]),
        .library(name: "SensorProtocol", targets: ["SensorProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // libserialport through pkg-config (Debian: libserialport-dev).
        .systemLibrary(
            name: "CLibSerialPort",
            pkgConfig: "libserialport",
            providers: [.apt(["libserialport-dev"])]
        ),
        // The firmware's C99 reference codec, built here so tests and the benchmark can compare both sides.
        .target(
            name: "GPProtoReference",
            path: "Firmware-Protocol",
            exclude: ["PROTOCOL.md", "test_host.c", "Makefile", "vectors", ".gitignore"],
            sources: ["gp_proto.c"],
            publicHeadersPath: "include"
        ),
        .target(name: "SerialPort", dependencies: ["CLibSerialPort"]),
        .target(name: "SensorProtocol"),
        // Pseudo-terminal calls Swift's Glibc module does not export.
        .target(name: "CPosixShims"),
        .target(name: "SensorDevice", dependencies: ["SensorProtocol", "SerialPort", "CPosixShims"]),
        .target(name: "Recording", dependencies: ["SensorProtocol"]),
        .target(name: "Simulation", dependencies: ["SensorProtocol"]),
        // Algorithms: pure, blocks of samples in, results out; no I/O imports.
        .target(name: "GaitVocabulary"),
        .target(name: "Gait", dependencies: ["GaitVocabulary"]),
        // Release builds skip the run-time exclusivity checks in the pop detector only: it is a class whose state
        // is touched every 0.5 ms hop, and the checks (plus the optimisations they block) cost ~20 % of its time
        // (docs/POPS-VALIDATION.md, "exclusivity checks off"). Debug builds, which the tests run, keep them, so an
        // overlapping access still traps in the suite.
        .target(
            name: "PopEvents", dependencies: ["GaitVocabulary"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // Live/replay/batch analysis pipeline: samples → gait + pops + alerts → events and reports.
        .target(name: "Analysis", dependencies: ["GaitVocabulary", "Gait", "PopEvents", "SensorProtocol", "Recording"]),
        // Reports kept across walks (SQLite through GRDB) for trends.
        .target(name: "History", dependencies: ["Analysis", .product(name: "GRDB", package: "GRDB.swift")]),
        // Wiring shared by the CLI and tests: device session → recorder, virtual sensor behind a pseudo-terminal.
        .target(name: "Pipeline", dependencies: ["SensorDevice", "Recording", "Simulation", "SensorProtocol", "Analysis"]),
        // What a running session shows: dashboard, event log, keys, plain/JSON lines, the live loop itself.
        .target(name: "LiveView", dependencies: ["Analysis", "GaitVocabulary", "PopEvents", "SensorDevice", "SensorProtocol", "Pipeline", "Recording"]),
        .executableTarget(
            name: "gaitpop",
            dependencies: [
                "SensorProtocol", "SensorDevice", "SerialPort", "Recording", "Simulation", "Pipeline", "GPProtoReference",
                "Analysis", "Gait", "PopEvents", "History", "LiveView", "CPosixShims",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks live apart from tests: a release-built command that prints medians and ratios.
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "gaitpop-bench",
            dependencies: [
                "SensorProtocol", "GPProtoReference", "CMallocCounter", "Gait", "PopEvents", "Analysis", "Pipeline",
                "Recording", "Simulation", "SensorDevice",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers used only by tests: temporary folders, event matching, the chunk-invariance verifier
        // (TestSupport); an in-memory link and a virtual clock for the device session (DeviceTestSupport).
        .target(name: "TestSupport", dependencies: ["Simulation"], path: "Tests/TestSupport"),
        .target(name: "DeviceTestSupport", dependencies: ["SensorDevice", "SerialPort"], path: "Tests/DeviceTestSupport"),
        .testTarget(name: "SensorProtocolTests", dependencies: ["SensorProtocol", "GPProtoReference", "TestSupport"]),
        .testTarget(name: "SimulationTests",
                    dependencies: ["Simulation", "Pipeline", "Recording", "SensorDevice", "SensorProtocol",
                                   "SerialPort", "CLibSerialPort", "TestSupport"]),
        .testTarget(name: "GaitTests", dependencies: ["GaitVocabulary", "Gait", "TestSupport"]),
        .testTarget(name: "PopEventsTests", dependencies: ["GaitVocabulary", "PopEvents", "Simulation", "SensorProtocol", "Analysis", "TestSupport"]),
        .testTarget(name: "AnalysisTests",
                    dependencies: ["GaitVocabulary", "gaitpop", "Analysis", "Gait", "PopEvents", "Simulation", "Pipeline", "Recording",
                                   "SensorProtocol", "SensorDevice", "SerialPort", "CLibSerialPort", "TestSupport"]),
        .testTarget(name: "LiveViewTests", dependencies: ["GaitVocabulary", "LiveView", "Analysis", "PopEvents", "SensorDevice", "Gait"]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "Analysis", "Pipeline", "Simulation", "TestSupport"]),
        .testTarget(name: "SerialPortTests", dependencies: ["SerialPort", "CLibSerialPort"]),
        .testTarget(name: "SensorDeviceTests",
                    dependencies: ["SensorDevice", "SensorProtocol", "Recording", "Simulation", "Pipeline",
                                   "SerialPort", "CLibSerialPort", "TestSupport", "DeviceTestSupport"]),
        .testTarget(name: "RecordingTests", dependencies: ["Recording", "SensorProtocol", "Simulation", "Pipeline",
                                                         "SerialPort", "CLibSerialPort", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
