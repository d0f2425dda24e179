import RNNTraining

/// The report model: one row per grid point (seeds folded). Renderers turn it into Markdown, CSV or JSON.
public struct ReportTable: Sendable {
    public var sweepName: String
    /// Dataset name when known (a `dataset` parameter, or the experiment's `dataset`).
    public var dataset: String?
    /// The data file or folder every trial read (``ReportDataFile``), for the caption.
    public var dataFile: String?
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
    /// The headline metric of the sweep's (first) task: accuracy, or MAE for regression; the charts draw it.
    public var primaryMetric: Metric = .accuracy
    /// Whether Markdown shows the `n` column (some row folds several trials).
    public var showsCount: Bool
    /// Whether Markdown shows the `Status` column (some trial is not completed).
    public var showsStatus: Bool
    public var rows: [ReportRow]
    /// Which differences in the compared metric are real; nil when no shown metric has a direction.
    public var significance: SignificanceSummary?
    /// Where the reported trials ran (``MachineSummary``).
    public var machines: MachineSummary
    /// One line per CPU kind, version or thread count mix that no row key shows (empty when the results come from
    /// one of each): Markdown and HTML print them, the CLI repeats them on stderr for CSV and JSON.
    public var machineWarnings: [String] = []
    /// The machine keys of ``machineWarnings`` (`cpu`, `build`, `threads`): CSV and JSON add a column for each, with
    /// ``ReportRow/machines``.
    public var machineColumns: [String] = []
    /// What the data says about the results (``DataVersionsUsed/lines``: the data changed between runs; a
    /// validation split missing a class): printed like ``machineWarnings``.
    public var dataWarnings: [String] = []
    /// The rows on the Pareto front of `--objectives`; nil without them.
    public var pareto: ParetoSummary?
    /// The ranked answer a search or halving sweep opens with (``Leaderboard``); nil for a grid.
    public var leaderboard: Leaderboard?

    /// Every warning the caption carries: the data's, then the machines'.
    public var warnings: [String] { dataWarnings + machineWarnings }

    /// The column header of `metric`: its ``ReportMetric/title``, with `(last epoch)` on a test metric when the other
    /// metrics come from each trial's best epoch (`Test Accuracy (last epoch), %`): the test set is measured once,
    /// on the final model.
    public func title(of metric: ReportMetric) -> String {
        guard epochChoice == .best, let key = metric.key, key.split == .test else { return metric.title }
        return "Test \(key.metric.title) (last epoch)" + (key.metric.isFraction ? ", %" : "")
    }

    /// Whether the cell of `metric` in row `index` carries the mark of the best (bold). In the compared column of a
    /// tested table: the best row only (its ties read `≈`, ``marksText(row:)``). Elsewhere: the best value as
    /// displayed, when at least two rows have a finite one (several rows when they display the same text).
    public func isMarkedBest(row index: Int, metric: ReportMetric) -> Bool {
        if let significance, significance.metric == metric, case .tested = significance.outcome {
            return rows[index].versusBest == .best
        }
        guard let higher = metric.higherIsBetter, let statistics = rows[index].statistics[metric] else { return false }
        let finite = rows.compactMap { $0.statistics[metric] }.filter { $0.mean.isFinite }
        guard finite.count >= 2,
            let best = higher ? finite.max(by: { $0.mean < $1.mean }) : finite.min(by: { $0.mean < $1.mean })
        else { return false }
        return MetricText.mean(statistics, metric) == MetricText.mean(best, metric)
    }
}

/// One grid point: the trials that share all parameters except `seed`.
public struct ReportRow: Sendable {
    /// Parameters of the row's first trial (identical across the row except for `seed`).
    public var parameters: [String: ParameterValue]
    /// Statistics over the completed trials that have the metric; absent when none has it.
    public var statistics: [ReportMetric: SampleStatistics]
    public var trialCount: Int
    /// Completed trials (the `n` of the means).
    public var completedCount: Int
    public var statusCounts: [TrialStatus: Int]
    /// The row's trials (every status), in ordinal order: the seeds of its learning curves.
    public var trialIDs: [String] = []
    /// The last epoch of the row's trials stopped by successive halving (where they stopped), if any.
    public var stoppedAtEpoch: Int?
    /// How patience stopped the row's completed trials (``PatienceEnding/text``), or nil when it stopped none.
    public var patienceText: String?
    /// The compared metric against the best row (``SignificanceSummary``).
    public var versusBest: VersusBest = .notCompared
    /// The compared metric's difference from the best row, its interval and the seeds that would resolve it; nil for
    /// the best row and rows not compared (``BestContrast``).
    public var contrast: BestContrast?
    /// The majority-class rate of the row's test set (``ChanceLevel``), from its first completed trial's test
    /// confusion matrix; nil for regression and trials that did not record one.
    public var chanceLevel: Double?
    /// Per key of ``ReportTable/machineColumns``, where the row's trials ran (``MachineSummary/cell(_:)``).
    public var machines: [String: String] = [:]
    /// The test set by class of each completed trial that recorded it (classifiers), in ordinal order.
    public var testByClass: [TestByClass] = []
    /// In a search table: what the sweep decided on the row (``SearchObjective/Outcome``) and its 1-based position
    /// on the ``Leaderboard``; nil in a grid table.
    public var objective: SearchObjective.Outcome?
    public var rank: Int?

    /// Non-completed statuses, most serious first (listing order and tie-break).
    static var problemOrder: [TrialStatus] { TrialStatus.problemsBySeverity }

    /// The most serious non-completed status present (the row's mark in HTML), nil when all completed.
    public var worstProblem: TrialStatus? { Self.problemOrder.first { statusCounts[$0, default: 0] > 0 } }

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
        func name(_ status: TrialStatus) -> String {
            if status == .completed, let patienceText { return "completed, \(patienceText)" }
            return status == .stopped ? "stopped" + (stoppedAtEpoch.map { " at epoch \($0)" } ?? "") : status.rawValue
        }
        let present = TrialStatus.allCases.filter { statusCounts[$0, default: 0] > 0 }
        if present.count == 1 { return name(present[0]) }
        return Self.problemOrder.filter { statusCounts[$0, default: 0] > 0 }
            .map { "\(name($0)) (\(statusCounts[$0]!) of \(trialCount) seeds)" }
            .joined(separator: "; ")
    }

    /// The text of a metric cell with no statistics: the dominant problem, or `n/a` when every trial
    /// completed but none recorded the metric (e.g. no validation split).
    public var missingText: String {
        guard completedCount == 0, let problem = dominantProblem else { return "n/a" }
        return problem == .stopped ? statusText.components(separatedBy: " (")[0] : problem.rawValue
    }
}
