import Foundation
import Testing

@testable import RNNSweep

/// `--objectives` in the report: which rows are marked, the columns it adds, each format's mark, the errors; and
/// the `params` metric (the engine's count of the trial's model).
@Suite("Report objectives and params")
struct ParetoReportTests {
    /// Four configurations × 2 seeds: fast and weak, slow and strong, slow and weak (dominated), and a fast one
    /// whose trials all failed (no means: not a candidate).
    static func fixture() throws -> TradeoffsFixture {
        let fixture = try TradeoffsFixture()
        var trials: [TradeoffsFixture.Trial] = []
        let rows: [(units: Int, test: [Double], seconds: [Double], status: TrialStatus)] = [
            (8, [0.80, 0.82], [2, 2.2], .completed), (32, [0.90, 0.92], [9, 9.4], .completed),
            (16, [0.79, 0.81], [9, 9.2], .completed), (4, [0.5, 0.5], [1, 1], .failed),
        ]
        for row in rows {
            for seed in [1, 2] {
                trials.append(
                    TradeoffsFixture.Trial(
                        params: TradeoffsFixture.adding(cell: "lstm", units: row.units, seed: seed),
                        test: row.test[seed - 1], seconds: row.seconds[seed - 1], status: row.status))
            }
        }
        try fixture.addSweep("trade", varying: ["units"], trials: trials)
        return fixture
    }

    static func table(_ fixture: TradeoffsFixture, objectives: [ReportMetric], metrics: [ReportMetric]? = nil) throws
        -> ReportTable
    {
        var options = ReportOptions(metrics: metrics)
        options.objectives = objectives
        return try ReportBuilder(options: options).build(store: fixture.store, sweepName: "trade")
    }

    @Test func marksTheRowsNoOtherBeatsOnEveryObjective() throws {
        let fixture = try Self.fixture()
        let table = try Self.table(fixture, objectives: [.testAccuracy, .seconds], metrics: [.testAccuracy])
        #expect(table.rows.map { $0.parameters["units"] } == [.int(8), .int(32), .int(16), .int(4)])
        #expect(table.pareto?.optimal == [true, true, false, false])
        // The objective missing from --metrics is shown as a column.
        #expect(table.metrics == [.testAccuracy, .seconds])

        let markdown = MarkdownRenderer().render(table)
        let lines = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(lines[0].contains("| Pareto |"))
        #expect(lines[2].hasSuffix("| ✓      |") && lines[3].hasSuffix("| ✓      |"))
        #expect(lines[4].hasSuffix("|        |") && lines[5].hasSuffix("|        |"))
        #expect(
            markdown.contains(
                "objectives: test accuracy (higher is better), seconds (lower is better)."))

        let csv = parseReportCSV(CSVRenderer().render(table))
        let column = try #require(csv[0].firstIndex(of: "pareto"))
        #expect(csv.dropFirst().map { $0[column] } == ["true", "true", "false", "false"])

        let json =
            try JSONSerialization.jsonObject(with: Data(try JSONRenderer().render(table).utf8)) as! [[String: Any]]
        #expect(json.map { $0["pareto"] as? Bool } == [true, true, false, false])
    }

    @Test func withoutObjectivesNothingChanges() throws {
        let fixture = try Self.fixture()
        let table = try ReportBuilder().build(store: fixture.store, sweepName: "trade")
        #expect(table.pareto == nil)
        #expect(!MarkdownRenderer().render(table).contains("Pareto"))
        #expect(!CSVRenderer().render(table).contains("pareto"))
    }

    @Test func anObjectiveWithoutDirectionIsAnErrorNamingIt() throws {
        let fixture = try Self.fixture()
        #expect(throws: ReportError.objectiveWithoutDirection("epochs")) {
            try Self.table(fixture, objectives: [.testAccuracy, .epochs])
        }
        #expect(ReportError.objectiveWithoutDirection("epochs").description.contains("epochs has no better direction"))
    }

    /// Keras's counts for the `adding` data (2 features, 2 classes): LSTM 4·(u·(2 + u) + u), dense 2u + 2.
    @Test func paramsIsTheEnginesCountOfTheTrialsModel() throws {
        let fixture = try Self.fixture()
        let table = try Self.table(fixture, objectives: [.testAccuracy, .params])
        func keras(_ units: Int) -> Double { Double(4 * (units * (2 + units) + units) + 2 * units + 2) }
        for row in table.rows {
            let units = try #require(row.parameters["units"]?.numericValue).rounded()
            let statistics = try #require(row.statistics[.params])
            // One value per configuration, also for the failed row: the size does not depend on the training.
            #expect(statistics.values == [keras(Int(units))], "units \(units)")
        }
        #expect(keras(8) == 370)
        // Smaller is better: 8 units beats 16 (less accurate and larger); 32 is the most accurate.
        #expect(table.pareto?.optimal == [true, true, false, false])
        #expect(MarkdownRenderer().render(table).contains(" Params |"))
        #expect(table.warnings.isEmpty)
    }

    @Test func paramsWithDataThatCannotBeReadIsEmptyWithAWarning() throws {
        let fixture = try TradeoffsFixture()
        var params = TradeoffsFixture.adding(cell: "gru", units: 4, seed: 1)
        params["dataset"] = "npz"
        params["data_dir"] = "/nonexistent/rnnsweep-tradeoffs.npz"
        try fixture.addSweep(
            "gone", varying: [], trials: [TradeoffsFixture.Trial(params: params, test: 0.5, seconds: 1)])
        let table = try ReportBuilder(options: ReportOptions(metrics: [.params])).build(
            store: fixture.store, sweepName: "gone")
        #expect(table.rows[0].statistics[.params] == nil)
        #expect(table.warnings.contains { $0.hasPrefix("params: cannot read the data of /nonexistent/") })
    }

    @Test func paramsIsAReportMetricLikeTheOthers() throws {
        #expect(try ReportMetric.parse("params") == .params)
        #expect(ReportMetric.params.higherIsBetter == false)
        #expect(ReportMetric.allCases.contains(.params))
    }
}
