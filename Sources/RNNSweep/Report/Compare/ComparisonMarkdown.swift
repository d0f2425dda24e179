import Foundation

/// Renders a ``SweepComparison`` as a caption, a Markdown table and a footnote. Columns: the matched parameters,
/// each sweep's `mean ± sd` and `n` (in the metric's display unit: accuracies in percent), `A − B`, its 95 % CI
/// and Welch's p. A configuration only one sweep ran has the other side's cells empty.
public struct ComparisonMarkdown: Sendable {
    public init() {}

    public func render(_ comparison: SweepComparison) -> String {
        let metric = comparison.metric
        var columns: [(title: String, right: Bool, cells: [String])] = []
        for key in comparison.matchedKeys {
            let numeric = comparison.rows.allSatisfy { $0.parameters[key]?.numericValue != nil }
            columns.append(
                (
                    ParameterDisplay.header(for: key), numeric,
                    comparison.rows.map { escaped(ParameterDisplay.value($0.parameters[key], key: key)) }
                ))
        }
        columns.append(
            ("A: \(metric.title)", true, comparison.rows.map { Self.cell($0.first, $0.missing.first, metric) }))
        columns.append(("n A", true, comparison.rows.map { $0.first.map { String($0.count) } ?? "" }))
        columns.append(
            ("B: \(metric.title)", true, comparison.rows.map { Self.cell($0.second, $0.missing.second, metric) }))
        columns.append(("n B", true, comparison.rows.map { $0.second.map { String($0.count) } ?? "" }))
        columns.append(("A − B", true, comparison.rows.map { Self.difference($0, metric) }))
        columns.append(("95 % CI", true, comparison.rows.map { Self.interval($0, metric) }))
        columns.append(("p", true, comparison.rows.map { $0.interval.map { Self.p($0.pValue) } ?? "" }))
        let widths = columns.map { column in
            max(3, column.cells.reduce(column.title.count) { max($0, $1.count) })
        }
        func line(_ cells: [String]) -> String {
            let padded = zip(cells, zip(widths, columns)).map { cell, layout in
                let padding = String(repeating: " ", count: layout.0 - cell.count)
                return layout.1.right ? padding + cell : cell + padding
            }
            return "| " + padded.joined(separator: " | ") + " |\n"
        }
        var text = escaped(Self.caption(comparison)) + "\n\n" + line(columns.map(\.title))
        text += line(
            zip(widths, columns).map { width, column in
                column.right
                    ? String(repeating: "-", count: width - 1) + ":" : ":" + String(repeating: "-", count: width - 1)
            })
        for index in comparison.rows.indices { text += line(columns.map { $0.cells[index] }) }
        return text + "\n" + Self.footnote(comparison) + "\n"
    }

    /// `A = sweep x, B = sweep y (other.sqlite) — test accuracy, rows matched on units, cell (3 of 5 matched); …`.
    public static func caption(_ comparison: SweepComparison) -> String {
        var facts = ["\(comparison.metric.phrase)"]
        if comparison.matchedKeys.isEmpty {
            facts.append("no parameter varies in either sweep: all trials of each form one row")
        } else {
            facts.append(
                "rows matched on \(comparison.matchedKeys.joined(separator: ", ")) "
                    + "(\(comparison.matchedCount) of \(comparison.rows.count) configurations in both"
                    + Self.withResults(comparison) + ")")
        }
        if !comparison.differingSettings.isEmpty {
            facts.append(
                "settings that differ between the sweeps: " + comparison.differingSettings.joined(separator: "; "))
        }
        return "A = sweep \(comparison.first.label), B = sweep \(comparison.second.label) — "
            + facts.joined(separator: ", ") + "."
    }

    /// `, 1 with results on both sides` when some configurations both sweeps ran lack a mean on a side (trials
    /// stopped by successive halving, failed or not run yet), so the count above does not overstate the comparison.
    static func withResults(_ comparison: SweepComparison) -> String {
        let compared = comparison.rows.filter { $0.difference != nil }.count
        return compared == comparison.matchedCount ? "" : ", \(compared) with results on both sides"
    }

    /// What the columns mean.
    public static func footnote(_ comparison: SweepComparison) -> String {
        "A − B: difference of the means over completed seeds; 95 % CI: Welch's interval (t quantile at the "
            + "Welch–Satterthwaite degrees of freedom); p: Welch's two-sided t-test, not corrected for the "
            + "\(comparison.matchedCount) comparisons. Configurations with fewer than 2 seeds on a side have no "
            + "interval; a configuration only one sweep ran leaves the other side empty."
    }

    static func difference(_ row: SweepComparison.Row, _ metric: ReportMetric) -> String {
        row.difference.map { signed($0, metric) } ?? ""
    }

    static func interval(_ row: SweepComparison.Row, _ metric: ReportMetric) -> String {
        guard let interval = row.interval else { return "" }
        return "[\(signed(interval.low, metric)), \(signed(interval.high, metric))]"
    }

    /// A difference in display units with its sign (`+0.52`, `−1.30`).
    static func signed(_ value: Double, _ metric: ReportMetric) -> String {
        let text = MetricText.format(abs(value), metric, count: 2)
        guard value.isFinite else { return MetricText.format(value, metric, count: 2) }
        return (value < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "−" : "+") + text
    }

    /// `0.0312`, `< 0.0001`.
    static func p(_ value: Double) -> String {
        value < 0.0001 ? "< 0.0001" : String(format: "%.4f", value)
    }

    /// `mean ± sd`, or why there is none (`stopped`; empty when the sweep did not run the configuration).
    static func cell(_ statistics: SampleStatistics?, _ missing: String, _ metric: ReportMetric) -> String {
        statistics.map { MetricText.cell($0, metric) } ?? missing
    }

    /// A literal `|` would end the cell early.
    private func escaped(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
