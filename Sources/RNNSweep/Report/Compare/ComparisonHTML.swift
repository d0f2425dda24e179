import Foundation
import Plot

/// Renders a ``SweepComparison`` as one self-contained HTML page (the report page's style and sort script): the caption,
/// the table of ``ComparisonMarkdown`` with its footnote, and a dot chart of the differences A − B with their 95 %
/// intervals, one mark per configuration both sweeps ran, a line at zero. All user text is escaped.
public struct ComparisonHTML: Sendable {
    public init() {}

    static let css = """
        .reference{stroke:#57606a;stroke-width:1.5;fill:none}table.report td.empty{color:var(--muted)}
        """

    public func render(_ comparison: SweepComparison) -> String {
        let title = "Sweep \(comparison.first.label) vs \(comparison.second.label)"
        let page = HTML(
            .lang(.english),
            .head(
                .encoding(.utf8), .viewport(.accordingToDevice),
                .tag("title", [.safe("rnnsweep comparison: \(title)")]),
                .style(HTMLStyle.css + Self.css)),
            .body(
                .header(.h1(.safe(title)), .p(.class("caption"), .safe(ComparisonMarkdown.caption(comparison)))),
                .section(
                    .id("comparison"), .h2("Comparison"), table(comparison),
                    .p(.class("footnote"), .safe(ComparisonMarkdown.footnote(comparison)))),
                .section(
                    .id("differences"), .h2("Differences A − B"), .raw(chart(comparison)),
                    .p(
                        .class("note-text"),
                        .safe(
                            "Dot: the difference of the means; bar: its 95 % Welch confidence interval. Blue: "
                                + "intervals that exclude zero. Configurations with one seed on a side have a dot "
                                + "and no bar."))),
                .script(.raw(HTMLScript.source))))
        return page.render() + "\n"
    }

    /// The table, in the report table's form (`#report-table`, `data-key`/`data-type` headers, `data-value`
    /// cells, `data-row` rows), so the page's sort script (``HTMLScript``) sorts it too.
    private func table(_ comparison: SweepComparison) -> Node<HTML.BodyContext> {
        let metric = comparison.metric
        var headers: [(title: String, key: String, numeric: Bool)] = comparison.matchedKeys.map { key in
            (
                ParameterDisplay.header(for: key), key,
                comparison.rows.allSatisfy { $0.parameters[key]?.numericValue != nil }
            )
        }
        headers += [
            ("A: \(metric.title)", "a_mean", true), ("n A", "a_n", true), ("B: \(metric.title)", "b_mean", true),
            ("n B", "b_n", true), ("A − B", "difference", true), ("95 % CI", "ci_low", true), ("p", "p", true),
        ]
        let rows = comparison.rows.enumerated().map { index, row -> Node<HTML.TableContext> in
            func cell(_ text: String, value: Double?, className: String = "num") -> Node<HTML.TableRowContext> {
                .td(
                    .class(className), .attr("data-value", value.map { $0.isFinite ? $0.description : "" } ?? ""),
                    .safe(text))
            }
            var cells: [Node<HTML.TableRowContext>] = comparison.matchedKeys.map { key in
                let value = row.parameters[key]
                let text = ParameterDisplay.value(value, key: key)
                return .td(
                    .class(value?.numericValue != nil ? "num" : "text"),
                    .attr("data-value", value?.numericValue.map { $0.description } ?? text), .safe(text))
            }
            for (side, missing) in [(row.first, row.missing.first), (row.second, row.missing.second)] {
                cells.append(
                    cell(
                        ComparisonMarkdown.cell(side, missing, metric), value: side?.mean,
                        className: side == nil ? "num empty" : "num"))
                cells.append(cell(side.map { String($0.count) } ?? "", value: side.map { Double($0.count) }))
            }
            let excludesZero = row.interval.map { $0.low > 0 || $0.high < 0 } ?? false
            cells.append(
                cell(
                    ComparisonMarkdown.difference(row, metric), value: row.difference,
                    className: excludesZero ? "num marked" : "num"))
            cells.append(cell(ComparisonMarkdown.interval(row, metric), value: row.interval?.low))
            cells.append(cell(row.interval.map { ComparisonMarkdown.p($0.pValue) } ?? "", value: row.interval?.pValue))
            return .tr(.attr("data-row", String(index)), .attr("data-matched", String(row.isMatched)), .group(cells))
        }
        let heads: [Node<HTML.TableRowContext>] = headers.map { header in
            .th(
                .attr("data-key", header.key), .attr("data-type", header.numeric ? "number" : "text"),
                .attr("aria-sort", "none"), .attr("title", "Sort by \(header.title)"), .safe(header.title))
        }
        return .table(.id("report-table"), .class("report"), .thead(.tr(.group(heads))), .tbody(.group(rows)))
    }

    /// The differences of the configurations both sweeps ran, in display units.
    private func chart(_ comparison: SweepComparison) -> String {
        let metric = comparison.metric
        let scale = metric.displayScale
        let rows = comparison.rows.filter(\.isMatched).map { row in
            let interval = row.interval
            let excludesZero = interval.map { $0.low > 0 || $0.high < 0 } ?? false
            return DotRow(
                label: comparison.label(row), mean: row.difference.map { $0 * scale },
                deviation: interval.map { ($0.high - $0.low) / 2 * scale }, className: excludesZero ? "marked" : "",
                note: "no completed trial on a side")
        }
        var dots = DotErrorChart()
        dots.reference = 0
        let unit = "A − B, \(metric.phrase)\(metric.displayScale == 100 ? " (percentage points)" : "") with 95 % CI"
        return dots.render(rows, unit: unit, className: "chart dots differences").render()
    }
}
