/// The dashboard's event log: lines kept in time order whatever order the pipeline learns them in (a step is
/// confirmed ~0.3 s after its contact, a pop's phase is refined once the next contact arrives), and an event reported
/// twice — a provisional pop, then its refined version — replaced in place rather than shown twice.
public struct EventLog: Sendable {
    /// What identifies one event across its provisional and final reports.
    public enum Key: Hashable, Sendable {
        /// A pop, by its time in microseconds (the provisional and refined reports carry the same onset time).
        case pop(microseconds: Int64)
        /// A step, by its contact time in milliseconds.
        case step(milliseconds: Int64)
    }

    public struct Entry: Equatable, Sendable {
        public var tSeconds: Double
        public var key: Key?
        public var text: String
    }

    /// At most this many entries are kept (the oldest by time go first): memory stays flat over hours.
    public let capacity: Int
    public private(set) var entries: [Entry] = []

    public init(capacity: Int = 64) {
        precondition(capacity > 0)
        self.capacity = capacity
        entries.reserveCapacity(capacity + 1)
    }

    /// Adds a line at `tSeconds`; a line with the key of one already kept replaces it (and moves to its new time).
    public mutating func add(tSeconds: Double, key: Key? = nil, text: String) {
        if let key, let i = entries.firstIndex(where: { $0.key == key }) {
            entries.remove(at: i)
        }
        let entry = Entry(tSeconds: tSeconds, key: key, text: text)
        // Events mostly arrive nearly in order: search from the end.
        var i = entries.count
        while i > 0, entries[i - 1].tSeconds > tSeconds { i -= 1 }
        entries.insert(entry, at: i)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    /// The newest `n` lines, oldest first.
    public func last(_ n: Int) -> [Entry] { Array(entries.suffix(max(0, n))) }
}
