import Analysis
import ArgumentParser
import Foundation
import LiveView
import History
import Recording

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
              gaitpop report walk.gpsession --html walk.html --subject anna   # kept apart in `history --subject anna`
              gaitpop report walk.gpsession --html walk.html --age 78 --sex female

            --age/--sex pick the published band for the gait table's ranges and flags
            (docs/NORMATIVE-RANGES.md); without them the all-adults ranges apply.
            """)

    @Argument(help: "Recordings (.gpsession) or folders of them.") var files: [String]
    @Option(help: "Write the JSON report here (with several files: a folder).") var json: String?
    @Option(help: "Write the HTML report here (with several files: a folder).") var html: String?
    @Option(help: "Write CSV tables (steps, strides, pops, markers, alerts) into this folder (with several files: a folder per recording).") var csv: String?
    @Flag(help: "Print a Markdown summary.") var md = false
    @Option(help: "History database the report is stored in.") var db: String?
    @Option(help: "Whose walk this is, stored with it in the history (`history --subject` shows one person's walks).") var subject: String?
    @Flag(help: "Do not store the report in the history database.") var noHistory = false
    @OptionGroup var analysisOptions: AnalysisOptions
    // Read as text and checked in validate(), so "--age abc" fails with one line like every other bad flag.
    @Option(name: .customLong("age"), help: ArgumentHelp("The wearer's age: picks the matching published age band for the gait table's typical ranges and flags.", valueName: "years"))
    var ageText: String?
    @Option(name: .customLong("sex"), help: ArgumentHelp("The wearer's sex as reference tables stratify it: picks the matching band.", valueName: "female|male"))
    var sexText: String?

    /// `--age` as whole years inside `NormativeRanges.acceptedAgesYears`, or nil when not given.
    func wearerAge() throws -> Int? {
        guard let text = ageText else { return nil }
        let range = NormativeRanges.acceptedAgesYears
        guard let years = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw UserError("--age must be a whole number of years from \(range.lowerBound) to \(range.upperBound) (got \(text))")
        }
        try FlagCheck.integer(years, "--age", range, unit: "years")
        return years
    }

    /// `--sex` as `female` or `male` (any letter case), or nil when not given.
    func wearerSex() throws -> NormativeSex? {
        guard let text = sexText else { return nil }
        guard let sex = NormativeSex(rawValue: text.lowercased()) else {
            throw UserError("--sex must be female or male (got \(text))")
        }
        return sex
    }

    func validate() throws {
        if files.isEmpty { throw UserError("name at least one recording") }
        _ = try wearerAge()
        _ = try wearerSex()
        // One recording: the output is a file and must not be that recording (or any input).
        if files.count == 1 {
            for out in [json, html].compactMap({ $0 }) {
                var st = stat()
                if stat(out, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { continue }
                try OutputFile.check(path: out, kind: .derived, inputs: files)
            }
        }
        if let json, let html, json == html, files.count == 1 { throw UserError("--json and --html must be different files") }
        try OutputFile.refuseStdout(csv, flag: "--csv", because: "it takes a folder (steps.csv, strides.csv, …)")
        let toStdout = [json, html].filter { $0 == OutputFile.stdoutPath }.count
        if toStdout > 1 || (toStdout == 1 && md) { throw UserError("only one output can go to standard output (-)") }
        if toStdout == 1 && files.count > 1 { throw UserError("- (standard output) takes one recording; give a folder for several") }
    }

    func run() throws {
        try runReportingErrors {
            let paths = try ReportInputs.expand(files)
            let results = try ReportInputs.analyze(paths, options: analysisOptions, wearer: (try wearerAge(), try wearerSex()),
                                                   progress: stdoutIsTerminal && paths.count > 1)
            // A folder of walks: every readable recording is reported; the ones that fail are listed at the end with
            // their one-line errors, and only then does the command exit non-zero.
            var reports: [(report: WalkReport, file: String?)] = []
            var failed: [(file: String, error: String)] = []
            for (file, result) in zip(paths, results) {
                do {
                    let report = try result.get()
                    let written = try writeOutputs(report, file: file, paths: paths)
                    reports.append((report, written))
                } catch {
                    if paths.count == 1 { throw error }
                    failed.append((file, TerminalText.clean("\(error)")))
                }
            }
            storeInHistory(reports)
            if paths.count > 1 {
                printErr("reported \(reports.count) of \(paths.count) recordings" + (failed.isEmpty ? "" : "; \(failed.count) failed:"))
                for f in failed { printErr("  \(f.file): \(f.error)") }
            }
            if !failed.isEmpty { throw ExitCode(1) }
        }
    }

    /// The report files first: they are what the user asked for. Returns the file the history links to (the HTML if
    /// one was written, else the JSON; nil for standard output or the terminal summary only).
    @discardableResult
    private func writeOutputs(_ report: WalkReport, file: String, paths: [String]) throws -> String? {
        var linkable: String?
        func wrote(_ out: String) { if out != OutputFile.stdoutPath { printErr("wrote \(out)") } }
        for w in report.session.warnings { printErr("warning: \(file): \(TerminalText.clean(w))") }
        if let json {
            let out = try ReportInputs.outputPath(json, for: file, many: paths.count > 1, suffix: ".report.json")
            try OutputFile.write(try ReportJSON.encode(report), to: out, inputs: paths)
            wrote(out)
            if out != OutputFile.stdoutPath { linkable = out }
        }
        if let html {
            let out = try ReportInputs.outputPath(html, for: file, many: paths.count > 1, suffix: ".report.html")
            try OutputFile.write(Data(ReportHTML.render(report).utf8), to: out, inputs: paths)
            wrote(out)
            if out != OutputFile.stdoutPath { linkable = out }
        }
        if let csv {
            let out = paths.count > 1 ? (csv as NSString).appendingPathComponent(
                ((file as NSString).lastPathComponent as NSString).deletingPathExtension) : csv
            var st = stat()
            if stat(out, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR {
                throw UserError("--csv \(out) is a file; give a folder (the tables are written in it)")
            }
            try ReportCSV.write(report, toDirectory: out)
            printErr("wrote \(out)/ (\(ReportCSV.fileNames.joined(separator: ", ")))")
        }
        if md || (json == nil && html == nil && csv == nil) { print(TerminalText.clean(ReportMarkdown.render(report))) }
        return linkable
    }

    /// The history after the reports: a failure there is a warning, never a lost report.
    private func storeInHistory(_ reports: [(report: WalkReport, file: String?)]) {
        guard !noHistory else { return }
        let dbPath = db ?? HistoryStore.defaultPath
        do {
            // The default history's folder is made on first use; a --db whose folder is missing is a typo to report.
            let store = try HistoryStore(path: dbPath, createFolder: db == nil)
            for w in store.notices { printErr("note: \(w)") }
            for (report, file) in reports { try store.add(report, subject: subject, reportFile: file) }
        } catch {
            printErr("warning: the report was written but not stored in the history database \(dbPath) (\(error)); "
                     + "use --db PATH for another database, or --no-history to skip it")
        }
    }
}

/// Several files or folders: every recording, analysed on all cores with a progress bar.
enum ReportInputs {
    /// With several recordings the option names a folder (made if needed) and each report is named after its
    /// recording; with one, the option is the file itself.
    static func outputPath(_ option: String, for file: String, many: Bool, suffix: String) throws -> String {
        guard many else { return option }
        do {
            try FileManager.default.createDirectory(atPath: option, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create the folder \(option) for the reports (not writable, or a file of that name exists)")
        }
        return (option as NSString).appendingPathComponent(
            ((file as NSString).lastPathComponent as NSString).deletingPathExtension + suffix)
    }

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

    static func analyze(_ paths: [String], options: AnalysisOptions, wearer: (ageYears: Int?, sex: NormativeSex?) = (nil, nil),
                        progress: Bool) throws -> [Result<WalkReport, Error>] {
        let alertConfig = try options.alertConfig(), calibration = try options.tiltCalibration()
        let gaitConfig = options.gaitConfig(), popConfig = options.popConfig()
        let results = ConcurrentSlots<Result<WalkReport, Error>>(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            results.set(i, Result { try WalkAnalysis.analyze(path: paths[i], gaitConfig: gaitConfig, popConfig: popConfig, alertConfig: alertConfig,
                                                             calibration: calibration, wearerAgeYears: wearer.ageYears,
                                                             wearerSex: wearer.sex, software: "gaitpop \(Gaitpop.version)") })
            if progress {
                let done = results.filled
                let w = 30, filled = w * done / paths.count
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: w - filled)
                FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(paths.count) recordings".utf8))
            }
        }
        if progress { FileHandle.standardError.write(Data("\n".utf8)) }
        return results.values
    }
}
