import Plot

/// The page's "Trade-offs" section, with `--objectives`: the scatter of the first two objectives (``ParetoChart``)
/// and what the marks mean. Its few style rules travel with it, so the page's shared style needs no edit.
enum HTMLParetoSection {
    static let css = """
        .mark{fill:#8c959f;fill-opacity:.75}.mark.pareto{fill:var(--mark);fill-opacity:1}
        .front{stroke:var(--mark);stroke-width:1.5;fill:none;stroke-dasharray:4 3}svg.pareto{max-width:820px}
        """

    /// The section, or an empty node without `--objectives`.
    static func section(_ table: ReportTable, labels: [String]) -> Node<HTML.BodyContext> {
        guard let pareto = table.pareto else { return .empty }
        let chart: Node<HTML.BodyContext>
        if pareto.objectives.count >= 2 {
            let (first, second) = (pareto.objectives[0], pareto.objectives[1])
            let points = table.rows.indices.map { index in
                let row = table.rows[index]
                return ParetoPoint(
                    label: labels[index], x: row.statistics[first].map { $0.mean * first.displayScale },
                    y: row.statistics[second].map { $0.mean * second.displayScale }, optimal: pareto.optimal[index])
            }
            let svg = ParetoChart().render(
                points, xUnit: axisTitle(first), yUnit: axisTitle(second), className: "chart pareto")
            chart = .raw(svg.render())
        } else {
            chart = .p(.class("note-text"), .safe("One objective: the front is its best rows; no chart."))
        }
        let note =
            "Each mark is a row of the table (means over its completed seeds); filled marks joined by the dashed "
            + "staircase are the Pareto-optimal rows. " + pareto.footnote
        return .section(
            .id("tradeoffs"), .h2("Trade-offs"), .raw("<style>" + css + "</style>"), chart,
            .p(.class("note-text"), .safe(note)))
    }

    /// `Test Accuracy, % (higher is better)`.
    static func axisTitle(_ metric: ReportMetric) -> String {
        metric.title + " (" + (metric.higherIsBetter == true ? "higher" : "lower") + " is better)"
    }
}
