import Foundation
import XCTest
@testable import Analysis
@testable import Pipeline
@testable import Recording

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
