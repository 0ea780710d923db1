import Foundation

/// One slot per task of a `DispatchQueue.concurrentPerform`, filled from any thread and read once all are done.
///
/// Why: Swift 6 forbids mutating a captured array from concurrently executing closures (a data race the compiler
/// cannot rule out); a lock around each slot write is all these few-and-coarse tasks (two halves of a walk, one
/// recording each) need.
public final class ConcurrentSlots<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    public init(count: Int) { slots = Array(repeating: nil, count: count) }

    public func set(_ i: Int, _ value: Value) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    /// How many slots are filled (for progress bars).
    public var filled: Int {
        lock.lock()
        defer { lock.unlock() }
        return slots.lazy.filter { $0 != nil }.count
    }

    /// The values, once every task has run (a missing value is a programming error).
    public var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
