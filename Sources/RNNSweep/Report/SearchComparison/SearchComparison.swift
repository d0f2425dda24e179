import Foundation
import RNNTraining

/// Search methods compared over several sampler seeds (`report --searches 'grid=g' --searches 'random=r1,r2,…'`):
/// each method's anytime curve (``AnytimeCurve``) averaged over its sweeps, its cost, its best validation value at
/// the end and at fixed budgets, its winners' test metric (``SweepWinner``), and the top-K-after-one-epoch baseline
/// (``TopKBaseline``) of every method that trained all its configurations to the end.
///
/// A method's curve is the mean over its sweeps of their best-so-far at each epoch count where one of them
/// improves: between improvements a sweep's best holds (step interpolation), and a sweep that ended earlier holds
/// its final value. It starts where every sweep has a value and ends at the method's largest cost.
public struct SearchComparison: Sendable {
    /// One sweep (one sampler seed) of a method.
    public struct SweepResult: Sendable {
        public var name: String
        public var curve: AnytimeCurve
        public var winner: SweepWinner?
        public var baseline: TopKBaseline?
        public var configurations: Int
        public var trials: Int
        /// The sweep's command and machine, for the page's provenance.
        public var provenance: SweepProvenance
    }

    /// The mean and spread over a method's sweeps of their best-so-far after `epochsSpent` epochs.
    public struct CurvePoint: Sendable, Equatable {
        public var epochsSpent: Int
        public var statistics: SampleStatistics
    }

    /// One method's row and curve.
    public struct MethodResult: Sendable {
        public var label: String
        public var sweeps: [SweepResult]
        public var curve: [CurvePoint]
        /// Epochs each sweep spent.
        public var epochs: SampleStatistics
        /// Each sweep's best validation value at its end; nil when a sweep has none.
        public var best: SampleStatistics?
        /// At each of ``SearchComparison/budgets``, each sweep's best so far; nil when a sweep has none yet.
        public var atBudgets: [SampleStatistics?]
        /// Each sweep's winner's test metric (sweeps without a completed configuration leave it out).
        public var test: SampleStatistics?
        /// Sweeps whose best configuration did not complete, so the winner is the best completed one.
        public var winnersNotBestOverall: Int
    }

    /// The baseline over the sweeps of one method that trained every configuration to the end.
    public struct BaselineResult: Sendable {
        /// The method it is computed from.
        public var method: String
        public var sweeps: [TopKBaseline]
        public var epochs: SampleStatistics
        /// The best value each sweep's shortcut saw (``TopKBaseline/best``).
        public var best: SampleStatistics
        /// The best final value among each sweep's kept configurations (``TopKBaseline/bestFinal``).
        public var bestFinal: SampleStatistics
        public var test: SampleStatistics?
    }

    /// The shares of ``referenceEpochs`` at which the table compares the methods.
    public static let budgetShares = [0.25, 0.5, 1.0]

    /// The database file's name, for captions.
    public var database: String
    /// The validation metric compared (its direction from ``Metric/higherIsBetter``).
    public var metric: MetricKey
    public var topK: Int
    public var methods: [MethodResult]
    public var baselines: [BaselineResult]
    /// The smallest number of epochs any compared sweep spent: the budgets are shares of it, so every sweep reached
    /// every budget.
    public var referenceEpochs: Int
    /// ``budgetShares`` of ``referenceEpochs``, rounded down (at least 1).
    public var budgets: [Int]

