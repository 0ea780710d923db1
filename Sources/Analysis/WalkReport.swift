import Foundation
import Gait
import PopEvents
import Recording
import SensorProtocol

/// The per-walk report: everything `gaitpop report` knows about one recording, in a versioned JSON schema
/// (docs/REPORT-FORMAT.md). The HTML and Markdown renderings are views of this value.
public struct WalkReport: Codable, Sendable {
    public var schema = "gaitpop-report"
    /// 2: one data style with JSON lines (renamed keys: docs/REPORT-FORMAT.md, "What changed in version 2").
    public var schemaVersion = 2
    public var generatedBy: String
    public var disclaimer = WalkReport.disclaimerText
    public var session: SessionInfo
    public var steps: [GaitStep]
    public var bouts: [WalkingBout]
    public var gait: GaitMetrics?
    public var strides: [StrideTilt]
    public var tilt: TiltSummary
    public var postureEvents: [PostureEvent]
    public var pops: [PopEvent]
    public var patterns: WalkPatterns
    public var alerts: [WalkAlert]
    public var markers: [MarkerEvent]
    /// What the wearer marked on the host during `live --record`: the pain key and typed notes, at session time.
    /// Optional so reports written before it existed still load.
    public var wearerNotes: [WearerNote]?
    public var notes: [String]

    public struct WearerNote: Codable, Equatable, Sendable {
        public var tSeconds: Double
        /// `pain` or `note`.
        public var kind: String
        public var text: String?

        public init(tSeconds: Double, kind: String, text: String?) {
            self.tSeconds = tSeconds; self.kind = kind; self.text = text
        }
    }

    /// Pain marks from the device button and the host key together, in time order.
    public var painSeconds: [Double] {
        (markers.filter { $0.kind == .pain }.map(\.tSeconds)
            + (wearerNotes ?? []).filter { $0.kind == "pain" }.map(\.tSeconds)).sorted()
    }
    /// Pelvic tilt/obliquity/rotation over the gait cycle per side (mean and SD, 101 points); nil without a
    /// gyroscope.
    public var pelvisCycle: PelvisCycle?
    /// Per-side step time, stance, swing, single/double support and symmetry indices.
    public var sideTable: SideTable?
    /// Every gait measure against its typical range, with the minimum-stride rule for variability and symmetry
    /// (`GaitAssessment`; JSON `gait_assessments`). Optional so reports written before it existed still load.
    public var gaitAssessments: [GaitAssessment]?
    /// The wearer's age and sex as given to `report --age/--sex`: they choose the published band the gait table's
    /// typical ranges and flags use (docs/NORMATIVE-RANGES.md). nil when not given (all-adults ranges).
    public var wearerAgeYears: Int?
    public var wearerSex: NormativeSex?

    public struct SessionInfo: Codable, Sendable {
        public var path: String
        public var startedUtc: String
        public var source: String
        public var device: DeviceInfo?
        public var durationSeconds: Double
        public var imuRateHz: Double?
        public var audioRateHz: Double?
        public var hasGyroscope: Bool
        public var warnings: [String]
    }

    public struct TiltSummary: Codable, Sendable {
        /// Mean per-stride tilt (degrees, + anterior) relative to the neutral standing posture, and its spread.
        public var meanDeg: Double?
        public var strideMeanMinDeg: Double?
        public var strideMeanMaxDeg: Double?
        public var romDeg: Double?
        public var calibration: TiltCalibration?
        public var neutralFrom: String
    }

    public static let disclaimerText = "gaitpop informs; it does not diagnose. Painless, infrequent, clean pops are "
        + "usually harmless. See a professional if pops come with pain, grinding, numbness or tingling down the leg, "
        + "swelling, reduced range of motion, or began after a fall or injury."
}

