import Foundation
import Plot

/// Renders a ``SearchComparison`` as one self-contained HTML page in the report's style: the caption, the anytime
/// chart (``SearchComparisonChart``) with its legend, the table of ``SearchComparisonText`` (sortable by the report
/// page's script), the rules, and where the results come from (the database, the command, each sweep's recorded
/// command and machine). All user text is escaped.
public struct SearchComparisonHTML: Sendable {
    public init() {}

    static let css = """
        svg.search-comparison{max-width:980px}.baseline-dot{fill:#1f2328;stroke:#fff;stroke-width:1.5;r:5px}
        #comparison table.report th{white-space:normal;min-width:90px;max-width:160px;vertical-align:bottom}
        .baseline-label{font-size:11px}.halo{paint-order:stroke;stroke:#fff;stroke-width:3px}
        .key.baseline{width:10px;height:10px;border:0;border-radius:50%;background:#1f2328}
        ul.rules{margin:4px 0 0;padding-left:20px}

        """

    public func render(_ comparison: SearchComparison) -> String {
        let title = "Search methods: " + comparison.methods.map(\.label).joined(separator: ", ")
        let page = HTML(
            .lang(.english),
            .head(
                .encoding(.utf8), .viewport(.accordingToDevice),
                .tag("title", [.safe("rnnsweep search comparison: \(title)")]),
                .style(HTMLStyle.css + SearchComparisonChart.css + Self.css)),
            .body(
                .header(.h1(.safe(title)), .p(.class("caption"), .safe(SearchComparisonText.caption(comparison)))),
                .section(
                    .id("anytime"), .h2(.safe("Best \(comparison.metric.reportName) against epochs spent")),
                    legend(comparison), .raw(SearchComparisonChart().render(comparison).render()),
                    .p(
                        .class("note-text"),
                        .safe(
                            "Each line: the mean over the method's sweeps (sampler seeds) of the best "
                                + "\(comparison.metric.reportName) reached so far, a step at each improvement; band: "
                                + "± 1 sample standard deviation over the sweeps, for methods with several. A line "
                                + "ends at the method's largest cost."))),
                .section(
                    .id("comparison"), .h2("Comparison"), table(comparison),
                    .ul(
                        .class("rules footnote"),
                        .group(SearchComparisonText.rules(comparison).map { .li(.safe($0)) }))),
                provenance(comparison),
                .script(.raw(HTMLScript.source))))
        return page.render() + "\n"
    }

    private func legend(_ comparison: SearchComparison) -> Node<HTML.BodyContext> {
        var keys: [Node<HTML.BodyContext>] = comparison.methods.enumerated().map { index, method in
            .span(.span(.class("key \(SearchComparisonChart.className(index))")), .safe(method.label))
        }
        keys += comparison.baselines.map { baseline in
            .span(
                .span(.class("key baseline")),
                .safe(SearchComparisonText.baselineLabel(baseline, k: comparison.topK)))
        }
        return .div(.class("legend"), .group(keys))
    }

    /// The table in the report table's form (`#report-table`, `data-key`/`data-type` headers, `data-value` cells,
    /// `data-row` rows), so ``HTMLScript`` sorts it.
    private func table(_ comparison: SearchComparison) -> Node<HTML.BodyContext> {
        let columns = SearchComparisonText.columns(comparison)
        let heads: [Node<HTML.TableRowContext>] = columns.map { column in
            .th(
                .attr("data-key", column.key), .attr("data-type", column.numeric ? "number" : "text"),
                .attr("aria-sort", "none"), .attr("title", "Sort by \(column.title)"), .safe(column.title))
        }
        let rows = columns[0].cells.indices.map { row -> Node<HTML.TableContext> in
            let cells: [Node<HTML.TableRowContext>] = columns.map { column in
                let value =
                    column.numeric
                    ? column.values[row].map { $0.isFinite ? $0.description : "" } ?? "" : column.cells[row]
                return .td(
                    .class(column.numeric ? "num" : "text"), .attr("data-value", value), .safe(column.cells[row]))
            }
            let kind = row < comparison.methods.count ? "method" : "baseline"
            return .tr(.attr("data-row", String(row)), .attr("data-kind", kind), .group(cells))
        }
        return .table(.id("report-table"), .class("report"), .thead(.tr(.group(heads))), .tbody(.group(rows)))
    }

    private func provenance(_ comparison: SearchComparison) -> Node<HTML.BodyContext> {
        var items: [Node<HTML.DescriptionListContext>] = [
            .dt("Database"), .dd(.code(.safe(comparison.database))),
            .dt("Command"), .dd(.pre(.code(.safe(comparison.command(format: .html))))),
        ]
        for method in comparison.methods {
            for sweep in method.sweeps {
                let run = sweep.provenance
                items.append(.dt(.safe("\(method.label): \(sweep.name)")))
                items.append(
                    .dd(
                        .div(
                            .safe(
                                "\(sweep.configurations) configurations, \(sweep.trials) trials, "
                                    + "\(sweep.curve.totalEpochs) epochs recorded; machine: \(run.machine)")),
                        run.command.map { .pre(.code(.safe($0))) }
                            ?? .span(.class("missing"), .safe("command \(SweepProvenance.notRecorded)"))))
            }
        }
        return .section(
            .id("provenance"), .h2("Where these results come from"),
            .dl(.class("provenance"), .group(items)))
    }
}
