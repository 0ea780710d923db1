#if canImport(Glibc)
import Glibc
#endif

/// Monotonic host time. Wall-clock time can jump (NTP, suspend), so everything that is subtracted uses this.
public enum HostClock {
    /// Nanoseconds of CLOCK_MONOTONIC.
    public static func nanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Microseconds of CLOCK_MONOTONIC.
    public static func micros() -> UInt64 { UInt64(nanos() / 1000) }
}
