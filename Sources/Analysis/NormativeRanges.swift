import Foundation

/// Published reference ranges for the gait measures gaitpop reports, in one table that serves both the "typical"
/// text a report shows and the flag it raises, so the two can never disagree (issue 12, item 2).
///
/// Every entry names its source (`sourceKey` → `NormativeRanges.sources`) and says what its bounds mean. Only
/// numbers read in a source are used; where a bound is derived from a published number (for example step time as
/// 60 / cadence, or mean ± 2 SD from a published mean and SD) the arithmetic is written out in the entry and the
/// `meaning` says so. Measures without a published range that we could read (step-time CV, left/right asymmetry,
/// pelvic ranges of motion) have no entry: the report shows no typical range and raises no flag for them.
/// docs/NORMATIVE-RANGES.md lists every source in full, with the caveats (walkway vs. hip-worn sensor, population,
/// walking speed).

/// The measures a reference range can exist for; raw values name the `GaitMetrics` field they apply to.
public enum GaitQuantity: String, CaseIterable, Sendable {
    case cadenceStepsPerMin
    case stepTimeSeconds
    case strideTimeSeconds
    case stancePercent
    case swingPercent
    case doubleSupportPercent
    case stepTimeCVPercent
    case strideTimeCVPercent
    case stepTimeAsymmetryPercent
    case tiltRomDeg
    case obliquityRomDeg
    case rotationRomDeg
}

/// Sex as reference tables stratify it (`report --sex female|male`; stored in the report as `wearer_sex`).
public enum NormativeSex: String, CaseIterable, Codable, Sendable {
    case female, male

    /// The group as a reader names it: "women", "men".
    public var groupName: String { self == .female ? "women" : "men" }
}

/// Where a value lies relative to a reference range.
public enum NormativeClass: String, Sendable {
    case below, within, above
}

/// One cited source.
public struct NormativeSource: Equatable, Sendable {
    /// Short key used by table entries, e.g. "TudorLocke2012".
    public let key: String
    /// Short label for a report cell, e.g. "Tudor-Locke & Rowe 2012".
    public let shortLabel: String
    /// Full citation: authors, title, journal, year, volume, pages, DOI or address where it was read.
    public let citation: String
}

/// One reference range for one quantity, optionally limited to an age band and/or a sex.
public struct NormativeRange: Equatable, Sendable {
    public let quantity: GaitQuantity
    /// Lower bound, inclusive, in the quantity's unit.
    public let lower: Double
    /// Upper bound, inclusive.
    public let upper: Double
    /// Decimals used both to print the bounds and to compare a value with them (see `classify`).
    public let decimals: Int
    /// Ages (years, inclusive) the band was published for; nil = all adults.
    public let ages: ClosedRange<Int>?
    /// Sex the band was published for; nil = both.
    public let sex: NormativeSex?
    /// Key into `NormativeRanges.sources`.
    public let sourceKey: String
    /// What the bounds are (mean ± 2 SD, range of reported values, derived by arithmetic from …).
    public let meaning: String

    public init(_ quantity: GaitQuantity, _ lower: Double, _ upper: Double, decimals: Int,
                ages: ClosedRange<Int>? = nil, sex: NormativeSex? = nil, source: String, meaning: String) {
        self.quantity = quantity
        self.lower = lower
        self.upper = upper
        self.decimals = decimals
        self.ages = ages
        self.sex = sex
        self.sourceKey = source
        self.meaning = meaning
    }

    /// Classifies `value` at the precision the range is printed with: the value and both bounds are compared as
    /// they print (same `format`, same rounding). That way a value that prints as "96" next to "96–138" is within,
    /// and one that prints as "95" is below — what a reader sees is what is flagged. Bounds are inclusive.
    public func classify(_ value: Double) -> NormativeClass {
        let v = printed(value), lo = printed(lower), hi = printed(upper)
        if v < lo { return .below }
        if v > hi { return .above }
        return .within
    }

    /// The value as the report prints it next to this range.
    public func format(_ value: Double) -> String { String(format: "%.\(decimals)f", value) }

    /// "lower–upper" at the range's precision, e.g. "81–138".
    public var text: String { format(lower) + "–" + format(upper) }

    /// The cited source's short label ("" only if the table is inconsistent, which a test rules out).
    public var sourceLabel: String { NormativeRanges.sources[sourceKey]?.shortLabel ?? "" }

    /// Who the range was published for, as a report prints it beside the range: "women", "men 70–79",
    /// "ages 45–75", "all adults" (the fallback when age and sex are unknown or outside every band).
    public var bandLabel: String {
        let years = ages.map { "\($0.lowerBound)–\($0.upperBound)" }
        switch (sex, years) {
        case let (s?, y?): return s.groupName + " " + y
        case let (s?, nil): return s.groupName
        case let (nil, y?): return "ages " + y
        case (nil, nil): return "all adults"
        }
    }

