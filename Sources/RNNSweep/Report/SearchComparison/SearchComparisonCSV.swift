/// Renders a ``SearchComparison``'s table as CSV: `row` (`method` or `baseline`), `method`, `sweeps`, then for each
/// quantity its mean, sample sd and count (`epochs_…`, `best_…`, `best_at_<epochs>_…`, `winner_test_…`), fractions
/// at full precision, empty where there is no value. The curves are in the JSON form.
public struct SearchComparisonCSV: Sendable {
    public init() {}

    public func render(_ comparison: SearchComparison) -> String {
        let quantities = ["epochs", "best"] + comparison.budgets.map { "best_at_\($0)" } + ["winner_test"]
        var text = CSVFormat.record(
            ["row", "method", "sweeps"] + quantities.flatMap { ["\($0)_mean", "\($0)_std", "\($0)_n"] })
        func fields(_ statistics: SampleStatistics?) -> [String] {
            [
                CSVFormat.number(statistics?.mean), CSVFormat.number(statistics?.standardDeviation),
                statistics.map { String($0.count) } ?? "",
            ]
        }
        for method in comparison.methods {
            var record = ["method", method.label, String(method.sweeps.count)]
            record += fields(method.epochs) + fields(method.best)
            for statistics in method.atBudgets { record += fields(statistics) }
            text += CSVFormat.record(record + fields(method.test))
        }
        for baseline in comparison.baselines {
            var record = [
                "baseline", SearchComparisonText.baselineLabel(baseline, k: comparison.topK),
                String(baseline.sweeps.count),
            ]
            record += fields(baseline.epochs) + fields(baseline.best)
            for _ in comparison.budgets { record += fields(nil) }
            text += CSVFormat.record(record + fields(baseline.test))
        }
        return text
    }
}
