/// Fixed-capacity ring buffer addressed by absolute sample index: the streaming analyzer's only per-sample storage,
/// so its memory does not grow with session length.
///
/// Capacity is a power of two (index & mask); the storage is allocated once and never copied (a class over raw
/// memory, so no copy-on-write checks in the per-sample path). Elements must be appended in index order; reading an
/// index outside (newest − capacity, newest] is a programmer error (checked in debug builds).
final class SampleRing<Element> {
    let capacity: Int
    private let mask: Int
    private let storage: UnsafeMutablePointer<Element>
    /// Absolute index of the newest element, −1 while empty.
    private(set) var newest = -1

    init(minimumCapacity: Int, filler: Element) {
        var c = 1
        while c < Swift.max(1, minimumCapacity) { c <<= 1 }
        capacity = c
        mask = c - 1
        storage = UnsafeMutablePointer<Element>.allocate(capacity: c)
        storage.initialize(repeating: filler, count: c)
    }

    deinit {
        storage.deinitialize(count: capacity)
        storage.deallocate()
    }

    /// Oldest index still held.
    var oldest: Int { Swift.max(0, newest - capacity + 1) }

    /// Indices currently held, as a range.
    var available: Range<Int> { oldest..<(newest + 1) }

    @inline(__always) func append(_ v: Element) {
        newest += 1
        storage[newest & mask] = v
    }

    @inline(__always) subscript(i: Int) -> Element {
        assert(i <= newest && i > newest - capacity && i >= 0, "ring index \(i) outside held samples")
        return storage[i & mask]
    }
}