    /// The group in a sentence: "adults", "women", "women aged 70–74", "adults aged 45–75".
    public var groupPhrase: String {
        (sex?.groupName ?? "adults") + (ages.map { " aged \($0.lowerBound)–\($0.upperBound)" } ?? "")
    }

    /// Band and source together, as printed in the gait table's "typical" column: "women, Tudor-Locke & Rowe 2012".
    public var bandAndSource: String { bandLabel + ", " + sourceLabel }

    /// How many of age and sex this entry is specific to (0 = all adults).
    var specificity: Int { (ages == nil ? 0 : 1) + (sex == nil ? 0 : 1) }

    func matches(age: Int?, sex: NormativeSex?) -> Bool {
        if let band = ages { guard let a = age, band.contains(a) else { return false } }
        if let s = self.sex { guard let given = sex, given == s else { return false } }
        return true
    }

    /// The number as printed, read back; non-finite values keep their order (−∞ below, +∞/NaN above).
    private func printed(_ x: Double) -> Double {
        guard x.isFinite else { return x.isNaN ? .infinity : x }
        return Double(format(x)) ?? x
    }
}

/// The table and its lookup.
public enum NormativeRanges {
    /// Every source an entry cites. Full references with what was read are in docs/NORMATIVE-RANGES.md.
    public static let sources: [String: NormativeSource] = {
        let list = [
            NormativeSource(
                key: "TudorLocke2012", shortLabel: "Tudor-Locke & Rowe 2012",
                citation: "Tudor-Locke C, Rowe DA. Using cadence to study free-living ambulatory behaviour. "
                    + "Sports Medicine (2012). doi:10.2165/11599170-000000000-00000 (abstract)"),
            NormativeSource(
                key: "KirtleyCGAStance", shortLabel: "Kirtley, CGA normative data",
                citation: "Kirtley C (ed.). Stance phase duration: normative values. Clinical Gait Analysis "
                    + "normative data pages, https://clinicalgaitanalysis.com/data/stance.html — contributed data "
                    + "from 219 normal subjects aged 13–75 (91 Caucasian, 128 Chinese); also cites Kirtley C, "
                    + "Whittle MW, Jefferson RJ. Influence of walking speed on gait parameters. J Biomed Eng "
                    + "1985;7(4):282–288"),
            NormativeSource(
                key: "GabellNayak1984", shortLabel: "Gabell & Nayak 1984",
                citation: "Gabell A, Nayak USL. The effect of age on variability in gait. Journal of Gerontology "
                    + "1984;39(6):662–666. doi:10.1093/geronj/39.6.662 (abstract)"),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.key, $0) })
    }()

    // Published numbers the derived bands are computed from, named so the arithmetic below reads as in the source.
    /// Tudor-Locke & Rowe 2012: "Ranges for normal walking cadence assessed under laboratory conditions are
    /// 96–138 steps/minute for women and 81–135 steps/minute for men across their lifespan."
    static let cadenceWomen = (lo: 96.0, hi: 138.0)
    static let cadenceMen = (lo: 81.0, hi: 135.0)
    /// CGA stance data, Caucasian subjects: < 45 years 61.8 ± 2.5 %, ≥ 45 years 63.6 ± 3.9 % (mean ± SD).
    /// The Caucasian figures are used because their wider SD flags fewer healthy walkers than the Chinese
    /// figures on the same page (61.9 ± 1.9 %, 62.3 ± 1.9 %).
    static let stanceYounger = (mean: 61.8, sd: 2.5)
    static let stanceOlder = (mean: 63.6, sd: 3.9)
    static let younger = 13...44
    static let older = 45...75

    /// The table. For each quantity that has entries there is exactly one all-adults entry (no age, no sex): the
    /// fallback when the wearer's age or sex is unknown or outside every published band.
    public static let table: [NormativeRange] = {
        var t: [NormativeRange] = []
        // Cadence: published ranges by sex; the all-adults entry is their envelope.
        let cad = "range of normal walking cadence reported in laboratory studies across the adult lifespan"
        t.append(NormativeRange(.cadenceStepsPerMin, cadenceWomen.lo, cadenceWomen.hi, decimals: 0, sex: .female,
                                source: "TudorLocke2012", meaning: cad + " (women)"))
        t.append(NormativeRange(.cadenceStepsPerMin, cadenceMen.lo, cadenceMen.hi, decimals: 0, sex: .male,
                                source: "TudorLocke2012", meaning: cad + " (men)"))
        let cadAll = (lo: min(cadenceWomen.lo, cadenceMen.lo), hi: max(cadenceWomen.hi, cadenceMen.hi))
        t.append(NormativeRange(.cadenceStepsPerMin, cadAll.lo, cadAll.hi, decimals: 0,
                                source: "TudorLocke2012", meaning: cad + " (envelope of the women's and men's ranges)"))
        // Step and stride time: no separately read range; derived from the cadence ranges, since in steady walking
        // step time = 60 / cadence and stride time = 2 × step time.
        for (s, c) in [(NormativeSex.female, cadenceWomen), (.male, cadenceMen), (nil, cadAll)] as [(NormativeSex?, (lo: Double, hi: Double))] {
            let who = s.map { " (\($0.rawValue == "female" ? "women" : "men"))" } ?? " (envelope)"
            t.append(NormativeRange(.stepTimeSeconds, 60 / c.hi, 60 / c.lo, decimals: 2, sex: s, source: "TudorLocke2012",
                                    meaning: "derived: 60 / cadence range" + who))
            t.append(NormativeRange(.strideTimeSeconds, 120 / c.hi, 120 / c.lo, decimals: 2, sex: s, source: "TudorLocke2012",
                                    meaning: "derived: 120 / cadence range" + who))
        }
        // Stance, swing, double support: mean ± 2 SD of the published stance by age; swing = 100 − stance (as
        // gaitpop computes it); total double support = stance − swing = 2·stance − 100 (symmetric gait).
        func stanceBand(_ m: (mean: Double, sd: Double)) -> (lo: Double, hi: Double) { (m.mean - 2 * m.sd, m.mean + 2 * m.sd) }
        let bands: [(ClosedRange<Int>?, (lo: Double, hi: Double), String)] = {
            let y = stanceBand(stanceYounger), o = stanceBand(stanceOlder)
            return [(younger, y, "age < 45"), (older, o, "age ≥ 45"),
                    (nil, (min(y.lo, o.lo), max(y.hi, o.hi)), "envelope of both age bands")]
        }()
        for (ages, st, who) in bands {
            t.append(NormativeRange(.stancePercent, st.lo, st.hi, decimals: 1, ages: ages, source: "KirtleyCGAStance",
                                    meaning: "mean ± 2 SD of stance % of stride, " + who))
            t.append(NormativeRange(.swingPercent, 100 - st.hi, 100 - st.lo, decimals: 1, ages: ages, source: "KirtleyCGAStance",
                                    meaning: "derived: 100 − stance band, " + who))
            t.append(NormativeRange(.doubleSupportPercent, 2 * st.lo - 100, 2 * st.hi - 100, decimals: 1, ages: ages,
                                    source: "KirtleyCGAStance", meaning: "derived: 2 × stance band − 100 (total double support of a symmetric stride), " + who))
        }
        // Stride-time variability: healthy groups aged 21–47 and 66–84 both had median CV below 6 %.
        t.append(NormativeRange(.strideTimeCVPercent, 0, 6, decimals: 1, source: "GabellNayak1984",
                                meaning: "upper bound = the 6 % below which both healthy age groups' median CV lay; a lenient ceiling, not a 95 % interval"))
        return t
    }()

    /// The most specific entry for `quantity` that fits the given age and sex, falling back to the all-adults
    /// entry; nil when no published range exists for the quantity.
    public static func range(for quantity: GaitQuantity, age: Int? = nil, sex: NormativeSex? = nil) -> NormativeRange? {
        var best: NormativeRange?
        for r in table where r.quantity == quantity && r.matches(age: age, sex: sex) {
            if best == nil || r.specificity > best!.specificity { best = r }
        }
        return best
    }

    /// The ages `report --age` accepts: every band in the table is for adults (the youngest, 13–44, starts in
    /// adolescence), so an age below 18 would be compared with ranges that were never meant for it.
    public static let acceptedAgesYears = 18...120

    /// Classifies `value` against `range(for:age:sex:)`; nil when there is no range.
    public static func classify(_ value: Double, as quantity: GaitQuantity, age: Int? = nil,
                                sex: NormativeSex? = nil) -> NormativeClass? {
        range(for: quantity, age: age, sex: sex)?.classify(value)
    }
}

extension WalkReport {
    /// The reference range this report uses for `quantity`: the band for the wearer's age and sex when the report
    /// was made with `--age`/`--sex`, else the all-adults entry. Every rendering (HTML, Markdown) asks here, so the
    /// range shown, the band named beside it and the flag all come from the same entry.
    public func normativeRange(for quantity: GaitQuantity) -> NormativeRange? {
        NormativeRanges.range(for: quantity, age: wearerAgeYears, sex: wearerSex)
    }
}
