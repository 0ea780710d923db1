import ArgumentParser

@main
struct Gaitpop: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gaitpop",
        abstract: "Gait, pelvic tilt and joint-pop analysis for a hip-worn sensor.",
        discussion: """
            Start with `gaitpop demo` (no hardware needed). With a sensor plugged in: `gaitpop devices`, then
            `gaitpop record --port auto --out walk.gpsession` and `gaitpop inspect walk.gpsession`.
            gaitpop informs; it never diagnoses.
            """,
        version: version,
        subcommands: [DemoCommand.self, LiveCommand.self, DevicesCommand.self, RecordCommand.self, ReplayCommand.self, ReportCommand.self, HistoryCommand.self, CalibrateCommand.self, InspectCommand.self, ImportCommand.self, ExportCommand.self,
                      SimulateCommand.self]
    )
}
