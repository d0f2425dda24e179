import Plot

/// The comparison table as HTML: the Markdown table's columns and texts, plus machine names (`data-key`) and
/// raw values (`data-value`) for the page's sort script, the best/tied marks as `marked` cells, and each row's
/// most serious non-completed status as a tone class and a badge.
enum HTMLTable {
    static func node(_ table: ReportTable) -> Node<HTML.BodyContext> {
        var headers: [Node<HTML.TableRowContext>] = []
        func header(_ title: String, key: String, numeric: Bool) {
            headers.append(
                .th(
                    .attr("data-key", key), .attr("data-type", numeric ? "number" : "text"), .attr("aria-sort", "none"),
                    .attr("title", "Sort by \(title)"), .safe(title)))
        }
        for column in table.parameterColumns {
            header(column.title, key: sortKey(column), numeric: column.isNumeric(table.rows))
        }
        for metric in table.metrics { header(table.title(of: metric), key: metric.rawValue, numeric: true) }
        if table.showsMarks { header("vs Best", key: "vs_best", numeric: false) }
        if table.showsCount { header("n", key: "n", numeric: true) }
        if table.showsStatus { header("Status", key: "status", numeric: false) }
        if table.pareto != nil { header("Pareto", key: "pareto", numeric: false) }

        let rows = table.rows.indices.map { index -> Node<HTML.TableContext> in
            let row = table.rows[index]
            var cells: [Node<HTML.TableRowContext>] = []
            for column in table.parameterColumns {
                let text = column.text(for: row.parameters)
                let numeric = column.isNumeric(table.rows)
                let value = numeric ? rawNumber(column, row) : text
                cells.append(.td(.class(numeric ? "num" : "text"), .attr("data-value", value), .safe(text)))
            }
            for metric in table.metrics { cells.append(metricCell(table, index: index, metric: metric)) }
            if table.showsMarks {
                let marks = table.marksText(row: index)
                cells.append(
                    .td(
                        .class(row.versusBest == .best ? "text marks best" : "text marks"), .attr("data-value", marks),
                        .safe(marks)))
            }
            if table.showsCount {
                cells.append(
                    .td(
                        .class("num"), .attr("data-value", String(row.completedCount)),
                        .safe(String(row.completedCount))))
            }
            if table.showsStatus {
                let tone = row.worstProblem?.reportTone ?? .ok
                cells.append(
                    .td(
                        .attr("data-value", row.statusText),
                        .span(.class("badge tone-\(tone.rawValue)"), .safe(row.statusText))))
            }
            if let pareto = table.pareto {
                let mark = pareto.optimal[index] ? "✓" : ""
                cells.append(.td(.class("text pareto"), .attr("data-value", mark), .safe(mark)))
            }
            let status = row.worstProblem ?? .completed
            return .tr(
                .attr("data-row", String(index)), .attr("data-status", status.rawValue),
                .class("tone-\(status.reportTone.rawValue)"), .group(cells))
        }
        return .table(
            .id("report-table"), .class("report"), .thead(.tr(.group(headers))), .tbody(.group(rows)))
    }

    private static func metricCell(_ table: ReportTable, index: Int, metric: ReportMetric) -> Node<HTML.TableRowContext>
    {
        let row = table.rows[index]
        guard let statistics = row.statistics[metric] else {
            return .td(.class("num missing"), .attr("data-value", ""), .safe(row.missingText))
        }
        let marked = table.isMarkedBest(row: index, metric: metric)
        let value = statistics.mean.isFinite ? statistics.mean.description : ""
        var title = "n = \(statistics.count)"
        if metric == table.significance?.metric, let p = row.versusBest.pValue {
            title += ", Holm-adjusted p vs best = \(String(format: "%.3g", p))"
        }
        return .td(
            .class(marked ? "num marked" : "num"), .attr("data-value", value), .attr("title", title),
            .safe(MetricText.cell(statistics, metric)))
    }

    /// The machine name of a column in `data-key` and `#sort=` (a raw key, or the merged column's name).
    private static func sortKey(_ column: ParameterColumn) -> String {
        switch column {
        case .parameter(let key): return key
        case .regularizer: return "regularizer"
        case .cell: return "cell"
        case .network: return "network"
        }
    }

    private static func rawNumber(_ column: ParameterColumn, _ row: ReportRow) -> String {
        guard case .parameter(let key) = column, let number = row.parameters[key]?.numericValue else { return "" }
        return number.description
    }
}
