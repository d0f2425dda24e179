/// The report model: one row per grid point (seeds folded). Renderers turn it into Markdown, CSV or JSON.
public struct ReportTable: Sendable {
    public var sweepName: String
    /// Dataset name when known (a `dataset` parameter, or the experiment's `dataset`).
    public var dataset: String?
    /// Epoch budget when known (`epochs` parameter; `5–10` when it varies).
    public var epochs: String?
    /// Model and optimizer settings every trial shares and no column shows, for the caption: `SimpleRNN`,
    /// `256 units`, `Adam (learning rate 0.001)`, `batch 128` — so a pasted table says what it compares.
    public var fixedSettings: [String] = []
    /// Number of distinct seeds among the reported trials.
    public var seedCount: Int
    public var epochChoice: ReportOptions.EpochChoice
    public var parameterColumns: [ParameterColumn]
    /// Raw keys of the parameter columns, for CSV/JSON headers.
    public var parameterKeys: [String]
    public var metrics: [ReportMetric]
    /// Whether Markdown shows the `n` column (some row folds several trials).
    public var showsCount: Bool
    /// Whether Markdown shows the `Status` column (some trial is not completed).
    public var showsStatus: Bool
    public var rows: [ReportRow]
}

/// One grid point: the trials that share all parameters except `seed`.
public struct ReportRow: Sendable {
    /// Parameters of the row's first trial (identical across the row except for `seed`).
    public var parameters: [String: ParamScalar]
    /// Statistics over the completed trials that have the metric; absent when none has it.
    public var statistics: [ReportMetric: SampleStatistics]
    public var trialCount: Int
    /// Completed trials (the `n` of the means).
    public var completedCount: Int
    public var statusCounts: [TrialStatus: Int]

    /// Non-completed statuses, most serious first (listing order and tie-break).
    static let problemOrder: [TrialStatus] = [.failed, .diverged, .interrupted, .running, .pending]

    /// The most frequent non-completed status (failed before diverged, interrupted, running, pending on ties).
    public var dominantProblem: TrialStatus? {
        var best: TrialStatus?
        for status in Self.problemOrder {
            let count = statusCounts[status, default: 0]
            if count > 0, count > best.map({ statusCounts[$0, default: 0] }) ?? 0 { best = status }
        }
        return best
    }

    /// `completed`, `failed` (all trials in one status) or e.g. `failed (1 of 3 seeds)`: each non-completed
    /// status with its count, most serious first, `; `-separated.
    public var statusText: String {
        let present = TrialStatus.allCases.filter { statusCounts[$0, default: 0] > 0 }
        if present.count == 1 { return present[0].rawValue }
        return Self.problemOrder.filter { statusCounts[$0, default: 0] > 0 }
            .map { "\($0.rawValue) (\(statusCounts[$0]!) of \(trialCount) seeds)" }
            .joined(separator: "; ")
    }

    /// The text of a metric cell with no statistics: the dominant problem, or `n/a` when every trial
    /// completed but none recorded the metric (e.g. no validation split).
    public var missingText: String { completedCount == 0 ? (dominantProblem?.rawValue ?? "n/a") : "n/a" }
}
