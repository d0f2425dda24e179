import Foundation
import Plot

/// Renders a ``SweepComparison`` as one self-contained HTML page (the report page's style, no script): the caption,
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
                .encoding(.utf8), .viewport(.accordingToDevice), .tag("title", [.safe("rnnsweep comparison: \(title)")]),
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
                                + "and no bar.")))))
        return page.render() + "\n"
    }

    private func table(_ comparison: SweepComparison) -> Node<HTML.BodyContext> {
        let metric = comparison.metric
        var headers = comparison.matchedKeys.map { ParameterDisplay.header(for: $0) }
        headers += [
            "A: \(metric.title)", "n A", "B: \(metric.title)", "n B", "A − B", "95 % CI", "p",
        ]
        let rows = comparison.rows.map { row -> Node<HTML.TableContext> in
            var cells: [Node<HTML.TableRowContext>] = comparison.matchedKeys.map { key in
                .td(.class("text"), .safe(ParameterDisplay.value(row.parameters[key], key: key)))
            }
            for (side, missing) in [(row.first, row.missing.first), (row.second, row.missing.second)] {
                cells.append(
                    .td(.class(side == nil ? "num empty" : "num"), .safe(ComparisonMarkdown.cell(side, missing, metric))))
                cells.append(.td(.class("num"), .safe(side.map { String($0.count) } ?? "")))
            }
            let excludesZero = row.interval.map { $0.low > 0 || $0.high < 0 } ?? false
            cells.append(
                .td(
                    .class(excludesZero ? "num marked" : "num"),
                    .safe(ComparisonMarkdown.difference(row, metric))))
            cells.append(.td(.class("num"), .safe(ComparisonMarkdown.interval(row, metric))))
            cells.append(.td(.class("num"), .safe(row.interval.map { ComparisonMarkdown.p($0.pValue) } ?? "")))
            return .tr(.attr("data-matched", String(row.isMatched)), .group(cells))
        }
        return .table(
            .id("comparison-table"), .class("report"),
            .thead(.tr(.group(headers.map { .th(.safe($0)) }))), .tbody(.group(rows)))
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
