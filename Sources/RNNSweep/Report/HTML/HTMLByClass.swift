import Foundation
import Plot
import RNNTraining

/// The "Test set by class" section of a classifier's report: each row's mean accuracy per class over its seeds
/// (one column per row), then, folded per row, every completed trial's confusion matrix with each class's accuracy.
/// Absent when no trial recorded a matrix (regression, or results from before matrices were recorded).
enum HTMLByClass {
    static func section(_ table: ReportTable, labels: [String]) -> Node<HTML.BodyContext> {
        let rows = table.rows.indices.filter { !table.rows[$0].testByClass.isEmpty }
        guard let first = rows.first.map({ table.rows[$0].testByClass[0] }) else { return .empty }
        let shared = rows.allSatisfy { table.rows[$0].testByClass.allSatisfy { $0.classNames == first.classNames } }
        return .section(
            .id("by-class"), .h2("Test set by class"),
            .p(
                .class("note-text"),
                .text(
                    "Accuracy of each class: the fraction of its test examples predicted as it (the diagonal of the "
                        + "confusion matrix over its row), mean over the completed seeds.")),
            .if(shared, summary(table, rows: rows, names: first.classNames, labels: labels)),
            .group(rows.map { details(table.rows[$0], label: labels[$0]) }))
    }

    /// Classes down, rows across: the mean per-class accuracy (every row's trials share `names`, so every mean has
    /// one entry per class).
    private static func summary(_ table: ReportTable, rows: [Int], names: [String], labels: [String])
        -> Node<HTML.BodyContext>
    {
        let means = rows.map { TestByClass.meanAccuracy(table.rows[$0].testByClass) }
        return .table(
            .class("report by-class"),
            .thead(
                .tr(
                    .th(.safe("Class")),
                    .group(rows.map { .th(.class("num"), .safe(labels[$0])) }))),
            .tbody(
                .group(
                    names.indices.map { index in
                        .tr(
                            .td(.safe(names[index])),
                            .group(means.map { mean in .td(.class("num"), .safe(percent(mean[index]))) }))
                    })))
    }

    /// One row's trials: a confusion matrix each.
    private static func details(_ row: ReportRow, label: String) -> Node<HTML.BodyContext> {
        .element(
            named: "details",
            nodes: [
                .element(named: "summary", nodes: [.safe("Confusion matrices: \(label)")]),
                .group(row.testByClass.map(matrix)),
            ])
    }

    private static func matrix(_ result: TestByClass) -> Node<HTML.BodyContext> {
        let names = result.classNames
        return .div(
            .class("confusion"),
            .p(
                .class("note-text"), .safe("seed \(result.seed), trial \(result.trialID): rows true, columns predicted")
            ),
            .table(
                .class("report confusion"), .attr("data-trial", result.trialID),
                .thead(
                    .tr(
                        .th(.safe("true \\ predicted")), .group(names.map { .th(.class("num"), .safe($0)) }),
                        .th(.class("num"), .text(Metric.accuracy.rawValue)))),
                .tbody(
                    .group(
                        result.confusion.indices.map { index in
                            .tr(
                                .th(.safe(names[index])),
                                .group(
                                    result.confusion[index].enumerated().map { column, count in
                                        .td(.class(column == index ? "num diagonal" : "num"), .safe(String(count)))
                                    }),
                                .td(.class("num"), .safe(percent(result.accuracy[index]))))
                        }))))
    }

    private static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f %%", $0 * 100) } ?? "–"
    }
}
