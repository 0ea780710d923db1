import Foundation
import XCTest
@testable import Analysis
@testable import Pipeline
@testable import Recording
import TestSupport

/// The normative table: lookups with and without age/sex, classification at the edges, every entry sourced and
/// well-formed, and the HTML gait table showing and flagging from the same entry.
final class NormativeRangesTests: XCTestCase {
    // MARK: table integrity

    func testEveryEntryHasAKnownSourceAMeaningAndLowerBelowUpper() {
        XCTAssertFalse(NormativeRanges.table.isEmpty)
        for r in NormativeRanges.table {
            let label = "\(r.quantity) ages \(String(describing: r.ages)) sex \(String(describing: r.sex))"
            XCTAssertLessThan(r.lower, r.upper, label)
            XCTAssertTrue(r.lower.isFinite && r.upper.isFinite, label)
            let src = NormativeRanges.sources[r.sourceKey]
            XCTAssertNotNil(src, "unknown source key \(r.sourceKey) for \(label)")
            XCTAssertFalse(src?.citation.isEmpty ?? true, label)
            XCTAssertFalse(r.sourceLabel.isEmpty, label)
            XCTAssertFalse(r.meaning.isEmpty, label)
            XCTAssertGreaterThanOrEqual(r.decimals, 0, label)
        }
        for s in NormativeRanges.sources.values { XCTAssertFalse(s.citation.isEmpty, s.key) }
    }

    func testEachQuantityWithEntriesHasExactlyOneAllAdultsFallbackAndNoDuplicateBands() {
        for q in GaitQuantity.allCases {
            let entries = NormativeRanges.table.filter { $0.quantity == q }
            guard !entries.isEmpty else { continue }
            XCTAssertEqual(entries.filter { $0.ages == nil && $0.sex == nil }.count, 1, "\(q) all-adults entry")
            var seen = Set<String>()
            for e in entries {
                let k = "\(String(describing: e.ages))|\(String(describing: e.sex))"
                XCTAssertTrue(seen.insert(k).inserted, "\(q) has two entries for \(k)")
            }
        }
    }

    func testQuantitiesWithoutAReadablePublishedRangeHaveNoEntry() {
        // Left out on purpose (docs/NORMATIVE-RANGES.md says why): no range could be read in a source.
        for q in [GaitQuantity.stepTimeCVPercent, .stepTimeAsymmetryPercent, .tiltRomDeg, .obliquityRomDeg, .rotationRomDeg] {
            XCTAssertNil(NormativeRanges.range(for: q), "\(q)")
            XCTAssertNil(NormativeRanges.classify(1, as: q))
        }
    }

    func testPublishedNumbersAreTheOnesInTheTable() {
        // Tudor-Locke & Rowe 2012: women 96–138, men 81–135 steps/min.
        let w = NormativeRanges.range(for: .cadenceStepsPerMin, sex: .female)!
        XCTAssertEqual([w.lower, w.upper], [96, 138])
        let m = NormativeRanges.range(for: .cadenceStepsPerMin, sex: .male)!
        XCTAssertEqual([m.lower, m.upper], [81, 135])
        // CGA stance data: < 45 y 61.8 ± 2.5 %, ≥ 45 y 63.6 ± 3.9 % → mean ± 2 SD.
        let y = NormativeRanges.range(for: .stancePercent, age: 30)!
        XCTAssertEqual(y.lower, 56.8, accuracy: 1e-9); XCTAssertEqual(y.upper, 66.8, accuracy: 1e-9)
        let o = NormativeRanges.range(for: .stancePercent, age: 60)!
        XCTAssertEqual(o.lower, 55.8, accuracy: 1e-9); XCTAssertEqual(o.upper, 71.4, accuracy: 1e-9)
    }

