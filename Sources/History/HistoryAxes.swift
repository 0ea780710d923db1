import Foundation

/// Axes for the history charts: value ticks at round numbers (0/10/20, 0.5/1.0/1.5, never 46.0/34.5/23.0) and a
/// time axis on which a walk's position is proportional to its date, with calendar ticks a reader can read.
enum HistoryAxes {
    /// A value axis: its ends and ticks, all multiples of `step`; `step` is 1, 2, 2.5 or 5 times a power of ten.
    struct ValueAxis: Equatable {
        var lo: Double
        var hi: Double
        var step: Double
        var ticks: [Double] { stride(from: lo, through: hi + step * 1e-9, by: step).map { ($0 / step).rounded() * step } }
        /// Decimals a tick label needs for this step (0 for 10, 1 for 0.5, 2 for 0.25).
        var decimals: Int {
            var d = 0
            while d < 4 && abs((step * pow(10, Double(d))).rounded() - step * pow(10, Double(d))) > 1e-9 { d += 1 }
            return d
        }
        func label(_ v: Double) -> String { String(format: "%.\(decimals)f", v == 0 ? 0 : v) }
    }

    /// The round step nearest to `raw`: 1, 2, 2.5 or 5 × 10ⁿ.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = pow(10, floor(log10(raw)))
        let f = raw / p
        let m: Double = f <= 1 ? 1 : (f <= 2 ? 2 : (f <= 2.5 ? 2.5 : (f <= 5 ? 5 : 10)))
        return m * p
    }

    /// About `targetTicks` intervals covering `values`. `includeZero` keeps 0 on the axis (counts, tilt against
    /// neutral); otherwise the axis pads around the data (cadence: 95–115, not 0–115). `minSpan` keeps a flat series
    /// from being drawn as noise.
    static func valueAxis(_ values: [Double], includeZero: Bool, minSpan: Double = 1, targetTicks: Double = 5) -> ValueAxis {
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if hi - lo < minSpan {
            let mid = (hi + lo) / 2
            lo = includeZero && lo >= 0 ? max(0, mid - minSpan / 2) : mid - minSpan / 2
            hi = lo + minSpan
        }
        // A little room so the highest and lowest points do not sit on the frame.
        let pad = (hi - lo) * 0.05
        if !(includeZero && lo == 0) { lo -= pad }
        hi += pad
        let step = niceStep((hi - lo) / targetTicks)
        return ValueAxis(lo: floor(lo / step) * step, hi: ceil(hi / step) * step, step: step)
    }

    /// A time axis over walk dates: `start…end` padded so no walk sits on the edge, ticks on round calendar steps.
    struct TimeAxis {
        var start: Date
        var end: Date
        var ticks: [(Date, String)]

        /// Position of `date` in 0…1.
        func fraction(_ date: Date) -> Double {
            let span = end.timeIntervalSince(start)
            return span > 0 ? date.timeIntervalSince(start) / span : 0.5
        }
    }

    static let utcCalendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        c.firstWeekday = 2 // weeks start on Monday (ISO 8601)
        return c
    }()

    /// Walk dates → axis. Ticks are whole hours, days, weeks (Mondays), months or years, at most `maxTicks`, labelled
    /// "Mar 14 09:00", "Mar 14", "Mar 2026" or "2026" (UTC, as the dates are stored).
    static func timeAxis(_ dates: [Date], maxTicks: Int = 7) -> TimeAxis {
        let first = dates.min() ?? Date(timeIntervalSince1970: 0), last = dates.max() ?? first
        let span = max(last.timeIntervalSince(first), 3600)
        var start = first.addingTimeInterval(-span * 0.06), end = last.addingTimeInterval(span * 0.06)
        if last.timeIntervalSince(first) < 3600 { start = first.addingTimeInterval(-1800); end = last.addingTimeInterval(1800) }
        let total = end.timeIntervalSince(start)
        let hour = 3600.0, day = 86_400.0
        // (step in seconds for choosing, calendar component and amount, label format)
        let choices: [(Double, Calendar.Component, Int, String)] = [
            (hour, .hour, 1, "MMM d HH:mm"), (3 * hour, .hour, 3, "MMM d HH:mm"), (6 * hour, .hour, 6, "MMM d HH:mm"),
            (12 * hour, .hour, 12, "MMM d HH:mm"), (day, .day, 1, "MMM d"), (2 * day, .day, 2, "MMM d"),
            (7 * day, .weekOfYear, 1, "MMM d"), (14 * day, .weekOfYear, 2, "MMM d"), (30 * day, .month, 1, "MMM yyyy"),
            (91 * day, .month, 3, "MMM yyyy"), (182 * day, .month, 6, "MMM yyyy"), (365 * day, .year, 1, "yyyy"),
        ]
        let pick = choices.first { total / $0.0 <= Double(maxTicks) }
            ?? (365 * day * ceil(total / (365 * day) / Double(maxTicks)), .year, Int(ceil(total / (365 * day) / Double(maxTicks))), "yyyy")
        let cal = utcCalendar
        // First tick: the start rounded down to the unit, then stepped forward into the axis.
        var comps: Set<Calendar.Component>
        switch pick.1 {
        case .hour: comps = [.year, .month, .day, .hour]
        case .day: comps = [.year, .month, .day]
        case .weekOfYear: comps = [.yearForWeekOfYear, .weekOfYear]
        case .month: comps = [.year, .month]
        default: comps = [.year]
        }
        var t = cal.date(from: cal.dateComponents(comps, from: start)) ?? start
        if pick.1 == .hour {
            let h = cal.component(.hour, from: t)
            t = cal.date(byAdding: .hour, value: -(h % pick.2), to: t) ?? t
        } else if pick.1 == .month {
            let m = cal.component(.month, from: t) - 1
            t = cal.date(byAdding: .month, value: -(m % pick.2), to: t) ?? t
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = cal.timeZone
        f.dateFormat = pick.3
        var ticks: [(Date, String)] = []
        var guardCount = 0
        while t <= end && guardCount < 100 {
            if t >= start { ticks.append((t, f.string(from: t))) }
            guard let next = cal.date(byAdding: pick.1, value: pick.2, to: t), next > t else { break }
            t = next
            guardCount += 1
        }
        return TimeAxis(start: start, end: end, ticks: ticks)
    }

    /// Stored start times ("2026-03-14T09:15:00.000Z") as dates; nil for one that does not parse.
    static func date(_ utc: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: utc) ?? ISO8601DateFormatter().date(from: utc)
    }
}
