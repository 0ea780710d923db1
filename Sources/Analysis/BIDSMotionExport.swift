import Foundation
import Gait
import PopEvents
import Recording
import SensorProtocol

/// A recording as a BIDS dataset of the motion modality (BIDS 1.9+, formerly BEP029), so gait researchers load it
/// with the same tools as their other data (mne-bids style readers, pandas):
///
/// ```
/// DIR/dataset_description.json, README, participants.tsv
/// DIR/sub-<s>/sub-<s>_scans.tsv                                  acquisition time of the recording
/// DIR/sub-<s>/motion/sub-<s>_task-<t>_tracksys-<sys>_motion.tsv  samples, no header (BIDS rule), n/a where lost
/// DIR/sub-<s>/motion/sub-<s>_task-<t>_tracksys-<sys>_motion.json sampling rate, channel counts, device
/// DIR/sub-<s>/motion/sub-<s>_task-<t>_tracksys-<sys>_channels.tsv one row per motion.tsv column
/// DIR/sub-<s>/motion/sub-<s>_task-<t>_events.tsv (+ .json)        contacts per side, pops, markers, notes
/// ```
///
/// Units follow BIDS's SI preference: acceleration in m/s² (g × 9.80665), angular rate in deg/s. A LATENCY column
/// gives every sample's time from the recording onset, so samples lost on the link are visible as a jump rather than
/// silently closing up. The IMU is streamed from the recording (memory stays flat however long the walk).
public enum BIDSMotionExport {
    public struct Options: Sendable {
        public var subject = "01"
        public var task = "walk"
        public var trackingSystem = "hipimu"
        public var software = "gaitpop"
        public init() {}
    }

    public struct Result: Sendable {
        public var files: [String] = []
        public var samples = 0
        public var events = 0
    }

    public static let standardGravity = 9.80665

    /// BIDS labels are alphanumeric only.
    public static func isValidLabel(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }

    public static func write(recording: String, report: WalkReport, to directory: String,
                             options: Options = Options()) throws -> Result {
        for (name, label) in [("subject", options.subject), ("task", options.task), ("tracking system", options.trackingSystem)]
        where !isValidLabel(label) {
            throw ImportError.badMapping(path: directory, reason: "the BIDS \(name) label '\(label)' must be letters and digits only")
        }
        let fm = FileManager.default
        let sub = "sub-\(options.subject)"
        let motionDir = ((directory as NSString).appendingPathComponent(sub) as NSString).appendingPathComponent("motion")
        try fm.createDirectory(atPath: motionDir, withIntermediateDirectories: true)
        let stem = "\(sub)_task-\(options.task)_tracksys-\(options.trackingSystem)"
        let motionTSV = (motionDir as NSString).appendingPathComponent(stem + "_motion.tsv")
        var result = Result()

        // Samples first (streamed): they tell the effective rate and the duration for the sidecar.
        let samples = try writeMotion(recording: recording, to: motionTSV)
        result.samples = samples.rows
        let hasGyro = samples.hasGyro

        var channels = "name\tcomponent\ttype\ttracked_point\tunits\tdescription\n"
        channels += "latency\tn/a\tLATENCY\tLowerBack\ts\tseconds from the recording onset\n"
        for c in ["x", "y", "z"] { channels += "acc_\(c)\t\(c)\tACCEL\tLowerBack\tm/s^2\tsensor axis \(c), gravity included\n" }
        if hasGyro { for c in ["x", "y", "z"] { channels += "gyro_\(c)\t\(c)\tGYRO\tLowerBack\tdeg/s\tsensor axis \(c)\n" } }
        let files: [(String, String)] = [
            ((directory as NSString).appendingPathComponent("dataset_description.json"), try datasetDescription(options)),
            ((directory as NSString).appendingPathComponent("README"), readme(report: report)),
            ((directory as NSString).appendingPathComponent("participants.tsv"), "participant_id\n\(sub)\n"),
            (((directory as NSString).appendingPathComponent(sub) as NSString).appendingPathComponent("\(sub)_scans.tsv"),
             "filename\tacq_time\nmotion/\(stem)_motion.tsv\t\(acqTime(report.session.startedUtc))\n"),
            ((motionDir as NSString).appendingPathComponent(stem + "_channels.tsv"), channels),
            ((motionDir as NSString).appendingPathComponent(stem + "_motion.json"),
             try motionSidecar(report: report, options: options, samples: samples)),
        ]
        for (path, text) in files {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            result.files.append(path)
        }
        result.files.append(motionTSV)
        let eventsStem = (motionDir as NSString).appendingPathComponent("\(sub)_task-\(options.task)_events")
        let events = eventRows(report, originSeconds: samples.firstSeconds ?? 0)
        try (eventsHeader + events.map(\.line).joined()).write(toFile: eventsStem + ".tsv", atomically: true, encoding: .utf8)
        try eventsSidecar.write(toFile: eventsStem + ".json", atomically: true, encoding: .utf8)
        result.files += [eventsStem + ".tsv", eventsStem + ".json"]
        result.events = events.count
        return result
    }

