import Foundation
import RNNTraining

/// The words and cells of a ``SearchComparison`` that Markdown and HTML share: the caption, the table's columns
/// (method rows, then one baseline row per method that trained everything to the end) and the rules the numbers
/// follow, stated once.
enum SearchComparisonText {
    /// One table column: header, machine key (CSV, `data-key`), the displayed cells and their raw values.
    struct Column {
        var title: String
        var key: String
        var numeric: Bool
        var cells: [String]
        var values: [Double?]
    }

    /// `Search methods compared on val_accuracy (higher is better) in metrics.sqlite: grid (1 sweep), …`.
    static func caption(_ comparison: SearchComparison) -> String {
        let methods = comparison.methods.map { method in
            "\(method.label) (\(method.sweeps.count) sweep\(method.sweeps.count == 1 ? "" : "s"): "
                + method.sweeps.map(\.name).joined(separator: ", ") + ")"
        }
        let direction = comparison.metric.metric.higherIsBetter ? "higher" : "lower"
        return "Search methods compared on \(comparison.metric.reportName) (\(direction) is better) in "
            + "\(comparison.database): " + methods.joined(separator: "; ") + "."
    }

    /// The baseline row's label: `top-3 after epoch 1 (grid)`.
    static func baselineLabel(_ baseline: SearchComparison.BaselineResult, k: Int) -> String {
        "top-\(k) after epoch 1 (\(baseline.method))"
    }

    static func columns(_ comparison: SearchComparison) -> [Column] {
        let metric = ReportMetric.metric(comparison.metric)
        let test = ReportMetric.metric(comparison.testMetric)
        let methods = comparison.methods
        let baselines = comparison.baselines
        func cell(_ statistics: SampleStatistics?, _ shown: ReportMetric) -> String {
            statistics.map { MetricText.cell($0, shown) } ?? "—"
        }
        var columns = [
            Column(
                title: "Method", key: "method", numeric: false,
                cells: methods.map(\.label) + baselines.map { baselineLabel($0, k: comparison.topK) },
                values: Array(repeating: nil, count: methods.count + baselines.count)),
            Column(
                title: "Sweeps", key: "sweeps", numeric: true,
                cells: methods.map { String($0.sweeps.count) } + baselines.map { String($0.sweeps.count) },
                values: methods.map { Double($0.sweeps.count) } + baselines.map { Double($0.sweeps.count) }),
            Column(
                title: "Epochs spent", key: "epochs", numeric: true,
                cells: methods.map { cell($0.epochs, .epochs) } + baselines.map { cell($0.epochs, .epochs) },
                values: methods.map(\.epochs.mean) + baselines.map(\.epochs.mean)),
            Column(
                title: "Best \(metric.title) (end)", key: "best", numeric: true,
                cells: methods.map { cell($0.best, metric) } + baselines.map { cell($0.best, metric) },
                values: methods.map(\.best?.mean) + baselines.map(\.best.mean)),
        ]
        for (index, budget) in comparison.budgets.enumerated() {
            let share = Int((SearchComparison.budgetShares[index] * 100).rounded())
            columns.append(
                Column(
                    title: "Best at \(budget) epoch\(budget == 1 ? "" : "s") (\(share) %)", key: "best_at_\(budget)",
                    numeric: true,
                    cells: methods.map { cell($0.atBudgets[index], metric) } + baselines.map { _ in "" },
                    values: methods.map { $0.atBudgets[index]?.mean } + baselines.map { _ in nil }))
        }
        columns.append(
            Column(
                title: "Winner's \(test.title)", key: "winner_test", numeric: true,
                cells: methods.map { cell($0.test, test) } + baselines.map { cell($0.test, test) },
                values: methods.map(\.test?.mean) + baselines.map(\.test?.mean)))
        return columns
    }

    /// What every number means, one sentence each.
    static func rules(_ comparison: SearchComparison) -> [String] {
        let metric = comparison.metric.reportName
        let k = comparison.topK
        var rules = [
            "Epochs spent: every epoch row a sweep recorded counts once (every seed, every trial, stopped ones "
                + "too), in the order the coordinator recorded them (the epochs table's rowid order); only the "
                + "trials of each sweep's current definition count, as in its report.",
            "A configuration's value at a moment: the mean over its seeds of \(metric) at the latest epoch all its "
                + "seeds have recorded; a sweep's best so far is the best such value any configuration has had "
                + "(a non-finite mean never counts).",
            "A method's curve and columns: the mean ± sample sd over its sweeps (sampler seeds); between "
                + "improvements a sweep's best so far holds (step interpolation), and a sweep that ended earlier "
                + "holds its final value.",
            "Budgets: \(SearchComparison.budgetShares.map { "\(Int(($0 * 100).rounded())) %" }.joined(separator: ", ")) "
                + "of the fewest epochs any compared sweep spent (\(comparison.referenceEpochs)), so every sweep "
                + "reached each budget.",
            "Winner: a sweep's best configuration by \(metric) at the last epoch all its seeds reached (ties to "
                + "the earlier configuration); when it did not complete (stopped by successive halving), the best "
                + "completed configuration. Its \(comparison.testMetric.reportName): the mean over its completed "
                + "seeds.",
        ]
        if comparison.baselines.isEmpty {
            rules.append(
                "Top-\(k) after epoch 1 (arXiv 2307.15422): not shown, since no method trained every configuration "
                    + "of all its sweeps to the end.")
        } else {
            rules.append(
                "Top-\(k) after epoch 1 (arXiv 2307.15422), from each method that trained every configuration to "
                    + "the end: rank all N configurations by \(metric) after epoch 1, keep the \(k) best and train "
                    + "only them on, at a cost of N×1 + \(k)×(R−1) epochs per seed. Its best: the best value it "
                    + "would have seen by the rule above (epoch 1 of all, every epoch of the kept); its winner: the "
                    + "kept configuration best at its last epoch, with that configuration's test metric. It is one "
                    + "point, so its budget columns are empty.")
            let metricColumn = ReportMetric.metric(comparison.metric)
            for baseline in comparison.baselines {
                rules.append(
                    "\(baselineLabel(baseline, k: k)): best final \(metric) among the kept configurations "
                        + MetricText.cell(baseline.bestFinal, metricColumn) + ".")
            }
        }
        for method in comparison.methods where method.winnersNotBestOverall > 0 {
            rules.append(
                "\(method.label): in \(method.winnersNotBestOverall) of \(method.sweeps.count) sweeps the best "
                    + "configuration did not complete; the winner is the best completed one.")
        }
        for method in comparison.methods where method.test?.count != method.sweeps.count {
            let missing = method.sweeps.count - (method.test?.count ?? 0)
            rules.append(
                "\(method.label): \(missing) of \(method.sweeps.count) sweeps have no completed configuration, so "
                    + "no winner's test metric.")
        }
        return rules
    }
}
