import Foundation
import Testing

@testable import RNNSweep

/// `report --searches`: anytime curves replayed in recording order, a method's mean over its sweeps with step
/// interpolation, the budgets, the winners and the top-K baseline, all computed by hand on ``SearchComparisonFixture``.
@Suite("Search comparison")
struct SearchComparisonTests {
    typealias Step = AnytimeCurve.Step

    @Test func anytimeCurvesFollowTheRecordingOrder() throws {
        let comparison = try SearchComparisonFixture().comparison()
        let grid = comparison.methods[0].sweeps[0].curve
        // Row 3 gives units 8 its first common epoch (0.5); row 5 epoch 2 (0.6875); row 6 epoch 3 (0.75); units 16
        // ties 0.75 at row 10 (no step), passes at row 12 (0.8125); units 32 ends at row 18 (0.875).
        #expect(
            grid.steps == [
                Step(epochsSpent: 3, best: 0.5), Step(epochsSpent: 5, best: 0.6875), Step(epochsSpent: 6, best: 0.75),
                Step(epochsSpent: 12, best: 0.8125), Step(epochsSpent: 18, best: 0.875),
            ])
        #expect(grid.totalEpochs == 18)
        #expect(grid.best(atEpochsSpent: 2) == nil && grid.best(atEpochsSpent: 11) == 0.75)
        #expect(grid.best(atEpochsSpent: 100) == 0.875)
        let halving = comparison.methods[1].sweeps.map(\.curve)
        #expect(halving[0].steps == [Step(epochsSpent: 1, best: 0.5), Step(epochsSpent: 2, best: 0.875)])
        #expect(
            halving[1].steps == [
                Step(epochsSpent: 1, best: 0.5), Step(epochsSpent: 2, best: 0.625), Step(epochsSpent: 4, best: 0.75),
            ])
        #expect(halving.map(\.totalEpochs) == [5, 5])
    }

    @Test func aMethodsCurveIsTheMeanOverItsSweepsWithSteps() throws {
        let comparison = try SearchComparisonFixture().comparison()
        let curve = comparison.methods[1].curve
        #expect(curve.map(\.epochsSpent) == [1, 2, 4, 5])
        #expect(curve.map(\.statistics.mean) == [0.5, 0.75, 0.8125, 0.8125])
        // h1 holds 0.875 from row 2 on; h2 is 0.625 at 2, 0.75 from 4: sd of two values a, b is |a − b| / √2.
        #expect(curve[0].statistics.standardDeviation == 0)
        #expect(abs(curve[1].statistics.standardDeviation! - 0.25 / 2.0.squareRoot()) < 1e-15)
        #expect(abs(curve[2].statistics.standardDeviation! - 0.125 / 2.0.squareRoot()) < 1e-15)
        // One sweep: its own steps, no spread.
        let grid = comparison.methods[0].curve
        #expect(grid.map(\.epochsSpent) == [3, 5, 6, 12, 18])
        #expect(grid.allSatisfy { $0.statistics.standardDeviation == nil })
        // A sweep that ended earlier holds its final value.
        let held = SearchComparison.meanCurve([
            AnytimeCurve(steps: [Step(epochsSpent: 2, best: 0.5)], totalEpochs: 4),
            AnytimeCurve(steps: [Step(epochsSpent: 1, best: 0.25), Step(epochsSpent: 8, best: 0.75)], totalEpochs: 9),
        ])
        #expect(held.map(\.epochsSpent) == [2, 8, 9])
        #expect(held.map(\.statistics.mean) == [0.375, 0.625, 0.625])
    }

    @Test func budgetsEndsAndWinners() throws {
        let comparison = try SearchComparisonFixture().comparison()
        // The fewest epochs any sweep spent is 5: budgets ⌊1.25⌋, ⌊2.5⌋, 5.
        #expect(comparison.referenceEpochs == 5 && comparison.budgets == [1, 2, 5])
        let grid = comparison.methods[0]
        #expect(grid.epochs.mean == 18 && grid.best?.mean == 0.875)
        #expect(grid.atBudgets.map { $0?.mean } == [nil, nil, 0.6875])
        let halving = comparison.methods[1]
        #expect(halving.epochs.values == [5, 5] && halving.best?.values == [0.875, 0.75])
        #expect(halving.atBudgets.map { $0?.mean } == [0.5, 0.75, 0.8125])
        // grid: units 32 is best at the end (0.875), test (0.75 + 0.875) / 2.
        let gridWinner = try #require(grid.sweeps[0].winner)
        #expect(gridWinner.gridPoint == 2 && gridWinner.test.mean == 0.8125 && gridWinner.isBestOverall)
        // h1: units 16 (0.875) was stopped after epoch 1, so the winner is the best completed, units 32.
        let h1 = try #require(halving.sweeps[0].winner)
        #expect(h1.gridPoint == 2 && h1.value == 0.8125 && h1.test.mean == 0.8 && !h1.isBestOverall)
        let h2 = try #require(halving.sweeps[1].winner)
        #expect(h2.gridPoint == 0 && h2.test.mean == 0.7 && h2.isBestOverall)
        #expect(halving.test?.values == [0.8, 0.7] && halving.winnersNotBestOverall == 1)
    }

    @Test func topKAfterOneEpochComesFromMethodsThatTrainedEverything() throws {
        let comparison = try SearchComparisonFixture().comparison(topK: 2)
        // Only grid trained every configuration to the end.
        #expect(comparison.baselines.map(\.method) == ["grid"])
        let baseline = try #require(comparison.methods[0].sweeps[0].baseline)
        // After epoch 1: units 16 0.6875, units 8 0.5, units 32 0.25: keep 16 and 8; 16 ends best (0.8125).
        #expect(baseline.kept == 2 && baseline.configurations == 3 && baseline.gridPoint == 1)
        #expect(baseline.best == 0.8125 && baseline.bestFinal == 0.8125 && baseline.test?.mean == 0.75)
        // 3 configurations × 2 seeds × 1 epoch + 2 kept × 2 seeds × (3 − 1) epochs.
        #expect(baseline.epochsSpent == 14)
        #expect(comparison.methods[1].sweeps.allSatisfy { $0.baseline == nil })
        // K = 3 keeps everything: the grid's own winner, at the grid's cost.
        let all = try #require(try SearchComparisonFixture().comparison(topK: 3).baselines.first?.sweeps.first)
        #expect(all.best == 0.875 && all.epochsSpent == 18 && all.gridPoint == 2)
    }

    @Test func theBaselinesBestCountsEveryEpochItWouldHaveSeen() throws {
        let fixture = try SearchComparisonFixture()
        // After epoch 1: 0.5, 0.25, 0.125: K = 2 keeps the first two; the first peaks at 0.9375 at epoch 2 and ends
        // at 0.75, better than the second's 0.625 at the end.
        try fixture.addSweep(
            "peak",
            configurations: [
                .init(units: 8, seeds: [[0.5, 0.9375, 0.75]], status: .completed, test: [0.7]),
                .init(units: 16, seeds: [[0.25, 0.5, 0.625]], status: .completed, test: [0.6]),
                .init(units: 32, seeds: [[0.125, 0.25, 0.875]], status: .completed, test: [0.8]),
            ],
            order: [(0, 0, 1), (1, 0, 1), (2, 0, 1), (0, 0, 2), (0, 0, 3), (1, 0, 2), (1, 0, 3), (2, 0, 2), (2, 0, 3)])
        let comparison = try SearchComparison(
            methods: [ComparedMethod(label: "peak", sweeps: ["peak"])], store: fixture.store, databaseName: "x", topK: 2
        )
        let baseline = try #require(comparison.baselines.first?.sweeps.first)
        #expect(baseline.best == 0.9375 && baseline.bestFinal == 0.75 && baseline.gridPoint == 0)
        #expect(baseline.test?.mean == 0.7 && baseline.epochsSpent == 3 + 2 * 2)
        // The sweep itself saw the same peak at its 4th row; its winner is the one best at the end.
        #expect(comparison.methods[0].sweeps[0].curve.steps.last == AnytimeCurve.Step(epochsSpent: 4, best: 0.9375))
        #expect(comparison.methods[0].sweeps[0].winner?.gridPoint == 2)
        let markdown = SearchComparisonMarkdown().render(comparison)
        #expect(
            markdown.contains(
                "- top-2 after epoch 1 (peak): best final val_accuracy among the kept configurations 75.00."))
    }

    @Test func markdownTable() throws {
        let text = SearchComparisonMarkdown().render(try SearchComparisonFixture().comparison())
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("| ") }.map(String.init)
        #expect(lines.count == 5, "\(text)")
        let cells = lines.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(
            cells[0] == [
                "Method", "Sweeps", "Epochs spent", "Best Val Accuracy, % (end)", "Best at 1 epoch (25 %)",
                "Best at 2 epochs (50 %)", "Best at 5 epochs (100 %)", "Winner's Test Accuracy, %",
            ])
        #expect(cells[2] == ["grid", "1", "18", "87.50", "—", "—", "68.75", "81.25"])
        #expect(
            cells[3] == [
                "halving", "2", "5.0 ± 0.0", "81.25 ± 8.84", "50.00 ± 0.00", "75.00 ± 17.68", "81.25 ± 8.84",
                "75.00 ± 7.07",
            ])
        #expect(cells[4] == ["top-2 after epoch 1 (grid)", "1", "14", "81.25", "", "", "", "75.00"])
        #expect(text.hasPrefix("Search methods compared on val_accuracy (higher is better) in searches.sqlite: grid "))
        #expect(text.contains("the epochs table's rowid order"))
        #expect(text.contains("halving: in 1 of 2 sweeps the best configuration did not complete"))
    }

    @Test func csvJSONAndHTMLAreDeterministic() throws {
        let fixture = try SearchComparisonFixture()
        let first = try fixture.comparison()
        let again = try fixture.comparison()
        let csv = SearchComparisonCSV().render(first)
        #expect(csv == SearchComparisonCSV().render(again))
        let records = parseReportCSV(csv)
        #expect(records.count == 4)
        let halving = Dictionary(uniqueKeysWithValues: zip(records[0], records[2]))
        #expect(halving["best_at_2_mean"] == "0.75" && halving["winner_test_n"] == "2")
        #expect(Double(halving["best_at_2_std"]!) == first.methods[1].atBudgets[1]?.standardDeviation)
        let json = try SearchComparisonJSON().render(first)
        #expect(json == (try SearchComparisonJSON().render(again)))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["budgets"] as? [Int] == [1, 2, 5] && object["top_k"] as? Int == 2)
        let methods = try #require(object["methods"] as? [[String: Any]])
        let sweeps = try #require(methods[1]["sweeps"] as? [[String: Any]])
        #expect((sweeps[0]["curve"] as? [[Double]]) == [[1, 0.5], [2, 0.875]])
        #expect(sweeps[0]["baseline"] is NSNull)
        let html = SearchComparisonHTML().render(first)
        #expect(html == SearchComparisonHTML().render(again))
        #expect(html.contains(#"class="method-0""#) && html.contains(#"class="method-1-band""#))
        #expect(html.contains(#"class="baseline-dot""#) && html.contains(#"id="report-table""#))
    }

    @Test func refusesWhatCannotBeCompared() throws {
        let fixture = try SearchComparisonFixture()
        func error(_ methods: [ComparedMethod]) -> String? {
            do {
                _ = try SearchComparison(methods: methods, store: fixture.store, databaseName: "x")
                return nil
            } catch { return "\(error)" }
        }
        #expect(error([ComparedMethod(label: "a", sweeps: ["nope"])])?.hasPrefix("no sweep named nope") == true)
        #expect(
            error([ComparedMethod(label: "a", sweeps: ["grid"]), ComparedMethod(label: "a", sweeps: ["h1"])])
                == SearchComparisonError.duplicateLabel("a").description)
        #expect(
            error([ComparedMethod(label: "a", sweeps: ["grid"]), ComparedMethod(label: "b", sweeps: ["h1", "grid"])])
                == SearchComparisonError.duplicateSweep("grid", labels: ["a", "b"]).description)
        try fixture.addSweep(
            "long",
            configurations: [
                .init(units: 8, seeds: [[0.5, 0.5, 0.5, 0.5, 0.5]], status: .completed, test: [0.5])
            ], order: (1...5).map { (0, 0, $0) }, epochs: 5)
        let message = try #require(
            error([ComparedMethod(label: "grid", sweeps: ["grid"]), ComparedMethod(label: "long", sweeps: ["long"])]))
        #expect(message.hasSuffix("epochs: 3 (grid) vs 5 (long)"), "\(message)")
        #expect(throws: SearchComparisonError.badMethod("grid")) { try ComparedMethod.parse("grid") }
        #expect(throws: SearchComparisonError.badMethod("a=x,,y")) { try ComparedMethod.parse("a=x,,y") }
        #expect(try ComparedMethod.parse(" random = r1, r2 ") == ComparedMethod(label: "random", sweeps: ["r1", "r2"]))
    }

    @Test func refusesASweepThatReusedAnotherSweepsTrials() throws {
        let fixture = try SearchComparisonFixture()
        // A sweep of the grid's trials (same ids): `run` would take them over, completed, instead of running them.
        let copy = try fixture.store.registerSweep(
            name: "copy", description: nil, experimentPath: "copy.yaml", experimentJSON: #"{"name":"x"}"#,
            varyingKeys: ["units"])
        let grid = try #require(try fixture.store.sweep(named: "grid"))
        try fixture.store.registerTrials(
            sweep: copy,
            trials: try fixture.store.trials(sweep: grid.id).map { row in
                NewTrial(
                    id: row.id, ordinal: row.ordinal, gridPoint: row.gridPoint, seed: row.seed,
                    paramsJSON: row.paramsJSON)
            })
        #expect(try fixture.store.reuseCompletedTrials(sweep: copy).count == 6)
        #expect(throws: SearchComparisonError.reusedTrials([("copy", 6)])) {
            try SearchComparison(
                methods: [
                    ComparedMethod(label: "grid", sweeps: ["grid"]), ComparedMethod(label: "copy", sweeps: ["copy"]),
                ],
                store: fixture.store, databaseName: "x")
        }
    }

    @Test func mergeKeepsTheRecordingOrder() throws {
        let fixture = try SearchComparisonFixture()
        let target = fixture.dir.file("merged.sqlite")
        _ = try DatabaseMerge.merge(sources: [fixture.dir.file("searches.sqlite")], into: target)
        let merged = try MetricsStore.openExisting(at: target)
        for name in ["grid", "h1", "h2"] {
            let before = try fixture.store.epochRecordingOrder(
                sweep: try #require(try fixture.store.sweep(named: name)).id)
            let after = try merged.epochRecordingOrder(sweep: try #require(try merged.sweep(named: name)).id)
            #expect(after == before && !after.isEmpty)
        }
    }
}
