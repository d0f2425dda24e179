import Foundation
import Plot
import RNNTraining

/// Renders a sweep's report as one self-contained HTML page: no network, fonts, images or scripts from
/// elsewhere, a few lines of inline script (``HTMLScript``) and inline CSS (``HTMLStyle``), so the file opens
/// from disk in any browser and can be mailed or archived as is.
///
/// Sections: title, description and caption (the Markdown caption); a search's leaderboard (``HTMLLeaderboard``); the
/// sortable comparison table with its marks column, the significance footnote and the machine warnings (results from
/// several CPU kinds, versions or thread counts); the trade-offs (``HTMLParetoSection``) with `--objectives`;
/// the search (``HTMLSearchSection``: every configuration's curve, the metric against each parameter, parallel
/// coordinates, parameter importance) when some parameter varies;
/// learning curves, one small multiple per row; final test accuracy with error bars; a classifier's test set by
/// class (per-class accuracy, each trial's confusion matrix);
/// how the sweep ran (command, machine, wall time, experiment file). All user text is escaped (``HTMLEscaping``).
public struct HTMLRenderer: Sendable {
    public init() {}

    /// The page for `table`, built from `source` (its curves and provenance come from the source's trials).
    public func render(_ table: ReportTable, source: ReportSource) -> String {
        let trials = Dictionary(source.trials.map { ($0.row.id, $0) }, uniquingKeysWith: { first, _ in first })
        let curves = table.rows.map { row in LearningCurves(trials: row.trialIDs.compactMap { trials[$0] }) }
        let labels = table.rows.map { row in
            table.parameterColumns.isEmpty
                ? "all trials" : table.parameterColumns.map { $0.text(for: row.parameters) }.joined(separator: " · ")
        }
        let charts = HTMLCharts(table: table, curves: curves, labels: labels)
        let description = source.sweep.description.flatMap { $0.isEmpty ? nil : $0 }
        let page = HTML(
            .lang(.english),
            .head(
                .encoding(.utf8), .viewport(.accordingToDevice),
                .tag("title", [.safe("rnnsweep report: \(table.sweepName)")]),
                .style(HTMLStyle.css + HTMLSearchSection.css)),
            .body(
                .header(
                    .h1(.safe("Sweep \(table.sweepName)")),
                    .unwrap(description) { .p(.class("description"), .safe($0)) },
                    .p(.class("caption"), .safe(MarkdownRenderer().caption(table)))),
                HTMLLeaderboard.section(table),
                .section(
                    .id("results"), .h2("Results"), HTMLTable.node(table),
                    .unwrap(table.marksFootnote) { .p(.class("footnote"), .safe($0)) },
                    .group(table.warnings.map { .p(.class("warning"), .strong("Warning: "), .safe($0)) }),
                    .if(table.showsStatus, statusLegend(table))),
                HTMLParetoSection.section(table, labels: labels),
                HTMLSearchSection.section(table, source: source, labels: labels),
                .section(
                    .id("curves"), .h2("Learning curves"), curveLegend(curves),
                    .div(
                        .class("multiples"),
                        .group(
                            table.rows.indices.map {
                                figure($0, table: table, curves: curves, labels: labels, charts: charts)
                            }))),
                .section(
                    .id("test-\(table.primaryMetric.rawValue)"),
                    .h2(
                        .text(
                            "Final test \(table.primaryMetric.isFraction ? table.primaryMetric.rawValue : table.primaryMetric.title)"
                        )),
                    .raw(charts.testMetricChart(trials)),
                    .p(.class("note-text"), .safe(dotNote(table)))),
                HTMLByClass.section(table, labels: labels),
                provenanceSection(SweepProvenance(source: source)),
                .script(.raw(HTMLScript.source))))
        return page.render() + "\n"
    }