/// Batch analysis of a recording for reports: the whole IMU through the batch gait analyzer (it may look ahead),
/// then the audio streamed through the pop detector with every contact known in advance, each pop tagged with the
/// refined gait phase. Memory: the IMU series (~9 MB per hour at 100 Hz) plus fixed detector buffers.
public enum WalkAnalysis {
    /// Pops beginning in [from, to), from a detector that starts `warmup` seconds earlier. The file is decoded from
    /// the last of `resumePoints` before the audio reaches `from − warmup` (from its start without one): the
    /// blocks before it would all be skipped, so the pops are the same either way.
    static func detectPops(path: String, from: Double, to: Double, warmup: Double, contacts: [Double],
                           legs: [Leg?], timeline: GaitPhaseTimeline, config: PopConfig,
                           resumePoints: [LoadedRecording.ResumePoint] = []) throws -> ([PopEvent], Double?) {
        var detector: PopDetector?
        var pops: [PopEvent] = []
        var rate: Double?
        var done = false
        let replay = try RecordingReplay(path: path)
        var asm = SampleAssembler(info: replay.header.device)
        if let point = LoadedRecording.ResumePoint.last(in: resumePoints, beforeAudioReaches: from - warmup),
           replay.resume(at: point.position) {
            asm = SampleAssembler(resuming: point.clock)
        }
        asm.audioFromSeconds = from - warmup
        asm.onAudio = { a in
            let end = a.tSeconds + Double(a.samples.count) / a.rateHz
            guard end >= from - warmup else { return }
            if a.tSeconds >= to + 0.5 { done = true; return }
            if detector == nil {
                let d = PopDetector(sampleRateHz: a.rateHz, config: config)
                d.noteContacts(contacts, legs: legs)
                d.phaseProvider = TimelinePhases(timeline: timeline)
                detector = d
                rate = a.rateHz
            }
            pops += detector!.process(a.samples, startSeconds: a.tSeconds)
        }
        replay.onFrame = { f, _ in asm.consume(f) }
        replay.onLinkEvent = { _, host in asm.linkReset(atSessionSeconds: host) }
        while !done && replay.step(maxRecords: 16) {}
        if let d = detector { pops += d.finish() }
        return (pops.filter { $0.tSeconds >= from && $0.tSeconds < to }, rate)
    }

    /// `resumeMidFile: false` decodes the second pop half from the file's start (slower; the same report: the
    /// reference the faster default is tested against).
    public static func analyze(path: String, gaitConfig: GaitConfig = .init(), popConfig: PopConfig = .init(),
                               alertConfig: AlertRuleConfig = .init(), calibration: TiltCalibration? = nil,
                               wearerAgeYears: Int? = nil, wearerSex: NormativeSex? = nil,
                               software: String, resumeMidFile: Bool = true) throws -> WalkReport {
        // Pass 1: IMU (analysed an hour at a time, so memory stays flat for week-long recordings), markers, notes.
        let gait = ChunkedGaitAnalysis(config: gaitConfig, calibration: calibration)
        let loaded = try LoadedRecording.load(path: path, chunk: (ChunkedGaitAnalysis.chunkSeconds,
                                                                  ChunkedGaitAnalysis.overlapSeconds),
                                              onIMUChunk: { gait.add($0, owns: $1) })
        let gaitResult = gait.result
        var notes = gaitResult?.notes ?? ["no IMU data in this recording: no steps or tilt"]
        if loaded.filledIMUSamples > 0 {
            notes.append("\(loaded.filledIMUSamples) IMU samples were missing (lost on the link or to damage in the file) and held at their last value")
        }
        let steps = gaitResult?.steps ?? []
        // Pass 2: audio through the pop detector, contacts known.
        let (pops, audioRate) = (loaded.info?.audioRateHz ?? 0) > 0
            ? try popPass(path: path, durationSeconds: loaded.durationSeconds, steps: steps, config: popConfig,
                          resumePoints: resumeMidFile ? loaded.resumePoints : [])
            : ([], nil)
        let strides = gaitResult?.strideTilts ?? []
        let session = WalkReport.SessionInfo(
            path: path, startedUtc: loaded.header.startedUTC, source: loaded.header.source, device: loaded.info,
            durationSeconds: loaded.durationSeconds, imuRateHz: loaded.imuRateHz, audioRateHz: audioRate,
            hasGyroscope: loaded.imuHasGyroscope, warnings: loaded.warnings)
        let pains = loaded.markers.filter { $0.kind == .pain }.map(\.tSeconds)
            + loaded.hostNotes.filter { $0.note.kind == .pain }.map(\.tSeconds)
        let posture = gaitResult?.postureEvents ?? []
        let alerts = replayAlerts(pops: pops, painSeconds: pains, posture: posture, firstStepSeconds: steps.first?.t,
                                  alertConfig: alertConfig, postureDelaySeconds: gaitConfig.anteriorTiltAlertSeconds)
        var report = WalkReport(generatedBy: software, session: session, steps: steps, bouts: gaitResult?.bouts ?? [],
                                gait: gaitResult?.metrics, strides: strides,
                                tilt: tiltSummary(gaitResult, calibration: calibration),
                                postureEvents: posture, pops: pops, patterns: WalkPatterns.analyze(pops: pops, steps: steps),
                                alerts: alerts, markers: loaded.markers, notes: notes)
        report.wearerNotes = loaded.hostNotes.map {
            WalkReport.WearerNote(tSeconds: $0.tSeconds, kind: $0.note.kind.rawValue, text: $0.note.text)
        }
        report.pelvisCycle = gaitResult?.pelvisCycle
        report.sideTable = gaitResult?.sideTable
        report.wearerAgeYears = wearerAgeYears
        report.wearerSex = wearerSex
        report.gaitAssessments = GaitAssessment.assess(report)
        return report
    }

