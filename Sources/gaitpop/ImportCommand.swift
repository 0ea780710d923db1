import Analysis
import ArgumentParser
import Foundation
import LiveView
import Recording

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn an IMU CSV (and a microphone WAV) from another logger into a gaitpop recording.",
        discussion: """
            CSV: a header row; columns found by name — time_s or time_ms (or give --rate), acc_x_g… or acc_x_ms2…,
            optional gyr_x_dps… or gyr_x_rads… — or named with --time-column/--acc-columns/--gyro-columns.
            WAV: PCM 8/16/24/32-bit or float, 8–48 kHz, mono or the first channel. Bad input gets one line naming
            the line, column or field.
            Markers: t_seconds,source,kind,marker_id,text (source device or host; host kinds pain or note), as
            export and report --csv write them.
            A folder written by `export --csv` round-trips: its markers.csv and session.json (start time, notes,
            audio offset) beside imu.csv are used unless --markers, --started-utc, --note or --audio-offset say
            otherwise.

            Examples:
              gaitpop import --imu walk.csv --out walk.gpsession
              gaitpop import --imu walk.csv --audio mic.wav --audio-offset 0.25 --out walk.gpsession
              gaitpop import --imu log.csv --acc-columns ax,ay,az --acc-unit ms2 --rate 100 --out log.gpsession
              gaitpop import --imu walk-csv/imu.csv --audio walk.wav --out walk-again.gpsession
              gaitpop import --imu walk.csv --markers pain-marks.csv --out walk.gpsession
            """)

    @Option(help: "IMU CSV file.") var imu: String
    @Option(help: "Microphone WAV file.") var audio: String?
    @Option(help: "Seconds the WAV starts after the CSV's first sample (negative: before; default 0).") var audioOffset: Double?
    @Option(help: "Markers CSV: t_seconds,source,kind,marker_id,text (default: markers.csv beside an exported imu.csv).") var markers: String?
    @Option(help: "Output recording.") var out: String
    @Option(help: "Sampling rate in Hz when the CSV has no time column.") var rate: Double?
    @Option(help: "Name of the time column.") var timeColumn: String?
    @Option(help: "Unit of the time column: s or ms.") var timeUnit = "s"
    @Option(help: "Accelerometer columns x,y,z.") var accColumns: String?
    @Option(help: "Accelerometer unit: g or ms2.") var accUnit = "g"
    @Option(help: "Gyroscope columns x,y,z.") var gyroColumns: String?
    @Option(help: "Gyroscope unit: dps or rads.") var gyroUnit = "dps"
    @Option(help: "A note stored in the header.") var note: String?
    @Option(help: "When the data was recorded, ISO 8601 UTC (default: now).") var startedUtc: String?
    @Flag(help: "Replace an existing recording at --out.") var force = false

    func validate() throws {
        try FlagCheck.number(rate, "--rate", 10...2000, unit: "Hz")
        try FlagCheck.number(audioOffset, "--audio-offset", -86_400...86_400, unit: "s")
        if out.isEmpty { throw UserError("--out needs a file name") }
        try OutputFile.check(path: out, kind: .recording, inputs: [imu] + (audio.map { [$0] } ?? []) + (markers.map { [$0] } ?? []),
                             force: force)
        for (name, v) in [("--acc-columns", accColumns), ("--gyro-columns", gyroColumns)] {
            if let v, v.split(separator: ",").count != 3 { throw UserError("\(name) takes three names: x,y,z") }
        }
        if let s = startedUtc {
            do { _ = try SessionImporter.checkedUTC(s) } catch { throw UserError("\(error)") }
        }
        guard ["s", "ms"].contains(timeUnit) else { throw UserError("--time-unit is s or ms") }
        guard ["g", "ms2"].contains(accUnit) else { throw UserError("--acc-unit is g or ms2") }
        guard ["dps", "rads"].contains(gyroUnit) else { throw UserError("--gyro-unit is dps or rads") }
    }

    func run() throws {
        try runReportingErrors {
            var o = SessionImporter.Options()
            o.rateHz = rate
            let exported = try ExportSessionInfo.beside(imuCSV: imu)
            o.audioOffsetSeconds = audioOffset ?? (audio != nil ? exported?.audioOffsetS : nil) ?? 0
            o.note = note ?? exported?.notes
            o.startedUTC = startedUtc ?? exported?.startedUtc
            var markerPath = markers
            if markerPath == nil, exported != nil {
                let beside = ((imu as NSString).deletingLastPathComponent as NSString).appendingPathComponent("markers.csv")
                if FileManager.default.fileExists(atPath: beside) { markerPath = beside }
            }
            if let m = markerPath { o.markers = try MarkerCSV.read(path: m) }
            if exported != nil {
                printErr("note: using session.json\(markers == nil && markerPath != nil ? " and markers.csv" : "") written by export beside \((imu as NSString).lastPathComponent)")
            }
            o.force = force
            if timeColumn != nil || accColumns != nil || gyroColumns != nil {
                func split(_ s: String?) -> [String]? {
                    s.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                }
                o.mapping = ColumnMapping(timeColumn: timeColumn, timeUnit: timeUnit == "ms" ? .milliseconds : .seconds,
                                          accColumns: split(accColumns),
                                          accUnit: accUnit == "ms2" ? .metersPerSecondSquared : .g,
                                          gyroColumns: split(gyroColumns),
                                          gyroUnit: gyroUnit == "rads" ? .radiansPerSecond : .degreesPerSecond)
            }
            let r = try SessionImporter.run(imuCSV: imu, audioWAV: audio, out: out, options: o)
            var line = String(format: "imported %d IMU samples at %.2f Hz (%@)", r.imuSamples, r.imuRateHz, r.columns)
            if r.audioSamples > 0 { line += String(format: " and %d audio samples at %d Hz", r.audioSamples, r.audioRateHz) }
            if r.markers > 0 { line += " with \(r.markers) marks" }
            line += " into \(out)"
            if out == OutputFile.stdoutPath { printErr(line) } else { print(line) }
            if r.clippedValues > 0 { printErr("warning: \(r.clippedValues) values beyond ±16 g / ±2000 °/s were clipped") }
            if r.timeGaps > 0 { printErr("warning: \(r.timeGaps) gaps in the time column (kept as gaps)") }
            for w in r.warnings { printErr("warning: \(TerminalText.clean(w))") }
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a recording as CSV (IMU, markers) and WAV (microphone), or as a BIDS motion dataset.",
        discussion: """
            --bids writes a BIDS dataset of the motion modality (motion.tsv in m/s² and deg/s, channels.tsv,
            motion.json, events.tsv with contacts per side, pops, markers and alerts), analysing the walk first.

            Examples:
              gaitpop export walk.gpsession --csv walk-csv/ --wav walk.wav
              gaitpop export walk.gpsession --bids walk-bids/ --subject P07
            """)

    @Argument(help: "A .gpsession file.") var file: String
    @Option(help: "Folder for imu.csv and markers.csv.") var csv: String?
    @Option(help: "WAV file for the microphone audio.") var wav: String?
    @Option(help: "Folder for a BIDS motion dataset.") var bids: String?
    @Option(help: "BIDS subject label (letters and digits).") var subject = "01"

    func validate() throws {
        if csv == nil && wav == nil && bids == nil { throw UserError("give --csv DIR, --wav FILE and/or --bids DIR") }
        try OutputFile.refuseStdout(wav, flag: "--wav", because: "a WAV's sizes are written after its samples, "
                                    + "so it needs a file; give a file name")
        try OutputFile.refuseStdout(csv, flag: "--csv", because: "it takes a folder (imu.csv and markers.csv)")
        try OutputFile.refuseStdout(bids, flag: "--bids", because: "it takes a folder (a BIDS dataset)")
        if !BIDSMotionExport.isValidLabel(subject) { throw UserError("--subject takes letters and digits only (BIDS label)") }
        if let bids {
            var st = stat()
            if stat(bids, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR {
                throw UserError("--bids \(bids) is a file; give a folder (the BIDS dataset is written in it)")
            }
        }
        if let wav { try OutputFile.check(path: wav, kind: .derived, inputs: [file]) }
        if let csv {
            var st = stat()
            if stat(csv, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR {
                throw UserError("--csv \(csv) is a file; give a folder (imu.csv, markers.csv and session.json are written in it)")
            }
            for name in ["imu.csv", "markers.csv", ExportSessionInfo.fileName] {
                try OutputFile.check(path: (csv as NSString).appendingPathComponent(name), kind: .derived, inputs: [file])
            }
        }
    }

    func run() throws {
        try runReportingErrors {
            if csv != nil || wav != nil {
                let r = try SessionExporter.run(recording: file, csvDirectory: csv, wavPath: wav)
                print("exported \(r.imuRows) IMU rows, \(r.audioSamples) audio samples, \(r.markers) markers: "
                      + r.files.joined(separator: ", "))
                if r.silenceFilled > 0 { printErr("note: \(r.silenceFilled) missing audio samples were filled with silence") }
                for w in r.warnings { printErr("warning: \(TerminalText.clean(w))") }
            }
            if let bids {
                let report = try WalkAnalysis.analyze(path: file, software: "gaitpop \(Gaitpop.version)")
                var o = BIDSMotionExport.Options()
                o.subject = subject
                o.software = "gaitpop \(Gaitpop.version)"
                let r = try BIDSMotionExport.write(recording: file, report: report, to: bids, options: o)
                print("exported a BIDS motion dataset to \(bids): \(r.samples) samples, \(r.events) events")
            }
        }
    }
}