    struct MotionSummary {
        var rows = 0
        var hasGyro = false
        var rateHz = 0.0
        var firstSeconds: Double?
        var lastSeconds = 0.0
    }

    /// Streams the IMU into motion.tsv: latency, acc (m/s²), gyro (deg/s); n/a for a gyro the block lacks.
    static func writeMotion(recording: String, to path: String) throws -> MotionSummary {
        let replay = try RecordingReplay(path: recording)
        let asm = SampleAssembler(info: replay.header.device)
        let hasGyro = replay.header.device?.hasGyroscope ?? false
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let out = FileHandle(forWritingAtPath: path) else {
            throw ImportError.badMapping(path: path, reason: "cannot create the file")
        }
        defer { try? out.close() }
        var summary = MotionSummary(hasGyro: hasGyro)
        var buffer = ""
        buffer.reserveCapacity(1 << 17)
        var writeError: Error?
        func flush() {
            guard !buffer.isEmpty, writeError == nil else { return }
            do { try out.write(contentsOf: Data(buffer.utf8)) } catch { writeError = error }
            buffer.removeAll(keepingCapacity: true)
        }
        asm.onIMU = { b in
            guard writeError == nil else { return }
            let onset = summary.firstSeconds ?? b.tSeconds
            summary.firstSeconds = onset
            summary.rateHz = b.rateHz
            for i in 0..<b.count {
                let t = b.tSeconds + Double(i) / b.rateHz
                buffer += String(format: "%.6f", t - onset)
                for c in 0..<3 { buffer += String(format: "\t%.5f", Double(b.accG[3 * i + c]) * standardGravity) }
                if hasGyro {
                    if let g = b.gyroDps { for c in 0..<3 { buffer += String(format: "\t%.4f", Double(g[3 * i + c])) } }
                    else { buffer += "\tn/a\tn/a\tn/a" }
                }
                buffer += "\n"
                summary.lastSeconds = t
            }
            summary.rows += b.count
            if buffer.utf8.count > 1 << 16 { flush() }
        }
        replay.onFrame = { f, _ in asm.consume(f) }
        replay.onLinkEvent = { _, host in asm.linkReset(atSessionSeconds: host) }
        replay.run()
        flush()
        if let e = writeError { throw e }
        if summary.rows == 0 {
            throw ImportError.badMapping(path: recording, reason: "no IMU samples in this recording: nothing to export")
        }
        return summary
    }

    static func datasetDescription(_ o: Options) throws -> String {
        try BIDSSidecars.text(BIDSSidecars.DatasetDescription(generatedBy: [.init(name: "gaitpop", description: o.software)]))
    }

    static func readme(report: WalkReport) -> String {
        """
        A walk recorded with a gaitpop hip/lower-back sensor (accelerometer\(report.session.hasGyroscope ? ", gyroscope" : "")\
        \(report.session.audioRateHz != nil ? " and a contact microphone; the audio is not part of this BIDS export" : "")).
        Events: initial and final contacts per side and pops found by gaitpop's engines, wearer markers and notes.
        gaitpop informs; it does not diagnose.

        """
    }

