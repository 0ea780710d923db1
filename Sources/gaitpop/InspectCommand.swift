import ArgumentParser
import LiveView
import Recording

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a recording's header, duration, sample counts, gaps and error counters.",
        discussion: """
            Reads the file once, streaming, through the same frame decoder live capture uses. A truncated or
            damaged file is read up to (and past) the damage, with a warning saying where.

            Example:
              gaitpop inspect walk.gpsession
            """)

    @Argument(help: "A .gpsession file.") var file: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let s = try SessionSummary.read(path: file)
            print(json ? jsonString(s) : TerminalText.clean(s.text))
        }
    }
}