    func testDerivedBandsFollowTheirDefiningIdentities() {
        for sex in [nil, NormativeSex.female, .male] {
            let c = NormativeRanges.range(for: .cadenceStepsPerMin, sex: sex)!
            let s = NormativeRanges.range(for: .stepTimeSeconds, sex: sex)!
            let st = NormativeRanges.range(for: .strideTimeSeconds, sex: sex)!
            XCTAssertEqual(s.lower, 60 / c.upper, accuracy: 1e-12); XCTAssertEqual(s.upper, 60 / c.lower, accuracy: 1e-12)
            XCTAssertEqual(st.lower, 2 * s.lower, accuracy: 1e-12); XCTAssertEqual(st.upper, 2 * s.upper, accuracy: 1e-12)
        }
        for age in [nil, 30, 60] as [Int?] {
            let st = NormativeRanges.range(for: .stancePercent, age: age)!
            let sw = NormativeRanges.range(for: .swingPercent, age: age)!
            let ds = NormativeRanges.range(for: .doubleSupportPercent, age: age)!
            XCTAssertEqual(sw.lower, 100 - st.upper, accuracy: 1e-9); XCTAssertEqual(sw.upper, 100 - st.lower, accuracy: 1e-9)
            XCTAssertEqual(ds.lower, 2 * st.lower - 100, accuracy: 1e-9); XCTAssertEqual(ds.upper, 2 * st.upper - 100, accuracy: 1e-9)
        }
        // The all-adults fallback is the envelope of the bands, so it never flags a value some band accepts.
        let all = NormativeRanges.range(for: .cadenceStepsPerMin)!
        XCTAssertEqual([all.lower, all.upper], [81, 138])
    }

    // MARK: lookup

    func testLookupWithoutAgeOrSexFallsBackToAllAdults() {
        let r = NormativeRanges.range(for: .cadenceStepsPerMin)!
        XCTAssertNil(r.ages); XCTAssertNil(r.sex)
        let s = NormativeRanges.range(for: .stancePercent)!
        XCTAssertNil(s.ages)
        XCTAssertEqual(s.lower, 55.8, accuracy: 1e-9, "envelope of 56.8–66.8 and 55.8–71.4")
        XCTAssertEqual(s.upper, 71.4, accuracy: 1e-9)
    }

    func testLookupPicksTheMostSpecificMatchingBand() {
        XCTAssertEqual(NormativeRanges.range(for: .cadenceStepsPerMin, sex: .female)?.sex, .female)
        XCTAssertEqual(NormativeRanges.range(for: .cadenceStepsPerMin, age: 70, sex: .male)?.sex, .male,
                       "a sex band applies whatever the age")
        XCTAssertEqual(NormativeRanges.range(for: .stancePercent, age: 44)?.ages, 13...44)
        XCTAssertEqual(NormativeRanges.range(for: .stancePercent, age: 45)?.ages, 45...75)
        XCTAssertEqual(NormativeRanges.range(for: .stancePercent, age: 45, sex: .female)?.ages, 45...75,
                       "no sex band for stance: age band still used")
    }

    func testAgeOutsideEveryPublishedBandFallsBackToAllAdults() {
        let r = NormativeRanges.range(for: .stancePercent, age: 90)!
        XCTAssertNil(r.ages, "no band published above 75")
        XCTAssertEqual(NormativeRanges.range(for: .stancePercent, age: 90), NormativeRanges.range(for: .stancePercent))
    }

    // MARK: classification

