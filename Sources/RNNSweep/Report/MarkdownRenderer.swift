import Foundation

/// Renders a ``ReportTable`` as a caption line plus a GitHub-flavoured Markdown table, ready to paste.
///
/// Columns: parameters (``ParameterDisplay`` names and values), metrics (accuracies in percent with 2 decimals,
/// losses 4, seconds and epochs 1; `mean ± std` with the sample std when a row folds several seeds), `n` when
/// some row folds several trials, `Status` when some trial is not completed. Every column is padded to one
/// width; numbers are right-aligned, text left-aligned. The best value of each metric column (as displayed) is
/// **bold** when at least two rows have one.
public struct MarkdownRenderer: Sendable {
    public init() {}

    public func render(_ table: ReportTable) -> String {
        var columns: [(title: String, rightAligned: Bool, cells: [String])] = []
        for column in table.parameterColumns {
            columns.append(parameterColumn(column, rows: table.rows))
        }
        for metric in table.metrics {
            columns.append((metric.title, true, metricCells(metric, rows: table.rows)))
        }
        if table.showsCount {
            columns.append(("n", true, table.rows.map { String($0.completedCount) }))
        }
        if table.showsStatus {
            columns.append(("Status", false, table.rows.map(\.statusText)))
        }
        let widths = columns.map { column in max(3, column.cells.reduce(column.title.count) { max($0, $1.count) }) }
        func line(_ cells: [String]) -> String {
            let padded = zip(cells, zip(widths, columns)).map { cell, layout in
                let padding = String(repeating: " ", count: layout.0 - cell.count)
                return layout.1.rightAligned ? padding + cell : cell + padding
            }
            return "| " + padded.joined(separator: " | ") + " |\n"
        }
        var text = caption(table) + "\n\n" + line(columns.map(\.title))
        text += line(
            zip(widths, columns).map { width, column in
                column.rightAligned
                    ? String(repeating: "-", count: width - 1) + ":" : ":" + String(repeating: "-", count: width - 1)
            })
        for index in table.rows.indices { text += line(columns.map { $0.cells[index] }) }
        return text
    }

    /// A literal `|` would end the cell early.
    private static func escaped(_ cell: String) -> String {
        cell.replacingOccurrences(of: "|", with: "\\|")
    }

    /// `Sweep NAME — dataset D, SimpleRNN, 256 units, SGD (learning rate 0.01), batch 128, E epochs, N seeds,
    /// metrics at the last epoch.` (unknown facts are left out; shared settings only when no column shows them).
    public func caption(_ table: ReportTable) -> String {
        var facts: [String] = []
        if let dataset = table.dataset { facts.append("dataset \(dataset)") }
        facts += table.fixedSettings
        if let epochs = table.epochs { facts.append(epochs == "1" ? "1 epoch" : "\(epochs) epochs") }
        facts.append(table.seedCount == 1 ? "1 seed" : "\(table.seedCount) seeds")
        switch table.epochChoice {
        case .last: facts.append("metrics at the last epoch")
        case .best: facts.append("metrics at each trial's best epoch (highest validation accuracy)")
        }
        return "Sweep \(table.sweepName) — \(facts.joined(separator: ", "))."
    }

    private func parameterColumn(_ column: ParameterColumn, rows: [ReportRow]) -> (String, Bool, [String]) {
        switch column {
        case .regularizer:
            return (column.title, false, rows.map { ParameterDisplay.regularizer($0.parameters) })
        case .cell, .network:
            return (column.title, false, rows.map { Self.escaped(ParameterDisplay.layer($0.parameters)) })
        case .parameter(let key):
            let numeric = rows.allSatisfy { $0.parameters[key]?.number != nil }
            let cells = rows.map { Self.escaped(ParameterDisplay.value($0.parameters[key], key: key)) }
            return (column.title, numeric, cells)
        }
    }

    private func metricCells(_ metric: ReportMetric, rows: [ReportRow]) -> [String] {
        let means = rows.map { $0.statistics[metric].map { format($0.mean, metric, count: $0.count) } }
        var bestText: String?
        if let higher = metric.higherIsBetter {
            let finite = rows.compactMap { $0.statistics[metric] }.filter { $0.mean.isFinite }
            if finite.count >= 2,
                let best = higher ? finite.max(by: { $0.mean < $1.mean }) : finite.min(by: { $0.mean < $1.mean })
            {
                bestText = format(best.mean, metric, count: best.count)
            }
        }
        return zip(rows, means).map { row, mean in
            guard let mean, let statistics = row.statistics[metric] else { return row.missingText }
            var text = mean
            if let deviation = statistics.standardDeviation {
                text += " ± " + format(deviation, metric, count: statistics.count)
            }
            return bestText != nil && mean == bestText ? "**\(text)**" : text
        }
    }

    private func format(_ value: Double, _ metric: ReportMetric, count: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let integral = (metric == .epochs || metric == .bestEpoch) && count == 1
        return String(format: "%.\(integral ? 0 : metric.displayDecimals)f", value * metric.displayScale)
    }
}
