import Analysis
import ArgumentParser
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Per-walk posture and pop report: gait table, pelvic tilt, pops by gait phase, alerts.",
        discussion: """
            The batch engines (they may look ahead, so they are the most accurate) over one or more recordings.
            --json writes the versioned report (docs/REPORT-FORMAT.md); --md prints a terminal summary (the default
            when no output is named). gaitpop informs; it never diagnoses.

            Examples:
              gaitpop report SampleData/walk-snapping-tendon.gpsession --md
              gaitpop report walk.gpsession --json walk.report.json
            """)

    @Argument(help: "Recordings (.gpsession).") var files: [String]
    @Option(help: "Write the JSON report here (with several files: a folder).") var json: String?
    @Option(help: "Write the HTML report here (with several files: a folder).") var html: String?
    @Flag(help: "Print a Markdown summary.") var md = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one recording") }
    }

    func run() throws {
        try runReportingErrors {
            for file in files {
                let report = try WalkAnalysis.analyze(path: file, software: "gaitpop \(Gaitpop.version)")
                if let json {
                    let out = files.count > 1 ? (json as NSString).appendingPathComponent(
                        ((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".report.json") : json
                    if files.count > 1 { try FileManager.default.createDirectory(atPath: json, withIntermediateDirectories: true) }
                    try ReportJSON.encode(report).write(to: URL(fileURLWithPath: out))
                    printErr("wrote \(out)")
                }
                if let html {
                    let out = files.count > 1 ? (html as NSString).appendingPathComponent(
                        ((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".report.html") : html
                    if files.count > 1 { try FileManager.default.createDirectory(atPath: html, withIntermediateDirectories: true) }
                    try ReportHTML.render(report).write(toFile: out, atomically: true, encoding: .utf8)
                    printErr("wrote \(out)")
                }
                if md || (json == nil && html == nil) { print(ReportMarkdown.render(report)) }
            }
        }
    }
}
