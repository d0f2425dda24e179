import RNNTraining

/// The ranked answer a search report opens with: every configuration (seeds folded) ordered by its
/// ``SearchObjective/Outcome`` value, the mean over its seeds of the optimized metric at the epoch the sweep decided
/// on it — the rung where halving stopped it, or its completed seeds' selected epoch.
///
/// Order: finite values first — a configuration that halving let go further before a configuration it stopped
/// earlier (values at different budgets do not compare: a survivor whose curve later dipped below an early value is
/// still the one the search chose), then better first by the metric's direction, equal values by grid order (earlier
/// ordinal first); then the configurations whose value is NaN (a seed diverged); then those with no value yet
/// (failed, running, pending), each in grid order. Without halving, only the value orders. Every configuration has a position (``ReportRow/rank``), so the grid table can
/// follow the same order; only the text of a valueless row says it was never decided on.
public struct Leaderboard: Sendable, Equatable {
    /// The metric the sweep optimized (``SearchObjective/metric``).
    public var metric: MetricKey
    /// Indices into ``ReportTable/rows``, best first.
    public var order: [Int]
    /// The winner's test metrics over its completed seeds (test accuracy and loss, or MAE and RMSE), in the task's
    /// metric order; empty when the winner has no completed seed with test metrics.
    public var winnerTest: [WinnerMetric]
    /// Whether successive halving decided (some configurations were stopped at a rung); the ranking sentence says
    /// how rungs rank only then.
    public var halving = false

    /// One test metric of the winner: mean ± sample sd over its completed seeds.
    public struct WinnerMetric: Sendable, Equatable {
        public var metric: ReportMetric
        public var statistics: SampleStatistics
    }

    /// The column of the optimized metric.
    public var reportMetric: ReportMetric { .metric(metric) }

    /// The header of the decided values: `Val Accuracy (decided)` (the cells carry their own `%`).
    public var columnTitle: String {
        let title = reportMetric.title
        return (title.hasSuffix(", %") ? String(title.dropLast(3)) : title) + " (decided)"
    }

    /// The index of the winning row: the first, when its value is finite.
    public func winner(in rows: [ReportRow]) -> Int? {
        guard let first = order.first, rows[first].objective?.value?.isFinite == true else { return nil }
        return first
    }

    /// Positions of `outcomes` (given in grid order) on the leaderboard: the returned indices, best first.
    static func order(_ outcomes: [SearchObjective.Outcome], higherIsBetter: Bool) -> [Int] {
        // 0: a finite value, 1: NaN (diverged), 2: no value yet.
        func tier(_ value: Double?) -> Int { value.map { $0.isNaN ? 1 : 0 } ?? 2 }
        // How far halving let a configuration go: not stopped is furthest, then the epoch it was stopped at (a rung's
        // number says less across Hyperband's brackets, whose first rungs are at different epochs).
        func depth(_ outcome: SearchObjective.Outcome) -> Int {
            outcome.stoppedAtRung == nil ? .max : outcome.epoch ?? 0
        }
        return outcomes.indices.sorted { a, b in
            let (x, y) = (outcomes[a].value, outcomes[b].value)
            if tier(x) != tier(y) { return tier(x) < tier(y) }
            if tier(x) == 0, depth(outcomes[a]) != depth(outcomes[b]) {
                return depth(outcomes[a]) > depth(outcomes[b])
            }
            if let x, let y, x.isFinite, y.isFinite, x != y { return higherIsBetter ? x > y : x < y }
            return a < b
        }
    }

    /// What the sweep decided on a row: `70.25 % at epoch 2, stopped (rung 1)`, `87.02 % at epoch 20`,
    /// `NaN at epoch 1, stopped (rung 1), diverged (1 of 2 seeds)`; the row's status when it has no value (`failed`,
    /// `running`).
    public func decisionText(_ row: ReportRow) -> String {
        guard let outcome = row.objective, let value = outcome.value else { return row.statusText }
        var text = MetricText.format(value, reportMetric, count: outcome.seeds)
        if metric.metric.isFraction, !value.isNaN { text += " %" }
        if let epoch = outcome.epoch { text += " at epoch \(epoch)" }
        if let rung = outcome.stoppedAtRung { text += ", stopped (rung \(rung))" }
        // A NaN says a seed diverged: say how many.
        if value.isNaN, let diverged = row.statusCounts[.diverged], diverged > 0 {
            text += diverged == row.trialCount ? ", diverged" : ", diverged (\(diverged) of \(row.trialCount) seeds)"
        }
        return text
    }

    /// The machine names CSV and JSON add to every row of a search table, in column order.
    public static let fieldNames = ["rank", "objective", "objective_value", "decided_epoch", "stopped_at_rung"]

    /// The row's values of ``fieldNames``: its position, the optimized metric's name, the decided value (nil when
    /// none, or NaN), its epoch and the rung where halving stopped it.
    public func fields(_ row: ReportRow) -> [ParameterValue?] {
        let value = row.objective?.value.flatMap { $0.isFinite ? ParameterValue.double($0) : nil }
        return [
            row.rank.map(ParameterValue.int), .string(metric.reportName), value,
            row.objective?.epoch.map(ParameterValue.int), row.objective?.stoppedAtRung.map(ParameterValue.int),
        ]
    }

    /// The sentence saying what the ranking is, shared by Markdown and HTML.
    public func rankingSentence(_ choice: ReportOptions.EpochChoice) -> String {
        let epoch = choice == .best ? "each seed's best epoch" : "the last epoch"
        let name = metric.reportName.replacingOccurrences(of: "_", with: " ")
        guard halving else { return "Ranked by \(name), mean over seeds at \(epoch)." }
        return "Ranked by \(name), mean over seeds at the epoch the search decided on each configuration (the rung "
            + "where halving stopped it, else \(epoch)); a configuration halving kept longer ranks above one it "
            + "stopped earlier."
    }

    /// `Units 256, Optimizer Adam — test accuracy 95.00 ± 1.00 %, test loss 0.3000 ± 0.0000 (3 seeds).`: the winner
    /// and its test metrics, nil when no configuration has a finite value.
    public func winnerText(_ table: ReportTable) -> String? {
        guard let winner = winner(in: table.rows) else { return nil }
        let label = table.parameterColumns.map { "\($0.title) \($0.text(for: table.rows[winner].parameters))" }
        return (label.isEmpty ? "the only configuration" : label.joined(separator: ", "))
            + (winnerTestText.map { " — " + $0 } ?? "") + "."
    }

    /// `test accuracy 87.02 ± 0.31 %, test loss 0.3012 ± 0.0040 (3 seeds)`: the winner's test metrics in running
    /// text; nil when it has none.
    public var winnerTestText: String? {
        guard !winnerTest.isEmpty else { return nil }
        let parts = winnerTest.map { item in
            "\(item.metric.phrase) " + MetricText.cell(item.statistics, item.metric)
                + (item.metric.key?.metric.isFraction == true ? " %" : "")
        }
        let seeds = winnerTest.map(\.statistics.count).max() ?? 0
        return parts.joined(separator: ", ") + " (\(seeds == 1 ? "1 seed" : "\(seeds) seeds"))"
    }
}
