import Foundation
import Plot
import RNNTraining

/// The "The search" section (`id="search"`): pictures of what the sweep optimized (``SearchObjective``) across its
/// configurations — every validation curve with the halving rungs, the metric against each parameter, parallel
/// coordinates, and the parameter importance (``ParameterImportance``). Present whenever some parameter varies and
/// there are at least two configurations, for grids as for searches.
enum HTMLSearchSection {
    static func section(_ table: ReportTable, source: ReportSource, labels: [String]) -> Node<HTML.BodyContext> {
        let search = SearchConfigurations(table: table, source: source, labels: labels, epoch: table.epochChoice)
        let varied = search.varied
        guard !varied.isEmpty, search.configurations.count >= 2 else { return .empty }
        let objective = search.objective
        let scale = objective.metric.metric.isFraction ? 100.0 : 1
        let metricTitle = objective.metric.metric.isFraction ? "\(objective.metric), %" : "\(objective.metric)"
        let winner = search.winner
        let curves = search.configurations.map { configuration in
            SearchCurve(
                config: configuration.row, label: configuration.label,
                points: configuration.curve.map { (Double($0.epoch), $0.value * scale) },
                stopped: configuration.outcome.isStopped, winner: configuration.row == winner)
        }
        let values = search.configurations.map { ($0.outcome.value ?? .nan) * scale }
        let finite = values.filter(\.isFinite)
        let valueDomain = NiceTicks.niceDomain(finite.min() ?? 0, finite.max() ?? 1, count: 4)
        let scatters = varied.map { item in
            ParameterScatterChart().render(
                key: item.parameter.key, domain: item.domain,
                points: search.configurations.map { configuration in
                    ScatterPoint(
                        config: configuration.row, label: configuration.label,
                        parameter: configuration.parameters[item.parameter.key],
                        value: values[configuration.row], stopped: configuration.outcome.isStopped)
                }, yDomain: valueDomain
            ).render()
        }
        let parallel = ParallelCoordinatesChart().render(
            axes: varied.map { (key: $0.parameter.key, domain: $0.domain) },
            lines: search.configurations.map { configuration in
                ParallelLine(
                    config: configuration.row, label: configuration.label,
                    parameters: varied.map { configuration.parameters[$0.parameter.key] },
                    value: values[configuration.row])
            }, metricTitle: metricTitle, metricDomain: valueDomain, higherIsBetter: objective.higherIsBetter)
        return .section(
            .id("search"), .h2("The search"),
            .p(.class("note-text"), .safe(curvesNote(search))),
            .raw(
                SearchCurvesChart().render(
                    curves, rungEpochs: objective.rungEpochs, yTitle: metricTitle, className: "chart search-curves"
                ).render()),
            .h3(.safe("\(objective.metric) against each parameter")),
            .p(.class("note-text"), .safe(scatterNote(search))),
            .div(.class("scatters"), .group(scatters.map { .raw($0) })),
            .h3("Parallel coordinates"),
            .p(
                .class("note-text"),
                .safe(
                    "One line per configuration through its parameters to its \(objective.metric) (the same values as "
                        + "above), coloured by it; the better configurations lie on top, grey ones have no value.")),
            .raw(parallel.render()),
            importance(search))
    }

    private static func curvesNote(_ search: SearchConfigurations) -> String {
        var text =
            "\(search.objective.metric) of every configuration by epoch (mean over its seeds), the metric the sweep "
            + (search.objective.isSearch ? "optimized" : "compares")
        if !search.objective.rungEpochs.isEmpty {
            text +=
                "; vertical lines: the successive-halving rungs. A configuration halving stopped ends at its rung "
                + "(grey), the ones that went on run to the end"
        }
        return text + (search.winner == nil ? "." : "; the best of those that ran to the end is drawn thick and blue.")
    }

    private static func scatterNote(_ search: SearchConfigurations) -> String {
        let epochs = Set(search.configurations.compactMap(\.outcome.epoch))
        let at =
            epochs.count == 1
            ? "at epoch \(epochs.first!)"
            : "at the epoch each was decided on (epochs \(epochs.min() ?? 0)–\(epochs.max() ?? 0))"
        let stopped = search.configurations.contains { $0.outcome.isStopped }
        return "One point per configuration: its \(search.objective.metric), mean over its seeds, \(at)."
            + (stopped ? " Hollow grey: stopped by successive halving; filled: ran to the end." : "")
            + (search.varied.contains { $0.domain.isLogarithmic }
                ? " Log scale where the parameter was drawn log-uniformly." : "")
    }

    private static func importance(_ search: SearchConfigurations) -> Node<HTML.BodyContext> {
        guard let observations = ImportanceObservations(search) else {
            return .group(
                .h3("Parameter importance"),
                .p(
                    .class("note-text"),
                    .safe(
                        "Not computed: too few configurations reached a common epoch (fANOVA needs at least 8, and two "
                            + "more than the parameters' encoded columns).")))
        }
        let importance = ParameterImportance(observations)
        let rows = importance.ranking.map {
            (key: $0.key, name: ParameterDisplay.header(for: $0.key), importance: $0.importance)
        }
        return .group(
            .h3("Parameter importance"),
            .raw(ImportanceBarChart().render(rows).render()),
            .p(
                .class("note-text"),
                .safe(
                    importance.caption.prefix(1).uppercased() + importance.caption.dropFirst() + ". The share of the "
                        + "variance of the forest's prediction that each parameter explains alone (Hutter et al. 2014, "
                        + "as Optuna's FanovaImportanceEvaluator); the mean over seeds at that one epoch, so every "
                        + "configuration is measured on the same budget.")))
    }

    static let css = """
        h3{font-size:15px;margin:18px 0 6px}
        svg.search-curves{max-width:900px}svg.parallel{max-width:1000px}svg.importance{max-width:680px}
        .scatters{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:8px;max-width:1320px}
        .search-curve{fill:none;stroke-width:1.4;stroke-linejoin:round;stroke-linecap:round}
        .search-curve.completed{stroke:var(--train);opacity:.55}
        .search-curve.stopped{stroke:#8c959f;opacity:.55}
        .search-curve.winner{stroke:var(--mark);stroke-width:3.2}.search-curve.single{stroke-width:6}
        .rung-line{stroke:#b6bcc3;stroke-width:1;stroke-dasharray:4 3;fill:none}
        .rung-label{font-size:10.5px;fill:var(--muted)}
        .search-point{stroke-width:1.5}.search-point.completed{fill:var(--train);stroke:var(--train)}
        .search-point.stopped{fill:#fff;stroke:#8c959f}
        .search-line{fill:none;stroke-width:1.6;opacity:.85}
        .halo{paint-order:stroke;stroke:#fff;stroke-width:3px}
        .importance-bar{fill:var(--mark)}.bar-value{font-size:11px;fill:var(--ink)}

        """
}
