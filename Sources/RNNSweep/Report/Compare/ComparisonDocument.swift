import Foundation

extension ReportDocument {
    /// Where the sweep to compare with is: its name (nil: with another database, the sweep of A's name there, else
    /// that database's only sweep) and that database (nil: A's).
    public struct ComparisonTarget: Sendable {
        public var sweep: String?
        public var store: MetricsStore?
        /// The other database's file name, for captions.
        public var databaseName: String?

        public init(sweep: String?, store: MetricsStore?, databaseName: String?) {
            self.sweep = sweep
            self.store = store
            self.databaseName = databaseName
        }
    }

    /// `report A --compare B [--compare-db OTHER]` rendered in `format`. `--where` filters apply to both sweeps;
    /// `--sort` or the first of `--metrics` picks the metric (``SweepComparison/metric(options:source:)``).
    public static func comparison(
        store: MetricsStore, sweep: String, databaseName: String, with target: ComparisonTarget,
        format: ReportFormat, options: ReportOptions
    ) throws -> String {
        let otherStore = target.store ?? store
        let otherName: String
        if let name = target.sweep {
            otherName = name
        } else if target.store == nil {
            throw ReportError.badComparison("name the sweep to compare with, or give --compare-db")
        } else if try otherStore.sweep(named: sweep) != nil {
            otherName = sweep
        } else {
            otherName = try sweepName(nil, store: otherStore)
        }
        var first = try ReportSource.load(
            store: store, sweepName: sweep, filters: options.filters, allTrials: options.allTrials)
        var second = try ReportSource.load(
            store: otherStore, sweepName: otherName, filters: options.filters, allTrials: options.allTrials)
        let metric = SweepComparison.metric(options: options, source: first)
        if metric == .params {
            _ = TrialParameterCount.fill(&first.trials)
            _ = TrialParameterCount.fill(&second.trials)
        }
        let comparison = SweepComparison(
            first: first, second: second, metric: metric, epoch: options.epoch,
            databases: target.store == nil ? nil : (databaseName, target.databaseName ?? "other database"))
        switch format {
        case .markdown: return ComparisonMarkdown().render(comparison)
        case .csv: return ComparisonCSV().render(comparison)
        case .json: return try ComparisonJSON().render(comparison)
        case .html: return ComparisonHTML().render(comparison)
        }
    }
}
