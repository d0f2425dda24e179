import Foundation
import Testing

@testable import RNNSweep

/// `report A --compare B`: rows matched by the parameters both sweeps vary, unmatched rows of either side, the
/// Welch interval per row, and the four formats.
@Suite("Sweep comparison")
struct SweepComparisonTests {
    /// A varies units (8, 16, 32) × 3 seeds; B varies units (8, 16, 64) and learning rate 0.001 only, with 2 or 3
    /// seeds and 5 epochs instead of 1.
    static func fixture() throws -> TradeoffsFixture {
        let fixture = try TradeoffsFixture()
        func trials(_ rows: [(units: Int, tests: [Double])], epochs: Int) -> [TradeoffsFixture.Trial] {
            rows.flatMap { row in
                row.tests.enumerated().map { index, test in
                    var params = TradeoffsFixture.adding(cell: "gru", units: row.units, seed: index + 1)
                    params["epochs"] = epochs
                    return TradeoffsFixture.Trial(params: params, test: test, seconds: 1)
                }
            }
        }
        try fixture.addSweep(
            "a", varying: ["units"],
            trials: trials([(8, [0.80, 0.82, 0.81]), (16, [0.85, 0.86, 0.84]), (32, [0.9, 0.91, 0.92])], epochs: 1))
        try fixture.addSweep(
            "b", varying: ["units", "learning_rate"],
            trials: trials([(8, [0.70, 0.74]), (16, [0.86, 0.85, 0.84]), (64, [0.95])], epochs: 5))
        return fixture
    }

    static func comparison(_ fixture: TradeoffsFixture, format: ReportFormat, options: ReportOptions = ReportOptions())
        throws -> String
    {
        try ReportDocument.comparison(
            store: fixture.store, sweep: "a", databaseName: "tradeoffs.sqlite",
            with: ReportDocument.ComparisonTarget(sweep: "b", store: nil, databaseName: nil), format: format,
            options: options)
    }

    @Test func matchesRowsByTheSharedVaryingParameters() throws {
        let fixture = try Self.fixture()
        let a = try ReportSource.load(store: fixture.store, sweepName: "a")
        let b = try ReportSource.load(store: fixture.store, sweepName: "b")
        let comparison = SweepComparison(first: a, second: b, metric: .testAccuracy, epoch: .last)
        // learning_rate varies in B's file but both sweeps share it: it is a matching key too.
        #expect(comparison.matchedKeys == ["units", "learning_rate"])
        #expect(comparison.differingSettings == ["epochs: 1 vs 5"])
        #expect(comparison.rows.map { $0.parameters["units"] } == [.int(8), .int(16), .int(32), .int(64)])
        #expect(comparison.rows.map(\.isMatched) == [true, true, false, false])
        #expect(comparison.matchedCount == 2)

        let first = comparison.rows[0]
        let interval = try #require(first.interval)
        #expect(abs(interval.difference - (0.81 - 0.72)) < 1e-12)
        let reference = try #require(WelchInterval([0.80, 0.82, 0.81], [0.70, 0.74]))
        #expect(interval == reference)
        #expect(comparison.rows[2].second == nil && comparison.rows[2].interval == nil)
        // One seed on B's side: a difference can be given, an interval cannot.
        #expect(comparison.rows[3].first == nil && comparison.rows[3].second?.count == 1)
    }