    func testClassificationAtTheEdgesIsInclusiveAtPrintedPrecision() {
        let c = NormativeRanges.range(for: .cadenceStepsPerMin, sex: .female)!   // 96–138, 0 decimals
        XCTAssertEqual(c.classify(96), .within)
        XCTAssertEqual(c.classify(138), .within)
        XCTAssertEqual(c.classify(95.5), .within, "prints as 96, so it must not be flagged next to 96–138")
        XCTAssertEqual(c.classify(95.49), .below, "prints as 95")
        XCTAssertEqual(c.classify(138.49), .within)
        XCTAssertEqual(c.classify(138.51), .above, "prints as 139")
        XCTAssertEqual(c.classify(.nan), .above, "NaN is never 'within'")
        XCTAssertEqual(c.classify(-1), .below)
        XCTAssertEqual(c.classify(500), .above)
        let s = NormativeRanges.range(for: .stancePercent, age: 30)!             // 56.8–66.8, 1 decimal
        XCTAssertEqual(s.classify(56.8), .within)
        XCTAssertEqual(s.classify(56.74), .below)
        XCTAssertEqual(s.classify(66.84), .within)
        XCTAssertEqual(s.classify(66.86), .above)
        // Printing and classifying agree for every value on a fine grid around both edges.
        for r in NormativeRanges.table {
            let step = pow(10, -Double(r.decimals + 2))
            for edge in [r.lower, r.upper] {
                for k in -30...30 {
                    let v = edge + Double(k) * step
                    let printed = Double(r.format(v))!
                    let lo = Double(r.format(r.lower))!, hi = Double(r.format(r.upper))!
                    let expected: NormativeClass = printed < lo ? .below : (printed > hi ? .above : .within)
                    XCTAssertEqual(r.classify(v), expected, "\(r.quantity) \(v) printed \(printed) vs \(r.text)")
                }
            }
        }
    }

    func testTextShowsTheBoundsAtTheRangePrecision() {
        XCTAssertEqual(NormativeRanges.range(for: .cadenceStepsPerMin, sex: .male)?.text, "81–135")
        XCTAssertEqual(NormativeRanges.range(for: .stancePercent, age: 60)?.text, "55.8–71.4")
        XCTAssertEqual(NormativeRanges.range(for: .stepTimeSeconds, sex: .female)?.text, "0.43–0.62", "60/138 … 60/96 = 0.625, printed like any value")
    }

    // MARK: the HTML gait table uses the same entry for text and flag

    func testHTMLGaitTableShowsAndFlagsFromTheSameRange() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gaitpop-norm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A real recording: the lab trial in Tests/Fixtures, imported and analysed like `gaitpop report` does.
        let csv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/lowerback-lab/HA-001_Test5_Trial1.csv").path
        let p = dir.appendingPathComponent("lab.gpsession").path
        _ = try SessionImporter.run(imuCSV: csv, audioWAV: nil, out: p)
        var r = try WalkAnalysis.analyze(path: p, software: "test")
        XCTAssertNotNil(r.gait)
        let cad = try XCTUnwrap(NormativeRanges.range(for: .cadenceStepsPerMin))

        func cadenceRow(_ v: Double) -> String {
            r.gait!.cadenceStepsPerMin = v
            let html = ReportHTML.gaitTable(r)
            let start = try! XCTUnwrap(html.range(of: "<tr><td>cadence (steps/min)</td>"))
            return String(html[start.lowerBound...].prefix { $0 != "\n" }.split(separator: "</tr>").first ?? "")
        }
        // Out of range below: flagged, and the typical cell shows the very bounds it was judged against.
        let low = cadenceRow(cad.lower - 6)
        XCTAssertTrue(low.contains("class=\"out\">\(cad.format(cad.lower - 6))<"), low)
        XCTAssertTrue(low.contains(cad.text), low)
        XCTAssertTrue(low.contains(cad.sourceLabel.replacingOccurrences(of: "&", with: "&amp;")), low)
        // Inside: not flagged. Above: flagged.
        XCTAssertFalse(cadenceRow(96).contains("class=\"out\""))
        XCTAssertTrue(cadenceRow(cad.upper + 5).contains("class=\"out\""))
        // A measure without a sourced range is shown but never flagged.
        r.gait!.stepTimeAsymmetryPercent = 40
        let html = ReportHTML.gaitTable(r)
        let asym = try XCTUnwrap(html.range(of: "<tr><td>left/right step asymmetry (%)</td>"))
        let asymRow = html[asym.lowerBound...].split(separator: "</tr>").first ?? ""
        XCTAssertTrue(asymRow.contains("+40.0"), String(asymRow))
        XCTAssertTrue(asymRow.contains("no sourced range"), String(asymRow))
        XCTAssertFalse(asymRow.contains("class=\"out\""), String(asymRow))
    }
}

