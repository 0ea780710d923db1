import Analysis
import Foundation
import GRDB

/// Every report, kept in an SQLite database (GRDB) so trends across walks can be shown: pops per 100 steps by kind,
/// pelvic tilt, cadence. One row per recording (re-reporting a recording replaces its row); the full report JSON
/// is kept too, so later versions can compute new trends from old walks.
public final class HistoryStore {
    public let path: String
    private let db: DatabaseQueue

    /// One walk in the history.
    public struct Walk: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
        public static let databaseTableName = "walk"
        public var recording: String
        public var startedUtc: String
        public var durationSeconds: Double
        public var steps: Int
        public var cadence: Double?
        public var tiltMeanDeg: Double?
        public var tiltRomDeg: Double?
        public var stepTimeCvPercent: Double?
        public var asymmetryPercent: Double?
        public var popsCavitation: Int
        public var popsSnap: Int
        public var popsGrind: Int
        public var popsUnknown: Int
        public var painMarkers: Int
        public var postureEvents: Int
        public var reportJson: String

        public var pops: Int { popsCavitation + popsSnap + popsGrind + popsUnknown }
        /// Pops per 100 steps (nil without steps).
        public func per100(_ n: Int) -> Double? { steps > 0 ? Double(n) * 100 / Double(steps) : nil }
    }

    /// `$XDG_DATA_HOME/gaitpop/history.sqlite` (default `~/.local/share/gaitpop/history.sqlite`).
    public static var defaultPath: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("gaitpop/history.sqlite")
    }

    public init(path: String = HistoryStore.defaultPath) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        db = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "walk") { t in
                t.primaryKey("recording", .text)
                t.column("startedUtc", .text).notNull()
                t.column("durationSeconds", .double).notNull()
                t.column("steps", .integer).notNull()
                t.column("cadence", .double)
                t.column("tiltMeanDeg", .double)
                t.column("tiltRomDeg", .double)
                t.column("stepTimeCvPercent", .double)
                t.column("asymmetryPercent", .double)
                t.column("popsCavitation", .integer).notNull()
                t.column("popsSnap", .integer).notNull()
                t.column("popsGrind", .integer).notNull()
                t.column("popsUnknown", .integer).notNull()
                t.column("painMarkers", .integer).notNull()
                t.column("postureEvents", .integer).notNull()
                t.column("reportJson", .text).notNull()
            }
            try db.create(index: "walk_started", on: "walk", columns: ["startedUtc"])
        }
        try migrator.migrate(db)
    }

    /// Stores (or replaces) a report.
    @discardableResult
    public func add(_ r: WalkReport) throws -> Walk {
        let kinds = r.pops.map(\.kind)
        let recording = URL(fileURLWithPath: r.session.path).standardizedFileURL.path
        let walk = Walk(recording: recording, startedUtc: r.session.startedUtc, durationSeconds: r.session.durationSeconds,
                        steps: r.steps.count, cadence: r.gait?.cadenceStepsPerMin, tiltMeanDeg: r.tilt.meanDeg,
                        tiltRomDeg: r.tilt.romDeg, stepTimeCvPercent: r.gait?.stepTimeCVPercent,
                        asymmetryPercent: r.gait?.stepTimeAsymmetryPercent, popsCavitation: kinds.count { $0 == .cavitation },
                        popsSnap: kinds.count { $0 == .snap }, popsGrind: kinds.count { $0 == .grind }, popsUnknown: kinds.count { $0 == .unknown },
                        painMarkers: r.markers.filter { $0.kind == .pain }.count, postureEvents: r.postureEvents.count,
                        reportJson: String(decoding: try ReportJSON.encode(r), as: UTF8.self))
        try db.write { db in try walk.save(db) }
        return walk
    }

    /// All walks, oldest first.
    public func walks() throws -> [Walk] {
        try db.read { db in try Walk.order(Column("startedUtc"), Column("recording")).fetchAll(db) }
    }
}