    @Test func markdownHasBothSidesTheIntervalAndAFootnote() throws {
        let text = try Self.comparison(try Self.fixture(), format: .markdown)
        #expect(
            text.hasPrefix("A = sweep a, B = sweep b — test accuracy, rows matched on units, learning_rate (2 of 4"))
        #expect(text.contains("settings that differ between the sweeps: epochs: 1 vs 5"))
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(lines.count == 6)
        #expect(lines[0].contains("A: Test Accuracy, %") && lines[0].contains("95 % CI") && lines[0].hasSuffix(" p |"))
        // 81.00 ± 1.00 (3) against 72.00 ± 2.83 (2): +9.00 with Welch's interval.
        let reference = try #require(WelchInterval([0.80, 0.82, 0.81], [0.70, 0.74]))
        let low = (reference.low < 0 ? "−" : "+") + String(format: "%.2f", abs(reference.low) * 100)
        #expect(lines[2].contains("81.00 ± 1.00") && lines[2].contains("72.00 ± 2.83") && lines[2].contains("+9.00"))
        #expect(lines[2].contains("[\(low), "))
        #expect(text.contains("Welch's interval (t quantile at the Welch–Satterthwaite degrees of freedom)"))
    }

    @Test func csvAndJSONCarryTheNumbersAtFullPrecision() throws {
        let fixture = try Self.fixture()
        let reference = try #require(WelchInterval([0.85, 0.86, 0.84], [0.86, 0.85, 0.84]))
        let csv = parseReportCSV(try Self.comparison(fixture, format: .csv))
        #expect(csv[0] == ["units", "learning_rate"] + ComparisonCSV.valueColumns)
        #expect(csv.count == 5)
        let row = Dictionary(uniqueKeysWithValues: zip(csv[0], csv[2]))
        #expect(row["units"] == "16" && row["a_n"] == "3" && row["b_n"] == "3")
        #expect(Double(row["ci_low"]!) == reference.low && Double(row["p"]!) == reference.pValue)
        #expect(csv[3][csv[0].firstIndex(of: "b_mean")!] == "")

        let json =
            try JSONSerialization.jsonObject(with: Data(try Self.comparison(fixture, format: .json).utf8))
            as! [String: Any]
        #expect(json["a"] as? String == "a" && json["b"] as? String == "b")
        #expect(json["matched_keys"] as? [String] == ["units", "learning_rate"])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.count == 4)
        // JSON text round-trips a double to within an ulp.
        #expect(abs(try #require(rows[1]["ci_high"] as? Double) - reference.high) <= 1e-15 * abs(reference.high))
        #expect(rows[2]["b_mean"] is NSNull && rows[3]["a_mean"] is NSNull)
        #expect(rows[3]["difference"] is NSNull)
    }

    @Test func aSideWithoutResultsSaysWhyAndIsCounted() throws {
        let fixture = try TradeoffsFixture()
        func trial(_ units: Int, _ seed: Int, _ status: TrialStatus) -> TradeoffsFixture.Trial {
            TradeoffsFixture.Trial(
                params: TradeoffsFixture.adding(cell: "gru", units: units, seed: seed), test: 0.8, seconds: 1,
                status: status)
        }
        try fixture.addSweep("a", varying: ["units"], trials: [trial(4, 1, .completed), trial(8, 1, .completed)])
        try fixture.addSweep("b", varying: ["units"], trials: [trial(4, 1, .completed), trial(8, 1, .failed)])
        let text = try Self.comparison(fixture, format: .markdown)
        #expect(text.contains("(2 of 2 configurations in both, 1 with results on both sides)."), "\(text)")
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(lines[3].contains(" failed |"), "\(lines[3])")
    }

    @Test func theMetricFollowsSortThenMetrics() throws {
        let fixture = try Self.fixture()
        let source = try ReportSource.load(store: fixture.store, sweepName: "a")
        #expect(SweepComparison.metric(options: ReportOptions(), source: source) == .testAccuracy)
        #expect(SweepComparison.metric(options: ReportOptions(metrics: [.seconds]), source: source) == .seconds)
        #expect(
            SweepComparison.metric(options: ReportOptions(metrics: [.seconds], sort: .trainAccuracy), source: source)
                == .trainAccuracy)
    }

    @Test func withoutASweepNameAndDatabaseItIsAnError() throws {
        let fixture = try Self.fixture()
        #expect(throws: ReportError.self) {
            try ReportDocument.comparison(
                store: fixture.store, sweep: "a", databaseName: "x.sqlite",
                with: ReportDocument.ComparisonTarget(sweep: nil, store: nil, databaseName: nil), format: .markdown,
                options: ReportOptions())
        }
        #expect(throws: ReportError.self) {
            try ReportDocument.comparison(
                store: fixture.store, sweep: "a", databaseName: "x.sqlite",
                with: ReportDocument.ComparisonTarget(sweep: "nope", store: nil, databaseName: nil),
                format: .markdown, options: ReportOptions())
        }
    }
}

/// User text in the comparison and Pareto pages: a hostile parameter value must stay text.
@Suite("Trade-off pages escape user text")
struct TradeoffsEscapingTests {
    static let hostile = #"<script>alert(1)</script><img src=x onerror="alert(2)">"#

    @Test func hostileParameterValuesAreEscaped() throws {
        let fixture = try TradeoffsFixture()
        for name in ["a", "b"] {
            try fixture.addSweep(
                name, varying: ["tag"],
                trials: [1, 2].flatMap { seed in
                    [Self.hostile, "plain"].map { tag in
                        var params = TradeoffsFixture.adding(cell: "gru", units: 4, seed: seed)
                        params["tag"] = tag
                        return TradeoffsFixture.Trial(params: params, test: 0.5 + Double(seed) / 100, seconds: 1)
                    }
                })
        }
        let comparison = try ReportDocument.comparison(
            store: fixture.store, sweep: "a", databaseName: "x.sqlite",
            with: ReportDocument.ComparisonTarget(sweep: "b", store: nil, databaseName: nil), format: .html,
            options: ReportOptions())
        var options = ReportOptions()
        options.objectives = [.testAccuracy, .seconds]
        let report = try ReportDocument.render(store: fixture.store, sweep: "a", format: .html, options: options)
        for page in [comparison, report] {
            #expect(!page.contains("<script>alert") && !page.contains("<img"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
        #expect(comparison.contains("<title>Tag &lt;script&gt;"))
        #expect(report.contains("class=\"mark pareto\""))
    }
}