    /// The audio through the pop detector with every contact known in advance, each pop tagged with its refined
    /// phase on its own leg. Long walks are split in two halves analysed on two cores; each half's detector warms up
    /// on the 8 s before its start (noise floor, hum) and keeps only the pops that begin inside its half. With
    /// `resumePoints` from the first pass, the second half starts decoding near its warm-up instead of at the
    /// beginning of the file (same pops; about a quarter of the report's decoding saved).
    static func popPass(path: String, durationSeconds: Double, steps: [GaitStep], config: PopConfig,
                        resumePoints: [LoadedRecording.ResumePoint] = []) throws -> ([PopEvent], Double?) {
        let timeline = GaitPhaseTimeline(steps: steps)
        let contacts = steps.map(\.t)
        let legs = steps.map { Leg($0.side) }
        let mid = durationSeconds / 2
        let spans: [(Double, Double)] = durationSeconds > 120 ? [(0, mid), (mid, .infinity)] : [(0, .infinity)]
        let parts = ConcurrentSlots<Result<([PopEvent], Double?), Error>>(count: spans.count)
        DispatchQueue.concurrentPerform(iterations: spans.count) { k in
            parts.set(k, Result { try detectPops(path: path, from: spans[k].0, to: spans[k].1, warmup: 8,
                                                 contacts: contacts, legs: legs, timeline: timeline, config: config,
                                                 resumePoints: resumePoints) })
        }
        var pops: [PopEvent] = []
        var audioRate: Double?
        for p in parts.values {
            let (found, rate) = try p.get()
            pops += found
            audioRate = audioRate ?? rate
        }
        pops.sort { $0.tSeconds < $1.tSeconds }
        let provider = TimelinePhases(timeline: timeline)
        let legPhases = ContactLegPhases(capacity: max(steps.count, 1), micSide: config.micSide)
        for s in steps { legPhases.noteContact(tSeconds: s.t, leg: Leg(s.side)) }
        for i in pops.indices { pops[i].retag(using: provider, legs: legPhases) }
        // Clicks that recur at one stride phase are snaps; a one-off is more likely cavitation (docs/POPS.md).
        return (PatternRefiner.refine(pops), audioRate)
    }

    static func tiltSummary(_ g: GaitResult?, calibration: TiltCalibration?) -> WalkReport.TiltSummary {
        let means = (g?.strideTilts ?? []).map(\.meanDeg)
        let neutral = calibration != nil ? "your calibration (\(calibration!.source))"
            : (g?.calibration == nil ? "no walking and no quiet standing: no tilt"
               : g?.calibration?.source == TiltCalibration.walkAverageSource
               ? "no quiet standing found: mean tilt is relative to the walk's own average posture"
               : "quiet standing in this recording")
        return WalkReport.TiltSummary(meanDeg: g?.metrics?.tiltMeanDeg, strideMeanMinDeg: means.min(), strideMeanMaxDeg: means.max(),
                           romDeg: g?.metrics?.tiltRomDeg, calibration: g?.calibration, neutralFrom: neutral)
    }

    /// What the alert rules see, in time order.
    enum AlertInput {
        case pop(PopEvent)
        case pain(tSeconds: Double)
        /// A sustained anterior tilt, seen once it has lasted the alert delay.
        case posture(PostureEvent)
    }

    /// The same alert rules as live, replayed in time order over the whole walk.
    static func replayAlerts(pops: [PopEvent], painSeconds: [Double], posture: [PostureEvent], firstStepSeconds: Double?,
                             alertConfig: AlertRuleConfig, postureDelaySeconds: Double) -> [WalkAlert] {
        let rules = AlertRules(config: alertConfig)
        if let first = firstStepSeconds { rules.noteWalking(at: first) }
        var inputs: [(tSeconds: Double, input: AlertInput)] = pops.map { ($0.tSeconds, .pop($0)) }
        inputs += painSeconds.map { ($0, .pain(tSeconds: $0)) }
        inputs += posture.map { ($0.startSeconds + postureDelaySeconds, .posture($0)) }
        // Stable order for equal times: pops, then pain, then posture (as they were appended).
        let ordered = inputs.enumerated().sorted { ($0.element.tSeconds, $0.offset) < ($1.element.tSeconds, $1.offset) }
        var alerts: [WalkAlert] = []
        for (_, item) in ordered {
            switch item.input {
            case .pop(let p): alerts += rules.pop(p)
            case .pain(let t): alerts += rules.painMarker(at: t)
            case .posture(var e):
                e.ongoing = true
                alerts += rules.posture(e)
            }
        }
        return alerts
    }
}
