import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// The leaderboard a search report opens with: its order (ties, NaN, no value, lower-is-better), the decided-value
/// text, and its rendering in Markdown, CSV and JSON (``SearchFixture``).
@Suite("Leaderboard")
struct LeaderboardTests {
    private func outcome(_ value: Double?, epoch: Int? = 4, rung: Int? = nil) -> SearchObjective.Outcome {
        SearchObjective.Outcome(value: value, epoch: value == nil ? nil : epoch, stoppedAtRung: rung, seeds: 2)
    }

    @Test func orderBreaksTiesByGridOrderAndPutsNaNThenNoValueLast() {
        let outcomes = [
            outcome(nil), outcome(0.5), outcome(.nan), outcome(0.75), outcome(0.5), outcome(nil), outcome(.nan),
            outcome(0.625, epoch: 1, rung: 1),
        ]
        #expect(Leaderboard.order(outcomes, higherIsBetter: true) == [3, 1, 4, 7, 2, 6, 0, 5])
    }

    /// Values at different budgets do not compare: what halving kept longer ranks first, even below an early value.
    @Test func whatHalvingKeptLongerRanksFirst() {
        let outcomes = [
            outcome(0.90, epoch: 2, rung: 1), outcome(0.80, epoch: 20), outcome(0.85, epoch: 6, rung: 2),
            outcome(0.95, epoch: 2, rung: 1), outcome(0.70, epoch: 6, rung: 2),
        ]
        #expect(Leaderboard.order(outcomes, higherIsBetter: true) == [1, 2, 4, 3, 0])
    }

    @Test func lowerIsBetterForRegression() {
        let outcomes = [outcome(0.31), outcome(0.12), outcome(nil), outcome(0.12), outcome(.nan), outcome(0.05)]
        #expect(Leaderboard.order(outcomes, higherIsBetter: false) == [5, 1, 3, 0, 4, 2])
    }

    @Test func decidedText() throws {
        let table = try SearchFixture().table()
        let board = try #require(table.leaderboard)
        func text(_ point: Int) throws -> String {
            let row = try #require(table.rows.first { $0.parameters["units"] == .int(SearchFixture.units(point)) })
            return board.decisionText(row)
        }
        #expect(try text(1) == "87.50 % at epoch 4")
        #expect(try text(2) == "62.50 % at epoch 1, stopped (rung 1)")
        #expect(try text(3) == "75.00 % at epoch 2, stopped (rung 2)")
        #expect(try text(4) == "NaN at epoch 1, stopped (rung 1), diverged (1 of 2 seeds)")
        #expect(try text(5) == "failed")
        #expect(try text(7) == "pending")
        // Regression reads in the metric's own unit, without a percent sign.
        let mae = Leaderboard(metric: MetricKey(.validation, .mae), order: [], winnerTest: [])
        var row = try #require(table.rows.first)
        row.objective = outcome(0.0123, epoch: 6, rung: 2)
        #expect(mae.decisionText(row) == "0.0123 at epoch 6, stopped (rung 2)")
        #expect(mae.columnTitle == "Val MAE (decided)" && board.columnTitle == "Val Accuracy (decided)")
    }

    @Test func theSearchTableIsRankedAndTheWinnerCarriesItsTestMetrics() throws {
        let table = try SearchFixture().table()
        let board = try #require(table.leaderboard)
        // Best first: 1 (0.875), 0 and 6 tied at 0.8125 in grid order, 3 (0.75, rung 2), 2 (0.625, rung 1),
        // 4 (NaN), then the failed 5 and the pending 7.
        let units = [1, 0, 6, 3, 2, 4, 5, 7].map(SearchFixture.units)
        #expect(board.order.map { table.rows[$0].parameters["units"]?.intValue } == units)
        // Without --sort the grid table follows the leaderboard.
        #expect(table.rows.map { $0.parameters["units"]?.intValue } == units)
        #expect(table.rows.map(\.rank) == Array(1...8))
        #expect(board.winner(in: table.rows) == 0)
        #expect(board.winnerTest.map(\.metric) == [.testAccuracy, .testLoss])
        #expect(board.winnerTest.first?.statistics.mean == 0.8125)
        #expect(board.winnerTestText == "test accuracy 81.25 ± 0.00 %, test loss 0.2500 ± 0.0000 (2 seeds)")
        // --sort reorders the grid table, not the leaderboard.
        let sorted = try SearchFixture().table(ReportOptions(sort: .metric(MetricKey(.train, .accuracy))))
        let sortedBoard = try #require(sorted.leaderboard)
        #expect(sortedBoard.order.map { sorted.rows[$0].parameters["units"]?.intValue } == units)
    }

