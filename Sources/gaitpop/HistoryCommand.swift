import ArgumentParser
import Foundation
import LiveView
import Recording
import History

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Trends across walks: pops per 100 steps by kind, pelvic tilt, cadence.",
        discussion: """
            Every `gaitpop report` is stored in an SQLite database (default: $XDG_DATA_HOME/gaitpop/history.sqlite,
            i.e. ~/.local/share/gaitpop/history.sqlite). Prints a table; --html writes a page with charts.

            Examples:
              gaitpop history
              gaitpop history --html trends.html
              gaitpop history --subject anna --html anna.html   # one person's walks (stored with report --subject)
            """)

    @Option(help: "History database.") var db: String?
    @Option(help: "Write an HTML page with trend charts here.") var html: String?
    @Flag(help: "Print the walks as JSON.") var json = false
    @Option(help: "Only the walks stored with this subject (`report --subject`).") var subject: String?

    func run() throws {
        try runReportingErrors {
            let path = db ?? HistoryStore.defaultPath
            // Reading never creates a history: a path with nothing there says so instead.
            guard FileManager.default.fileExists(atPath: path) else {
                if json { print("[]") }
                printErr("no walks stored yet in \(path) (each `gaitpop report` adds one)")
                return
            }
            let store = try HistoryStore(path: path, createFolder: false)
            for n in store.notices { printErr("note: \(n)") }
            let walks = try store.walks(subject: subject)
            if walks.isEmpty, let subject { printErr("no walks stored for subject \(subject) in \(store.path)") }
            if json {
                print(jsonString(walks.map(HistoryWalkJSON.init)))
            } else {
                if !(walks.isEmpty && subject != nil) { print(TerminalText.clean(HistoryRender.table(walks))) }
            }
            if let html {
                let folder = html == OutputFile.stdoutPath ? nil
                    : (URL(fileURLWithPath: html).standardizedFileURL.path as NSString).deletingLastPathComponent
                try OutputFile.write(Data(HistoryRender.html(walks, subject: subject, pageFolder: folder).utf8), to: html,
                                     inputs: [store.path])
                printErr("wrote \(html)")
            }
        }
    }
}

/// One walk of `history --json`: snake_case keys, numbers as numbers, `null` where the walk had no value.
struct HistoryWalkJSON: Encodable {
    var recording: String
    var startedUtc: String
    var durationSeconds: Double
    var steps: Int
    var cadenceStepsPerMin: Double?
    var tiltMeanDeg: Double?
    var tiltRomDeg: Double?
    var stepTimeCvPercent: Double?
    var asymmetryPercent: Double?
    var popsCavitation: Int
    var popsSnap: Int
    var popsGrind: Int
    var popsUnknown: Int
    var painMarkers: Int
    var postureEvents: Int
    var subject: String?
    var reportFile: String?

    init(_ w: HistoryStore.Walk) {
        recording = w.recording
        startedUtc = w.startedUtc
        durationSeconds = w.durationSeconds
        steps = w.steps
        cadenceStepsPerMin = w.cadence
        tiltMeanDeg = w.tiltMeanDeg
        tiltRomDeg = w.tiltRomDeg
        stepTimeCvPercent = w.stepTimeCvPercent
        asymmetryPercent = w.asymmetryPercent
        popsCavitation = w.popsCavitation
        popsSnap = w.popsSnap
        popsGrind = w.popsGrind
        popsUnknown = w.popsUnknown
        painMarkers = w.painMarkers
        postureEvents = w.postureEvents
        subject = w.subject
        reportFile = w.reportFile
    }

    enum CodingKeys: String, CodingKey {
        case recording
        // The report's names for the same quantities (schema 2): step_count, step_time_asymmetry_percent; a count
        // is named a count (the report's posture_events is a list).
        case steps = "step_count"
        case startedUtc = "started_utc", durationSeconds = "duration_seconds"
        case cadenceStepsPerMin = "cadence_steps_per_min", tiltMeanDeg = "tilt_mean_deg", tiltRomDeg = "tilt_rom_deg"
        case stepTimeCvPercent = "step_time_cv_percent", asymmetryPercent = "step_time_asymmetry_percent"
        case popsCavitation = "pops_cavitation", popsSnap = "pops_snap", popsGrind = "pops_grind"
        case popsUnknown = "pops_unknown", painMarkers = "pain_markers", postureEvents = "posture_event_count"
        case subject, reportFile = "report_file"
    }

    /// Optionals as explicit nulls: every walk has the same keys.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(recording, forKey: .recording)
        try c.encode(startedUtc, forKey: .startedUtc)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(steps, forKey: .steps)
        try c.encode(cadenceStepsPerMin, forKey: .cadenceStepsPerMin)
        try c.encode(tiltMeanDeg, forKey: .tiltMeanDeg)
        try c.encode(tiltRomDeg, forKey: .tiltRomDeg)
        try c.encode(stepTimeCvPercent, forKey: .stepTimeCvPercent)
        try c.encode(asymmetryPercent, forKey: .asymmetryPercent)
        try c.encode(popsCavitation, forKey: .popsCavitation)
        try c.encode(popsSnap, forKey: .popsSnap)
        try c.encode(popsGrind, forKey: .popsGrind)
        try c.encode(popsUnknown, forKey: .popsUnknown)
        try c.encode(painMarkers, forKey: .painMarkers)
        try c.encode(postureEvents, forKey: .postureEvents)
        try c.encode(subject, forKey: .subject)
        try c.encode(reportFile, forKey: .reportFile)
    }
}