/// The wearer's age and sex choose the band (issue 12 item 2, `report --age/--sex`): the lookup, the label printed
/// beside each range, the flag that follows the numbers of that band, and the JSON fields.
extension NormativeRangesTests {
    func testBandLabelNamesWhoTheRangeWasPublishedFor() throws {
        XCTAssertEqual(NormativeRanges.range(for: .cadenceStepsPerMin, sex: .female)?.bandLabel, "women")
        XCTAssertEqual(NormativeRanges.range(for: .cadenceStepsPerMin, sex: .male)?.bandLabel, "men")
        XCTAssertEqual(NormativeRanges.range(for: .cadenceStepsPerMin)?.bandLabel, "all adults")
        XCTAssertEqual(NormativeRanges.range(for: .stancePercent, age: 30)?.bandLabel, "ages 13–44")
        XCTAssertEqual(NormativeRanges.range(for: .stancePercent, age: 30)?.groupPhrase, "adults aged 13–44")
        XCTAssertEqual(NormativeRanges.range(for: .stancePercent, age: 78, sex: .female)?.bandLabel, "all adults",
                       "no stance band is published above 75 or by sex: the envelope applies")
        XCTAssertEqual(NormativeRanges.range(for: .cadenceStepsPerMin, age: 78, sex: .female)?.bandAndSource,
                       "women, Tudor-Locke & Rowe 2012")
        // A band for both age and sex prints both (none is published in the table yet; the label is ready for one).
        let both = NormativeRange(.cadenceStepsPerMin, 90, 130, decimals: 0, ages: 70...74, sex: .female,
                                  source: "TudorLocke2012", meaning: "label test only")
        XCTAssertEqual(both.bandLabel, "women 70–74")
        XCTAssertEqual(both.groupPhrase, "women aged 70–74")
        XCTAssertTrue(both.matches(age: 72, sex: .female))
        XCTAssertFalse(both.matches(age: 72, sex: .male))
        XCTAssertFalse(both.matches(age: 75, sex: .female))
        XCTAssertFalse(both.matches(age: nil, sex: .female), "an age band never applies when the age is unknown")
    }

    /// The lab trial as `gaitpop report` analyses it, with the wearer given.
    private func labReport(age: Int?, sex: NormativeSex?) throws -> WalkReport {
        let dir = try makeTemporaryDirectory("gaitpop-norm-wearer")
        let csv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/lowerback-lab/HA-001_Test5_Trial1.csv").path
        let p = dir.appendingPathComponent("lab.gpsession").path
        _ = try SessionImporter.run(imuCSV: csv, audioWAV: nil, out: p)
        let r = try WalkAnalysis.analyze(path: p, wearerAgeYears: age, wearerSex: sex, software: "test")
        XCTAssertEqual(r.wearerAgeYears, age)
        XCTAssertEqual(r.wearerSex, sex)
        XCTAssertNotNil(r.gait)
        return r
    }

    private func row(_ html: String, _ name: String) throws -> String {
        let start = try XCTUnwrap(html.range(of: "<tr><td>\(name)</td>"), name)
        return String(html[start.lowerBound...].split(separator: "</tr>").first ?? "")
    }

