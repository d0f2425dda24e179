import RNNTraining

/// How the builder ranks a search's configurations (``Leaderboard``).
extension ReportBuilder {
    /// Sets each row's ``ReportRow/objective`` and ``ReportRow/rank``; `rows` and `groups` are in grid order.
    func rank(_ rows: inout [ReportRow], groups: [[ReportTrial]], objective: SearchObjective) {
        let outcomes = groups.map { objective.outcome(of: $0, epoch: options.epoch) }
        for (position, index) in Leaderboard.order(outcomes, higherIsBetter: objective.higherIsBetter).enumerated() {
            rows[index].objective = outcomes[index]
            rows[index].rank = position + 1
        }
    }

    /// The leaderboard of ranked `rows` (in their final order), with the winner's test metrics.
    func leaderboard(_ rows: [ReportRow], source: ReportSource, objective: SearchObjective) -> Leaderboard {
        var board = Leaderboard(
            metric: objective.metric, order: rows.indices.sorted { rows[$0].rank! < rows[$1].rank! }, winnerTest: [])
        board.halving = objective.halving != nil
        guard let winner = board.winner(in: rows) else { return board }
        let ids = Set(rows[winner].trialIDs)
        let completed = source.trials.filter { ids.contains($0.row.id) && $0.row.status == .completed }
            .map { TrialMetrics($0, epoch: options.epoch) }
        let task = source.tasks[0]
        // Regression's headline errors (MAE, RMSE); a classifier's accuracy, then its loss.
        let metrics = task == .classification ? [Metric.accuracy, .loss] : task.metrics.filter { $0 != .loss }
        board.winnerTest = metrics.compactMap { metric in
            let column = ReportMetric.metric(MetricKey(.test, metric))
            return SampleStatistics(completed.compactMap { $0.value(column) }).map {
                Leaderboard.WinnerMetric(metric: column, statistics: $0)
            }
        }
        return board
    }
}