    /// BIDS date-time: YYYY-MM-DDThh:mm:ss[.000000] without a zone; "n/a" when the recording's start is unknown.
    static func acqTime(_ iso: String) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let g = ISO8601DateFormatter()
        guard let d = f.date(from: iso) ?? g.date(from: iso) else { return "n/a" }
        let out = DateFormatter()
        out.locale = Locale(identifier: "en_US_POSIX")
        out.timeZone = TimeZone(identifier: "UTC")
        out.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS"
        return out.string(from: d)
    }

    static func motionSidecar(report: WalkReport, options: Options, samples: MotionSummary) throws -> String {
        let dev = report.session.device
        var m = BIDSSidecars.Motion(taskName: options.task, samplingFrequency: report.session.imuRateHz ?? samples.rateHz,
                                    motionChannelCount: 1 + 3 + (samples.hasGyro ? 3 : 0),
                                    gyroChannelCount: samples.hasGyro ? 3 : 0,
                                    recordingDuration: max(0, samples.lastSeconds - (samples.firstSeconds ?? 0)),
                                    softwareVersions: options.software)
        if let dev {
            if !dev.model.isEmpty { m.manufacturersModelName = dev.model }
            if !dev.serialNumber.isEmpty { m.deviceSerialNumber = dev.serialNumber }
            m.manufacturer = "gaitpop"
        }
        if samples.rows > 1, let first = samples.firstSeconds, samples.lastSeconds > first {
            m.samplingFrequencyEffective = Double(samples.rows - 1) / (samples.lastSeconds - first)
        }
        return try BIDSSidecars.text(m)
    }

    static let eventsHeader = "onset\tduration\ttrial_type\tside\tkind\tcycle_percent\tvalue\n"

    static var eventsSidecar: String { (try? BIDSSidecars.text(BIDSSidecars.eventColumns)) ?? "{}\n" }

    struct EventRow {
        var onset: Double
        var line: String
    }

    /// Events relative to the first IMU sample (`originSeconds` of session time, the motion.tsv onset), in time order.
    static func eventRows(_ r: WalkReport, originSeconds: Double) -> [EventRow] {
        var rows: [EventRow] = []
        func tsv(_ s: String?) -> String {
            guard let s, !s.isEmpty else { return "n/a" }
            return String(s.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
        }
        func add(_ onset: Double, _ duration: Double, _ type: String, side: String?, kind: String?, cycle: Double?, value: String?) {
            guard onset.isFinite else { return }
            let onset = onset - originSeconds
            let line = String(format: "%.4f\t%.4f\t%@\t%@\t%@\t%@\t%@\n", onset, max(0, duration), type, tsv(side), tsv(kind),
                              cycle.map { String(format: "%.1f", $0) } ?? "n/a", tsv(value))
            rows.append(EventRow(onset: onset, line: line))
        }
        let steps = r.steps.sorted { $0.t < $1.t }
        for (i, s) in steps.enumerated() {
            add(s.t, 0, "initial_contact", side: s.side == .unknown ? nil : s.side.rawValue, kind: nil, cycle: nil, value: nil)
            // GaitStep.fc is the final contact of the opposite foot after this contact.
            if let fc = s.fc {
                let other = i + 1 < steps.count ? steps[i + 1].side : (s.side == .left ? .right : (s.side == .right ? .left : .unknown))
                add(fc, 0, "final_contact", side: other == .unknown ? nil : other.rawValue, kind: nil, cycle: nil, value: nil)
            }
        }
        for p in r.pops {
            add(p.tSeconds, p.durationSeconds, "pop", side: nil, kind: p.kind.rawValue, cycle: p.phase?.cyclePercent, value: nil)
        }
        for m in r.markers {
            add(m.tSeconds, 0, "marker", side: nil, kind: m.kind.map { "\($0)" } ?? "other", cycle: nil, value: nil)
        }
        for n in r.wearerNotes ?? [] {
            add(n.tSeconds, 0, "marker", side: nil, kind: n.kind, cycle: nil, value: n.text)
        }
        for a in r.alerts {
            add(a.t, 0, "alert", side: nil, kind: nil, cycle: nil, value: a.rule.rawValue)
        }
        return rows.sorted { $0.onset < $1.onset }
    }
}