    private func figure(
        _ index: Int, table: ReportTable, curves: [LearningCurves], labels: [String], charts: HTMLCharts
    ) -> Node<HTML.BodyContext> {
        let row = table.rows[index]
        let curve = curves[index]
        let tone = row.worstProblem?.reportTone ?? .ok
        var seeds = curve.trialCount == 1 ? "1 seed" : "\(curve.trialCount) seeds"
        if !curve.completedOnly && curve.trialCount > 0 { seeds += " (not completed)" }
        return .tag(
            "figure",
            [
                .class("curve tone-\(tone.rawValue)"), .attr("data-row", String(index)),
                .tag(
                    "figcaption",
                    [
                        .span(.class("label"), .safe(labels[index])), .span(.class("seeds"), .safe(seeds)),
                        .unwrap(row.worstProblem) { _ in
                            .span(.class("badge tone-\(tone.rawValue)"), .safe(row.statusText))
                        },
                    ]),
                .raw(charts.curveChart(index)),
            ])
    }

    private func curveLegend(_ curves: [LearningCurves]) -> Node<HTML.BodyContext> {
        let validation = curves.contains { $0.series.keys.contains { $0.split == .validation } }
        return .div(
            .class("legend"),
            .span(.span(.class("key train")), .text("train (mean over seeds)")),
            .if(validation, .span(.span(.class("key val")), .text("validation"))),
            .span(.span(.class("key band")), .text("± 1 sample standard deviation over seeds")),
            .span(.text("scales shared by all charts")))
    }

    /// One badge per non-completed status present, in severity order: what the row marks mean.
    private func statusLegend(_ table: ReportTable) -> Node<HTML.BodyContext> {
        let present = TrialStatus.problemsBySeverity.filter { status in
            table.rows.contains { $0.statusCounts[status, default: 0] > 0 }
        }
        return .p(
            .class("note-text"), .text("Marked rows have trials that did not complete: "),
            .group(present.map { .span(.class("badge tone-\($0.reportTone.rawValue)"), .safe($0.rawValue)) }),
            .text(" — only completed trials enter the means."))
    }

    private func dotNote(_ table: ReportTable) -> String {
        if let significance = table.significance,
            significance.metric == .metric(MetricKey(.test, table.primaryMetric)),
            case .tested = significance.outcome
        {
            return "Dot: mean over the completed seeds; bar: ± 1 sample standard deviation. Blue: the best row (★ in "
                + "the table; the footnote of the table says which rows the seeds cannot tell from it)."
        }
        return "Dot: mean over the completed seeds; bar: ± 1 sample standard deviation. Blue: the best value."
    }

    private func provenanceSection(_ provenance: SweepProvenance) -> Node<HTML.BodyContext> {
        func recorded(_ text: String?, code: Bool) -> Node<HTML.BodyContext> {
            guard let text else { return .span(.class("missing"), .safe(SweepProvenance.notRecorded)) }
            return .pre(code ? .code(.safe(text)) : .safe(text))
        }
        var wall: String = SweepProvenance.notRecorded
        if let time = provenance.wallTime {
            wall =
                "\(SweepProvenance.duration(time.elapsedSeconds)) from the earliest trial start (\(time.firstStart)) "
                + "to the latest trial end (\(time.lastFinish)); the \(time.timedTrials) timed trials took "
                + "\(SweepProvenance.duration(time.trialSeconds)) together"
            if time.unfinished > 0 { wall += "; \(time.unfinished) trials have not finished" }
            wall += "."
        }
        return .section(
            .id("provenance"), .h2("How this sweep ran"),
            .dl(
                .class("provenance"),
                .dt("Command"), .dd(recorded(provenance.command, code: true)),
                .dt("Machine"), .dd(.id("machine"), .safe(provenance.machine)),
                .dt("Wall time"), .dd(.safe(wall)),
                .unwrap(provenance.busyFraction) { _ in .dt("Workers busy") },
                .unwrap(provenance.busyFraction) { fraction in
                    .dd(
                        .id("busy"),
                        .safe(
                            "\(WorkerBusyTime.percent(fraction)) of their time in training and evaluation steps "
                                + "(the latest run)"))
                },
                .if(!provenance.data.isEmpty, .dt("Data")),
                .if(!provenance.data.isEmpty, .dd(.group(provenance.data.map { .div(.safe($0)) }))),
                .unwrap(provenance.warmStart) { .group(.dt("Warm start"), .dd(.id("warm-start"), .safe($0))) },
                .dt("Experiment file"),
                .dd(
                    .unwrap(provenance.experimentPath) { .code(.safe($0)) },
                    recorded(provenance.experimentText, code: false))))
    }
}
