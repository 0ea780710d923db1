import Analysis
import Foundation
import GRDB

/// Every report, kept in an SQLite database (GRDB) so trends across walks can be shown: pops per 100 steps by kind,
/// pelvic tilt, cadence. One row per recording (re-reporting a recording replaces its row); the full report JSON
/// is kept too, so later versions can compute new trends from old walks.
public final class HistoryStore {
    public let path: String
    private let db: DatabasePool

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
        /// Whose walk this is (`report --subject`), so one database can keep several people apart; nil if not given.
        public var subject: String?
        /// The report file written for this walk (the HTML if one was written, else the JSON), absolute; the history
        /// page links to it. Nil when the report only went to the terminal.
        public var reportFile: String?

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

    /// Things the user should hear about opening the database (a damaged one set aside), one line each.
    public private(set) var notices: [String] = []

    /// Opens (or creates) the database.
    ///
    /// Several `gaitpop report` runs may write at once (a folder of recordings in one shell loop, a script per
    /// recording): the database is in WAL mode, each connection waits up to 10 s for a busy lock, and a write that
    /// still meets one is retried, so every report lands. A database that is not SQLite or is damaged is renamed
    /// aside (`….corrupt-<time>`) and a new one started, with a notice: the old walks are kept for rescue, and the
    /// new report is not lost. A relative `path` is taken from the current folder. With `createFolder` false, a
    /// missing folder is an error rather than created: a mistyped `--db typo/h.sqlite` must not start a new history
    /// that no later command will look at.
    public init(path: String = HistoryStore.defaultPath, createFolder: Bool = true) throws {
        let absolute = path.hasPrefix("/") ? path
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        self.path = (absolute as NSString).standardizingPath
        let dir = (self.path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: dir) {
            guard createFolder else {
                throw HistoryError.cannotOpen(path: self.path, reason: "the folder \(dir) does not exist")
            }
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw HistoryError.cannotOpen(path: self.path, reason: "cannot create the folder \(dir)")
            }
        }
        do {
            db = try Self.open(self.path)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CORRUPT || e.resultCode == .SQLITE_NOTADB {
            let aside = self.path + ".corrupt-" + String(Int(Date().timeIntervalSince1970))
            guard rename(self.path, aside) == 0 else {
                throw HistoryError.cannotOpen(path: self.path, reason: "it is damaged and cannot be moved aside")
            }
            for suffix in ["-wal", "-shm"] { _ = rename(self.path + suffix, aside + suffix) }
            notices.append("history database \(self.path) was damaged (\(e.resultCode)); it was renamed to \(aside) "
                           + "and a new one started")
            db = try Self.open(self.path)
        }
    }

    private static func open(_ path: String) throws -> DatabasePool {
        var config = Configuration()
        config.busyMode = .timeout(10)
        // Two processes creating the database at once may both run the migration; the second one's bookkeeping
        // insert then fails its UNIQUE constraint, and a retry finds the migration applied.
        return try retrying(alsoOn: [.SQLITE_CONSTRAINT]) {
            let pool = try DatabasePool(path: path, configuration: config)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.create(table: "walk", options: .ifNotExists) { t in
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
                try db.create(index: "walk_started", on: "walk", columns: ["startedUtc"], options: .ifNotExists)
            }
            // v2: who walked, and where the walk's report file is. Older databases gain both columns, empty. Like v1
            // it may run twice when several processes open a new database at once (the second run's bookkeeping
            // insert then fails and is retried), so it only adds a column that is not there yet.
            migrator.registerMigration("v2") { db in
                let have = Set(try db.columns(in: "walk").map(\.name))
                let missing = ["subject", "reportFile"].filter { !have.contains($0) }
                if !missing.isEmpty {
                    try db.alter(table: "walk") { t in for c in missing { t.add(column: c, .text) } }
                }
                try db.create(index: "walk_subject", on: "walk", columns: ["subject"], options: .ifNotExists)
            }
            try migrator.migrate(pool)
            return pool
        }
    }

    /// Runs `body` again (up to ~20 times, with growing random pauses) while SQLite says the database is busy or
    /// locked: what the busy timeout cannot cover (a read transaction that must become a write, or WAL set-up).
    static func retrying<T>(alsoOn extra: [ResultCode] = [], _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let e as DatabaseError where (e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED
                                                  || extra.contains(e.resultCode)) && attempt < 20 {
                attempt += 1
                usleep(useconds_t(UInt32.random(in: 10_000...50_000) * UInt32(min(attempt, 8))))
            }
        }
    }

    /// Stores (or replaces) a report, with whose walk it is and the report file written for it.
    @discardableResult
    public func add(_ r: WalkReport, subject: String? = nil, reportFile: String? = nil) throws -> Walk {
        let kinds = r.pops.map(\.kind)
        let recording = URL(fileURLWithPath: r.session.path).standardizedFileURL.path
        let walk = Walk(recording: recording, startedUtc: r.session.startedUtc, durationSeconds: r.session.durationSeconds,
                        steps: r.steps.count, cadence: r.gait?.cadenceStepsPerMin, tiltMeanDeg: r.tilt.meanDeg,
                        tiltRomDeg: r.tilt.romDeg, stepTimeCvPercent: r.gait?.stepTimeCVPercent,
                        asymmetryPercent: r.gait?.stepTimeAsymmetryPercent, popsCavitation: kinds.count { $0 == .cavitation },
                        popsSnap: kinds.count { $0 == .snap }, popsGrind: kinds.count { $0 == .grind }, popsUnknown: kinds.count { $0 == .unknown },
                        painMarkers: r.markers.filter { $0.kind == .pain }.count, postureEvents: r.postureEvents.count,
                        reportJson: String(decoding: try ReportJSON.encode(r), as: UTF8.self),
                        subject: subject.flatMap { $0.isEmpty ? nil : $0 },
                        reportFile: reportFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        try Self.retrying { try db.write { db in try walk.save(db) } }
        return walk
    }

    /// All walks, oldest first; with `subject`, only that person's.
    public func walks(subject: String? = nil) throws -> [Walk] {
        try Self.retrying {
            try db.read { db in
                var q = Walk.order(Column("startedUtc"), Column("recording"))
                if let subject { q = q.filter(Column("subject") == subject) }
                return try q.fetchAll(db)
            }
        }
    }
}

/// History failures the CLI prints as one line.
public enum HistoryError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): "cannot open the history database \(p): \(r)"
        }
    }
}