    /// Loads every sweep of `methods` from `store` and compares them on `metric` (nil: the validation value of the
    /// first sweep's headline metric). Throws for an unknown sweep, a label or sweep given twice, a sweep that reused
    /// another sweep's completed trials, sweeps whose settings differ, or a metric no trial recorded.
    public init(
        methods requested: [ComparedMethod], store: MetricsStore, databaseName: String, metric: MetricKey? = nil,
        topK: Int = 3
    ) throws {
        try ComparedMethod.checkDistinct(requested)
        guard topK >= 1 else { throw SearchComparisonError.badTopK(topK) }
        if let metric, metric.split != .validation { throw SearchComparisonError.badMetric(metric.reportName) }
        var loaded: [[(source: ReportSource, order: [MetricsStore.EpochRecord])]] = []
        for method in requested {
            loaded.append(
                try method.sweeps.map { name in
                    let source = try ReportSource.load(store: store, sweepName: name)
                    return (source, try store.epochRecordingOrder(sweep: source.sweep.id))
                })
        }
        let sources = loaded.flatMap { $0.map(\.source) }
        let reused = sources.compactMap { source -> (sweep: String, count: Int)? in
            let count = source.trials.filter { $0.row.notes?.contains(MetricsStore.reusedNote) == true }.count
            return count == 0 ? nil : (source.sweep.name, count)
        }
        guard reused.isEmpty else { throw SearchComparisonError.reusedTrials(reused) }
        let differences = SearchSettings.differences(sources)
        guard differences.isEmpty else { throw SearchComparisonError.differingSettings(differences) }
        let key = metric ?? MetricKey(.validation, sources[0].tasks[0].primaryMetric)
        guard sources.contains(where: { $0.trials.contains { $0.epochs.contains { $0.value(key) != nil } } }) else {
            throw SearchComparisonError.metricNotRecorded(key)
        }
        self.database = databaseName
        self.metric = key
        self.topK = topK
        let results = loaded.map { sweeps in
            sweeps.map { sweep in
                let configurations = ComparedConfiguration.group(sweep.source.trials)
                return SweepResult(
                    name: sweep.source.sweep.name,
                    curve: AnytimeCurve(configurations: configurations, order: sweep.order, key: key),
                    winner: SweepWinner(configurations: configurations, key: key),
                    baseline: TopKBaseline(configurations: configurations, key: key, k: topK),
                    configurations: configurations.count, trials: sweep.source.trials.count,
                    provenance: SweepProvenance(source: sweep.source))
            }
        }
        let reference = results.flatMap { $0.map(\.curve.totalEpochs) }.min() ?? 0
        referenceEpochs = reference
        let budgets = Self.budgetShares.map { max(1, Int((Double(reference) * $0).rounded(.down))) }
        self.budgets = budgets
        let methods = zip(requested, results).map { method, sweeps in
            func statistics(_ values: [Double?]) -> SampleStatistics? {
                let present = values.compactMap { $0 }
                return present.count == values.count ? SampleStatistics(present) : nil
            }
            return MethodResult(
                label: method.label, sweeps: sweeps, curve: Self.meanCurve(sweeps.map(\.curve)),
                epochs: SampleStatistics(sweeps.map { Double($0.curve.totalEpochs) })!,
                best: statistics(sweeps.map(\.curve.finalBest)),
                atBudgets: budgets.map { budget in statistics(sweeps.map { $0.curve.best(atEpochsSpent: budget) }) },
                test: SampleStatistics(sweeps.compactMap { $0.winner?.test.mean }),
                winnersNotBestOverall: sweeps.filter { $0.winner?.isBestOverall == false }.count)
        }
        self.methods = methods
        baselines = methods.compactMap { method in
            let sweeps = method.sweeps.compactMap(\.baseline)
            guard sweeps.count == method.sweeps.count else { return nil }
            return BaselineResult(
                method: method.label, sweeps: sweeps, epochs: SampleStatistics(sweeps.map { Double($0.epochsSpent) })!,
                best: SampleStatistics(sweeps.map(\.best))!, bestFinal: SampleStatistics(sweeps.map(\.bestFinal))!,
                test: SampleStatistics(sweeps.compactMap { $0.test?.mean }))
        }
    }

    /// The mean over `curves` at every epoch count where one of them improves, from the first count where all have
    /// a value, and at the largest cost (each curve holding its value between steps and after its end).
    static func meanCurve(_ curves: [AnytimeCurve]) -> [CurvePoint] {
        let starts = curves.map(\.firstEpochsSpent)
        guard !curves.isEmpty, !starts.contains(nil) else { return [] }
        let start = starts.compactMap { $0 }.max()!
        let end = curves.map(\.totalEpochs).max()!
        var counts = Set(curves.flatMap { $0.steps.map(\.epochsSpent) }.filter { $0 >= start })
        counts.insert(start)
        counts.insert(end)
        return counts.sorted().map { count in
            CurvePoint(
                epochsSpent: count,
                statistics: SampleStatistics(curves.map { $0.best(atEpochsSpent: count)! })!)
        }
    }

    /// The test metric that goes with the compared validation metric.
    public var testMetric: MetricKey { MetricKey(.test, metric.metric) }

    /// Every compared sweep's name, in the order given.
    public var sweepNames: [String] { methods.flatMap { $0.sweeps.map(\.name) } }

    /// The command that renders this comparison again.
    public func command(format: ReportFormat) -> String {
        var words = ["rnnsweep", "report"]
        for method in methods {
            words += [
                "--searches", ShellQuoting.quote("\(method.label)=\(method.sweeps.map(\.name).joined(separator: ","))"),
            ]
        }
        words += ["--metric", metric.reportName, "--top-k", String(topK), "--db", ShellQuoting.quote(database)]
        if format != .markdown { words += ["--format", format.rawValue] }
        return words.joined(separator: " ")
    }
}
