import Foundation

/// Renders a ``ReportTable`` as a caption line plus a GitHub-flavoured Markdown table, ready to paste; a search's
/// table is preceded by its `## Leaderboard` and an `## All configurations` heading (``Leaderboard``).
///
/// Columns: parameters (``ParameterDisplay`` names and values), metrics (accuracies in percent with 2 decimals,
/// losses 4, seconds and epochs 1; `mean ± std` with the sample std when a row folds several seeds), `n` when
/// some row folds several trials, `Status` when some trial is not completed. Every column is padded to one
/// width; numbers are right-aligned, text left-aligned. Bold marks the best (``ReportTable/isMarkedBest(row:metric:)``):
/// in the compared column of a tested table the best row only, and a `vs Best` column marks every row
/// (``ReportTable/marksText(row:)``: ★ best, ▼ shown worse, ≈ unresolved with its interval, at chance) with a
/// footnote naming the test; elsewhere the best value as displayed, when at least two rows have one. Results from
/// several CPU kinds, versions or thread counts get a **Warning:** line each below the table
/// (``ReportTable/warnings``).
public struct MarkdownRenderer: Sendable {
    public init() {}

    public func render(_ table: ReportTable) -> String {
        var columns: [(title: String, rightAligned: Bool, cells: [String])] = []
        for column in table.parameterColumns {
            columns.append(parameterColumn(column, rows: table.rows))
        }
        for metric in table.metrics {
            columns.append((table.title(of: metric), true, metricCells(metric, table: table)))
        }
        if table.showsMarks {
            columns.append(("vs Best", false, table.rows.indices.map { table.marksText(row: $0) }))
        }
        if table.showsCount {
            columns.append(("n", true, table.rows.map { String($0.completedCount) }))
        }
        if table.showsStatus {
            columns.append(("Status", false, table.rows.map(\.statusText)))
        }
        if let pareto = table.pareto {
            columns.append(("Pareto", false, pareto.optimal.map { $0 ? "✓" : "" }))
        }
        var text = leaderboardSection(table).map { $0 + "## All configurations\n\n" } ?? ""
        text += caption(table) + "\n\n" + Self.grid(columns)
        if let footnote = table.marksFootnote { text += "\n" + footnote + "\n" }
        if let footnote = table.pareto?.footnote { text += "\n" + footnote + "\n" }
        for warning in table.warnings { text += "\n**Warning:** " + Self.escaped(warning) + "\n" }
        return text
    }

    /// The header, alignment row and rows of a Markdown table, every column padded to one width.
    static func grid(_ columns: [(title: String, rightAligned: Bool, cells: [String])]) -> String {
        let widths = columns.map { column in max(3, column.cells.reduce(column.title.count) { max($0, $1.count) }) }
        func line(_ cells: [String]) -> String {
            let padded = zip(cells, zip(widths, columns)).map { cell, layout in
                let padding = String(repeating: " ", count: layout.0 - cell.count)
                return layout.1.rightAligned ? padding + cell : cell + padding
            }
            return "| " + padded.joined(separator: " | ") + " |\n"
        }
        var text = line(columns.map(\.title))
        text += line(
            zip(widths, columns).map { width, column in
                column.rightAligned
                    ? String(repeating: "-", count: width - 1) + ":" : ":" + String(repeating: "-", count: width - 1)
            })
        for index in (columns.first?.cells ?? []).indices { text += line(columns.map { $0.cells[index] }) }
        return text
    }

    /// A literal `|` would end the cell early.
    static func escaped(_ cell: String) -> String {
        cell.replacingOccurrences(of: "|", with: "\\|")
    }

    /// `Sweep NAME — dataset D, SimpleRNN, 256 units, SGD (learning rate 0.01), batch 128, E epochs, N seeds,
    /// metrics at the last epoch.` (unknown facts are left out; shared settings only when no column shows them).
    public func caption(_ table: ReportTable) -> String {
        var facts: [String] = []
        if let dataset = table.dataset { facts.append("dataset \(dataset)") }
        if let file = table.dataFile { facts.append("data \(file)") }
        facts += table.fixedSettings
        if let epochs = table.epochs { facts.append(epochs == "1" ? "1 epoch" : "\(epochs) epochs") }
        facts.append(table.seedCount == 1 ? "1 seed" : "\(table.seedCount) seeds")
        switch table.epochChoice {
        case .last: facts.append("metrics at the last epoch")
        case .best:
            facts.append(
                "metrics at each trial's best epoch (highest validation accuracy), test metrics at the last epoch "
                    + "(the test set is measured once, after training)")
        }
        if let clause = table.significance?.captionClause { facts.append(clause) }
        return "Sweep \(table.sweepName) — \(facts.joined(separator: ", "))."
    }

    func parameterColumn(_ column: ParameterColumn, rows: [ReportRow]) -> (String, Bool, [String]) {
        let escape = column != .regularizer
        let cells = rows.map { row in column.text(for: row.parameters) }.map { escape ? Self.escaped($0) : $0 }
        return (column.title, column.isNumeric(rows), cells)
    }

    private func metricCells(_ metric: ReportMetric, table: ReportTable) -> [String] {
        table.rows.indices.map { index in
            let row = table.rows[index]
            guard let statistics = row.statistics[metric] else { return row.missingText }
            let text = MetricText.cell(statistics, metric)
            return table.isMarkedBest(row: index, metric: metric) ? "**\(text)**" : text
        }
    }
}
