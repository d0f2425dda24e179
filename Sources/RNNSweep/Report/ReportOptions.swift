import Foundation

/// What a report shows; the CLI's `report` flags map one to one onto these fields.
public struct ReportOptions: Sendable, Equatable {
    /// Which epoch of each trial the training/validation metrics come from.
    public enum EpochChoice: String, Sendable, CaseIterable {
        /// The last recorded epoch.
        case last
        /// The epoch with the best validation value of the task's headline metric (``Task/primaryMetric``, better as
        /// ``Metric/higherIsBetter`` says; the training value when the trial has no validation split); the earliest
        /// one on ties.
        case best
    }

    /// Parameter columns (`--rows`), overriding the sweep's varying keys; nil = varying keys in file order.
    public var rows: [String]?
    /// Metric columns (`--metrics`), in order; nil: the training and test headline metric of the sweep's task
    /// (accuracy, or MAE for regression).
    public var metrics: [ReportMetric]?
    /// `--epoch last|best`.
    public var epoch: EpochChoice
    /// `--sort METRIC`: descending for accuracies/epochs, ascending for losses, errors and seconds; nil = grid order.
    public var sort: ReportMetric?
    /// `--where key=value` filters, all of which must match.
    public var filters: [ReportFilter]
    /// `--objectives`: metrics (each with a direction) whose Pareto-optimal rows are marked (``ParetoSummary``);
    /// they are shown as columns even when `metrics` does not list them. Nil: no Pareto marks.
    public var objectives: [ReportMetric]?
    /// `--all-trials`: the superseded trials too (an edited experiment file no longer has them), in rows of
    /// their own marked `superseded`; by default only the trials of the sweep's current definition.
    public var allTrials = false

    public init(
        rows: [String]? = nil, metrics: [ReportMetric]? = nil, epoch: EpochChoice = .last,
        sort: ReportMetric? = nil, filters: [ReportFilter] = []
    ) {
        self.rows = rows
        self.metrics = metrics
        self.epoch = epoch
        self.sort = sort
        self.filters = filters
    }
}

/// One `--where key=value` filter. Matching is typed: numbers compare numerically (`0.20` matches 0.2),
/// strings case-insensitively (`LSTM` matches `lstm`), booleans as `true`/`false`. `seed` is always a valid key.
public struct ReportFilter: Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Parses `key=value` (the value may itself contain `=`).
    public static func parse(_ text: String) throws -> ReportFilter {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ReportError.badFilter(text)
        }
        return ReportFilter(
            key: String(text[..<equals]).trimmingCharacters(in: .whitespaces),
            value: String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces))
    }

    public var description: String { "\(key)=\(value)" }
}
