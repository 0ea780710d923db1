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
            """)

    @Option(help: "History database.") var db: String?
    @Option(help: "Write an HTML page with trend charts here.") var html: String?
    @Flag(help: "Print the walks as JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let store = try HistoryStore(path: db ?? HistoryStore.defaultPath)
            for n in store.notices { printErr("note: \(n)") }
            let walks = try store.walks()
            if json {
                print(jsonString(walks.map { w -> [String: String] in
                    ["recording": w.recording, "started_utc": w.startedUtc, "steps": "\(w.steps)",
                     "cadence": w.cadence.map { String(format: "%.1f", $0) } ?? "", "tilt_mean_deg": w.tiltMeanDeg.map { String(format: "%.2f", $0) } ?? "",
                     "pops_cavitation": "\(w.popsCavitation)", "pops_snap": "\(w.popsSnap)", "pops_grind": "\(w.popsGrind)",
                     "pops_unknown": "\(w.popsUnknown)", "pain_markers": "\(w.painMarkers)"]
                }))
            } else {
                print(TerminalText.clean(HistoryRender.table(walks)))
            }
            if let html {
                try OutputFile.write(Data(HistoryRender.html(walks).utf8), to: html, inputs: [store.path])
                printErr("wrote \(html)")
            }
        }
    }
}
