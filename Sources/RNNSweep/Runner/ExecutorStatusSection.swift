import Foundation

/// An executor's part of `rnnsweep status`: the trials it holds (queued or running without a coordinator in this
/// process), its column in the trial table, and its own lines. ``SweepStatus`` shows every section the executors
/// give (``ExecutorChoice/statusSources``) and names none of them.
struct ExecutorStatusSection: Sendable {
    /// The column's header.
    var column: String
    /// The column's text by trial id, for the trials the executor holds; the other trials show `-`.
    var cells: [String: String]
    /// The line shown when no coordinator holds the sweep: `coordinator: none (detached); …`.
    var detachedLine: String
    /// Lines after the coordinator line, e.g. that the executor's controller is not answering.
    var lines: [String]
}

/// An executor that can hold a sweep's trials while no coordinator runs (a detached run), and so has a part in
/// `status`.
protocol ExecutorStatusSource {
    /// The executor's section for `sweep`, nil when it holds none of the sweep's trials. `stored` is the executor the
    /// sweep last ran with (its settings, e.g. a command timeout); `runDirectory` is the sweep's folder.
    static func statusSection(
        store: MetricsStore, sweep: SweepRow, runDirectory: URL, stored: ExecutorChoice?
    ) throws -> ExecutorStatusSection?
}
