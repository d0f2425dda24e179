/// Renders a ``ReportTable`` as RFC 4180 CSV for spreadsheets and scripts: one header row of machine names
/// (raw parameter keys, then `<metric>_mean`, `<metric>_std` per metric, `n`, `status`), raw parameter values and
/// metrics as fractions at full precision (`0.8734`, not `87.34`), then the ``BestContrast`` fields
/// (`diff_vs_best`, `ci95_low`, `ci95_high`, `seeds_for_80_power`, `at_chance`), `p_vs_best` and `tied_with_best`
/// as in ``JSONRenderer`` (empty where JSON has null). `_std` is empty for a single seed; metric fields are empty when
/// no completed trial has the metric (`status` says why). When the results mix CPU kinds, versions or thread counts
/// that no row key shows, a last column per mix (`cpu`, `build`, `threads`) says where each row's trials ran
/// (``ReportTable/machineColumns``). With `--objectives`, a `pareto` column is `true` for the rows on the Pareto front
/// (``ParetoSummary``). A search table ends with its ``Leaderboard`` fields (`rank`, `objective`, `objective_value`,
/// `decided_epoch`, `stopped_at_rung`).
public struct CSVRenderer: Sendable {
    public init() {}

    public func render(_ table: ReportTable) -> String {
        var header = table.parameterKeys
        for metric in table.metrics { header += ["\(metric.rawValue)_mean", "\(metric.rawValue)_std"] }
        header += ["n", "status"] + BestContrast.fieldNames + ["p_vs_best", "tied_with_best"] + table.machineColumns
        if table.pareto != nil { header.append("pareto") }
        if table.leaderboard != nil { header += Leaderboard.fieldNames }
        var text = CSVFormat.record(header)
        for (index, row) in table.rows.enumerated() {
            var fields = table.parameterKeys.map { row.parameters[$0]?.description ?? "" }
            for metric in table.metrics {
                let statistics = row.statistics[metric]
                fields += [CSVFormat.number(statistics?.mean), CSVFormat.number(statistics?.standardDeviation)]
            }
            fields += [
                String(row.completedCount), row.statusText,
            ]
            fields += table.contrastFields(row: index).map { $0?.description ?? "" }
            fields += [
                CSVFormat.number(row.versusBest.pValue),
                row.versusBest.isTiedWithBest.map { String($0) } ?? "",
            ]
            fields += table.machineColumns.map { row.machines[$0] ?? "" }
            if let pareto = table.pareto { fields.append(String(pareto.optimal[index])) }
            fields += table.leaderboard?.fields(row).map { $0?.description ?? "" } ?? []
            text += CSVFormat.record(fields)
        }
        return text
    }
}