    @Test func aRegressionSearchRanksTheLowestErrorFirstWithItsTestErrors() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("r.sqlite"))
        let sweep = try store.registerSweep(
            name: "reg", description: nil, experimentPath: nil,
            experimentJSON: #"{"search":{"space":{"units":{"choice":[8,16,32]}}}}"#, varyingKeys: ["units"])
        // Validation MAE at the last epoch: 0.25 (units 8), 0.125 (16), 0.5 (32).
        let maes = [0.25, 0.125, 0.5]
        try store.registerTrials(
            sweep: sweep,
            trials: maes.indices.map { point in
                NewTrial(
                    id: storeHexID("reg\(point)"), ordinal: point, gridPoint: point, seed: 1,
                    paramsJSON: storeParamsJSON(["units": 8 << point, "task": "regression", "epochs": 2, "seed": 1]))
            })
        for (point, mae) in maes.enumerated() {
            let id = storeHexID("reg\(point)")
            try store.markStarted(sweep: sweep, trial: id, pid: 1)
            for epoch in 1...2 {
                let errors: [Metric: Double] = [.loss: 1, .mae: mae * Double(3 - epoch), .rmse: 1]
                try store.recordEpoch(
                    sweep: sweep, trial: id, EpochMetrics(epoch: epoch, train: errors, validation: errors))
            }
            try store.markCompleted(
                sweep: sweep, trial: id, test: [.loss: 0.5, .mae: mae + 0.0625, .rmse: mae + 0.125], seconds: 1)
        }
        let table = try ReportBuilder().build(store: store, sweepName: "reg")
        let board = try #require(table.leaderboard)
        #expect(board.metric == MetricKey(.validation, .mae))
        #expect(board.order.map { table.rows[$0].parameters["units"]?.intValue } == [16, 8, 32])
        #expect(board.decisionText(table.rows[0]) == "0.1250 at epoch 2")
        #expect(board.winnerTest.map(\.metric) == [.metric(MetricKey(.test, .mae)), .metric(MetricKey(.test, .rmse))])
        #expect(board.winnerTestText == "test mae 0.1875, test rmse 0.2500 (1 seed)")
        // Regression has no chance level: no row is marked at chance.
        #expect(table.rows.allSatisfy { $0.chanceLevel == nil })
    }

    @Test func aGridHasNoLeaderboard() throws {
        let table = try ReportFixture().table()
        #expect(table.leaderboard == nil && table.rows.allSatisfy { $0.rank == nil })
        #expect(!MarkdownRenderer().render(table).contains("Leaderboard"))
        #expect(!CSVRenderer().render(table).contains("objective_value"))
    }

    @Test func markdownOpensWithTheLeaderboard() throws {
        let markdown = MarkdownRenderer().render(try SearchFixture().table())
        let lines = markdown.components(separatedBy: "\n")
        #expect(lines.first == "## Leaderboard")
        #expect(lines[2].hasPrefix("Ranked by val accuracy, mean over seeds at the epoch the search decided"))
        #expect(lines[2].contains("**Winner:** Units 16 — test accuracy 81.25 ± 0.00 %"))
        #expect(lines[4] == "| Rank | Units | Val Accuracy (decided)                                    |")
        #expect(lines[6] == "|    1 |    16 | 87.50 % at epoch 4                                        |")
        #expect(lines[9] == "|    4 |    32 | 75.00 % at epoch 2, stopped (rung 2)                      |")
        #expect(lines[11] == "|    6 |    40 | NaN at epoch 1, stopped (rung 1), diverged (1 of 2 seeds) |")
        #expect(lines[13] == "|    8 |    64 | pending                                                   |")
        let all = try #require(markdown.range(of: "## All configurations"))
        #expect(markdown[all.upperBound...].contains("Sweep search —"))
    }

    @Test func csvAndJSONCarryTheRankPerRow() throws {
        let table = try SearchFixture().table()
        let csv = parseReportCSV(CSVRenderer().render(table))
        #expect(
            Array(csv[0].suffix(5)) == ["rank", "objective", "objective_value", "decided_epoch", "stopped_at_rung"])
        #expect(Array(csv[1].suffix(5)) == ["1", "val_accuracy", "0.875", "4", ""])
        #expect(Array(csv[4].suffix(5)) == ["4", "val_accuracy", "0.75", "2", "2"])
        #expect(Array(csv[6].suffix(5)) == ["6", "val_accuracy", "", "1", "1"])
        #expect(Array(csv[8].suffix(5)) == ["8", "val_accuracy", "", "", ""])
        let json = try #require(
            JSONSerialization.jsonObject(with: Data(try JSONRenderer().render(table).utf8)) as? [[String: Any]])
        #expect(json[3]["rank"] as? Int == 4 && json[3]["stopped_at_rung"] as? Int == 2)
        #expect(json[3]["objective_value"] as? Double == 0.75 && json[3]["decided_epoch"] as? Int == 2)
        #expect(json[7]["objective_value"] is NSNull && json[7]["objective"] as? String == "val_accuracy")
    }
}