    func testWomensCadenceBandFlagsWhatTheAllAdultsEnvelopeAccepts() throws {
        // 85 steps/min lies inside the envelope 81–138 but below the women's range 96–138 (Tudor-Locke & Rowe 2012):
        // unknown sex → not flagged; a woman → flagged; a man (81–135) → not flagged.
        var anyone = try labReport(age: nil, sex: nil)
        anyone.gait!.cadenceStepsPerMin = 85
        var woman = anyone, man = anyone
        woman.wearerSex = .female
        man.wearerSex = .male
        let a = try row(ReportHTML.gaitTable(anyone), "cadence (steps/min)")
        XCTAssertFalse(a.contains("class=\"out\""), a)
        XCTAssertTrue(a.contains("81–138 <small>(all adults, Tudor-Locke &amp; Rowe 2012)</small>"), a)
        let w = try row(ReportHTML.gaitTable(woman), "cadence (steps/min)")
        XCTAssertTrue(w.contains("class=\"out\">85<"), w)
        XCTAssertTrue(w.contains("96–138 <small>(women, Tudor-Locke &amp; Rowe 2012)</small>"), w)
        let m = try row(ReportHTML.gaitTable(man), "cadence (steps/min)")
        XCTAssertFalse(m.contains("class=\"out\""), m)
        XCTAssertTrue(m.contains("81–135 <small>(men,"), m)
        // The derived step-time band follows the same sex band: 60/85 = 0.71 s is inside 0.43–0.74 (all adults) and
        // outside the women's 0.43–0.62.
        woman.gait!.stepTimeSeconds = 60.0 / 85
        anyone.gait!.stepTimeSeconds = 60.0 / 85
        XCTAssertTrue(try row(ReportHTML.gaitTable(woman), "step time (s)").contains("class=\"out\""))
        XCTAssertFalse(try row(ReportHTML.gaitTable(anyone), "step time (s)").contains("class=\"out\""))
        // The summary sentence and the Markdown table name the same group and range.
        XCTAssertTrue(ReportHTML.summary(woman).joined().contains("women usually walk at 96–138"), ReportHTML.summary(woman).joined())
        XCTAssertTrue(ReportHTML.summary(anyone).joined().contains("adults usually walk at 81–138"))
        XCTAssertTrue(ReportMarkdown.render(woman).contains("96–138 (women, Tudor-Locke & Rowe 2012)"))
    }

    func testStanceAgeBandFlagsAYoungWalkerButNotAnOlderOne() throws {
        // Stance 68.0 %: above 56.8–66.8 (ages 13–44, 61.8 ± 2 × 2.5) but inside 55.8–71.4 (ages 45–75) and the
        // all-adults envelope; at 78 no band is published, so the envelope applies and it is not flagged.
        var r = try labReport(age: 30, sex: .female)
        r.gait!.stancePercent = 68
        let young = try row(ReportHTML.gaitTable(r), "stance (% of stride)")
        XCTAssertTrue(young.contains("class=\"out\""), young)
        XCTAssertTrue(young.contains("56.8–66.8 <small>(ages 13–44, Kirtley, CGA normative data)</small>"), young)
        r.wearerAgeYears = 60
        let middle = try row(ReportHTML.gaitTable(r), "stance (% of stride)")
        XCTAssertFalse(middle.contains("class=\"out\""), middle)
        XCTAssertTrue(middle.contains("(ages 45–75,"), middle)
        r.wearerAgeYears = 78
        let old = try row(ReportHTML.gaitTable(r), "stance (% of stride)")
        XCTAssertFalse(old.contains("class=\"out\""), old)
        XCTAssertTrue(old.contains("55.8–71.4 <small>(all adults,"), old)
    }

    func testWearerAgeAndSexAreStoredInTheReportJSON() throws {
        let r = try labReport(age: 78, sex: .female)
        let data = try ReportJSON.encode(r)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(obj["wearer_age_years"] as? Int, 78)
        XCTAssertEqual(obj["wearer_sex"] as? String, "female")
        let back = try ReportJSON.decode(data)
        XCTAssertEqual(back.wearerAgeYears, 78)
        XCTAssertEqual(back.wearerSex, .female)
        // Without --age/--sex the fields are absent and a report from before they existed still loads.
        var anyone = r
        anyone.wearerAgeYears = nil
        anyone.wearerSex = nil
        let plain = try XCTUnwrap(JSONSerialization.jsonObject(with: ReportJSON.encode(anyone)) as? [String: Any])
        XCTAssertNil(plain["wearer_age_years"])
        XCTAssertNil(plain["wearer_sex"])
        XCTAssertNil(try ReportJSON.decode(ReportJSON.encode(anyone)).wearerSex)
    }
}
