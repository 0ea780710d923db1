import Analysis
import ArgumentParser
import Foundation
import History

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

    @Argument(help: "Recordings (.gpsession) or folders of them.") var files: [String]
    @Option(help: "Write the JSON report here (with several files: a folder).") var json: String?
    @Option(help: "Write the HTML report here (with several files: a folder).") var html: String?
    @Flag(help: "Print a Markdown summary.") var md = false
    @Option(help: "History database the report is stored in.") var db: String?
    @Flag(help: "Do not store the report in the history database.") var noHistory = false
    @OptionGroup var analysisOptions: AnalysisOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one recording") }
    }

    func run() throws {
        try runReportingErrors {
            let store = noHistory ? nil : try HistoryStore(path: db ?? HistoryStore.defaultPath)
            let paths = try ReportInputs.expand(files)
            let reports = try ReportInputs.analyze(paths, options: analysisOptions, progress: stdoutIsTerminal && paths.count > 1)
            for (file, report) in zip(paths, reports) {
                try store?.add(report)
                if let json {
                    let out = paths.count > 1 ? (json as NSString).appendingPathComponent(
                        ((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".report.json") : json
                    if paths.count > 1 { try FileManager.default.createDirectory(atPath: json, withIntermediateDirectories: true) }
                    try ReportJSON.encode(report).write(to: URL(fileURLWithPath: out))
                    printErr("wrote \(out)")
                }
                if let html {
                    let out = paths.count > 1 ? (html as NSString).appendingPathComponent(
                        ((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".report.html") : html
                    if paths.count > 1 { try FileManager.default.createDirectory(atPath: html, withIntermediateDirectories: true) }
                    try ReportHTML.render(report).write(toFile: out, atomically: true, encoding: .utf8)
                    printErr("wrote \(out)")
                }
                if md || (json == nil && html == nil) { print(ReportMarkdown.render(report)) }
            }
        }
    }
}

/// Several files or folders: every recording, analysed on all cores with a progress bar.
enum ReportInputs {
    static func expand(_ args: [String]) throws -> [String] {
        var out: [String] = []
        for a in args {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: a, isDirectory: &isDir) else { throw UserError("no such file: \(a)") }
            if isDir.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: a).filter { $0.hasSuffix(".gpsession") }.sorted()
                out += names.map { (a as NSString).appendingPathComponent($0) }
            } else {
                out.append(a)
            }
        }
        if out.isEmpty { throw UserError("no .gpsession recordings in \(args.joined(separator: ", "))") }
        return out
    }

    static func analyze(_ paths: [String], options: AnalysisOptions, progress: Bool) throws -> [WalkReport] {
        let alertConfig = try options.alertConfig(), calibration = try options.tiltCalibration()
        let gaitConfig = options.gaitConfig(), popConfig = options.popConfig()
        var results = [Result<WalkReport, Error>?](repeating: nil, count: paths.count)
        let lock = NSLock()
        var done = 0
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            let r = Result { try WalkAnalysis.analyze(path: paths[i], gaitConfig: gaitConfig, popConfig: popConfig,
                                                      alertConfig: alertConfig,
                                                      calibration: calibration, software: "gaitpop \(Gaitpop.version)") }
            lock.lock()
            results[i] = r
            done += 1
            if progress {
                let w = 30, filled = w * done / paths.count
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: w - filled)
                FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(paths.count) recordings".utf8))
            }
            lock.unlock()
        }
        if progress { FileHandle.standardError.write(Data("\n".utf8)) }
        return try results.map { try $0!.get() }
    }
}
