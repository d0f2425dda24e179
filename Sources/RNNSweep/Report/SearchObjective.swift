import Foundation
import RNNTraining

/// What a sweep optimized, and each configuration's value of it at the epoch the sweep decided on that
/// configuration. The leaderboard ranks by it and the search charts draw it: one definition for both.
///
/// The metric is the early-stopping rule's (by default the validation value of the task's
/// ``Task/primaryMetric``); without a rule, the validation value of the first task's headline metric, or its training value when no trial recorded a
/// validation split. A configuration stopped by halving is decided at the rung where it stopped, with the mean over
/// its seeds that the rung recorded; any other configuration at its completed seeds' selected epoch (the last, or
/// each seed's best with `--epoch best`).
public struct SearchObjective: Sendable {
    /// One searched parameter: its key and how it was drawn (`log_uniform`, `choice`, …; nil for a grid axis).
    public struct Parameter: Sendable, Equatable {
        public var key: String
        public var distribution: String?
        /// Whether a chart should draw the parameter on a log axis (`log_uniform`, `int_log_uniform`).
        public var isLogarithmic: Bool { distribution?.hasPrefix("log") == true || distribution == "int_log_uniform" }
    }

    /// Where the sweep decided on one configuration, and the value it decided on.
    public struct Outcome: Sendable, Equatable {
        /// Mean over the seeds of ``SearchObjective/metric`` at ``epoch`` (NaN when a seed diverged); nil when no seed
        /// has been decided on (running, pending, failed).
        public var value: Double?
        /// The epoch of the decision; nil with ``value``.
        public var epoch: Int?
        /// The 1-based rung at which halving stopped the configuration, nil when it was not stopped.
        public var stoppedAtRung: Int?
        /// How many seeds the value is a mean of.
        public var seeds: Int

        public var isStopped: Bool { stoppedAtRung != nil }
    }

    /// The metric the sweep optimized.
    public let metric: MetricKey
    /// The successive-halving rule the sweep ran under, nil without `early_stopping`.
    public let halving: SuccessiveHalving?
    /// The rung epochs of the halving schedule, last one the full budget; empty without halving.
    public let rungEpochs: [Int]
    /// The parameters the sweep searched or varied, in file order (the sweep's varying keys, each with its
    /// distribution when the `search:` block drew it).
    public let parameters: [Parameter]
    /// Whether the sweep searched (a `search:` block or successive halving): its report opens with the leaderboard.
    public let isSearch: Bool
    /// The rung decisions under the sweep's rule, by grid point then epoch.
    let decisions: [Int: [Int: RungRow]]

    /// Whether a better value is larger.
    public var higherIsBetter: Bool { metric.metric.higherIsBetter }

    /// The report column of the metric.
    public var reportMetric: ReportMetric { .metric(metric) }

    public init(source: ReportSource) {
        let halving = SweepDefinition.earlyStopping(inExperimentJSON: source.sweep.experimentJSON)
        let searched = Self.searchedDistributions(inExperimentJSON: source.sweep.experimentJSON)
        self.halving = halving
        let task = source.tasks[0]
        if let halving {
            metric = halving.metric
        } else {
            let validation = MetricKey(.validation, task.primaryMetric)
            let recorded = source.trials.contains { trial in trial.epochs.contains { $0.value(validation) != nil } }
            metric = recorded || source.trials.isEmpty ? validation : MetricKey(.train, task.primaryMetric)
        }
        let budget = source.trials.compactMap { $0.params["epochs"]?.intValue }.max()
        rungEpochs = halving.flatMap { rule in budget.map { rule.rungs(epochs: $0) } } ?? []
        var decisions: [Int: [Int: RungRow]] = [:]
        // Under the sweep's method: asynchronous halving and each Hyperband bracket record their own signatures.
        let signatures =
            halving.map { rule in
                (HalvingMethod.stored(inExperimentJSON: source.sweep.experimentJSON) ?? .successiveHalving).signatures(
                    rule: rule, epochs: budget ?? 0,
                    configurations: source.trials.map(\.row.gridPoint).max() ?? 0)
            } ?? []
        for row in source.rungs where signatures.contains(row.rule) {
            decisions[row.gridPoint, default: [:]][row.epoch] = row
        }
        self.decisions = decisions
        // File order (the varying keys keep it); a searched key that happened to draw one value still counts.
        let distributions = Dictionary(searched.map { ($0.key, $0.distribution) }, uniquingKeysWith: { a, _ in a })
        var parameters = source.sweep.varyingKeys.map { Parameter(key: $0, distribution: distributions[$0]) }
        for (key, distribution) in searched where !parameters.contains(where: { $0.key == key }) {
            parameters.append(Parameter(key: key, distribution: distribution))
        }
        self.parameters = parameters
        isSearch = halving != nil || !searched.isEmpty
    }

    /// The outcome of one configuration: the trials sharing its parameters (its seeds).
    public func outcome(of trials: [ReportTrial], epoch choice: ReportOptions.EpochChoice = .last) -> Outcome {
        guard let first = trials.first else { return Outcome(value: nil, epoch: nil, stoppedAtRung: nil, seeds: 0) }
        // A stopped configuration: the rung that stopped it (of its own bracket under Hyperband), with the mean it
        // was ranked on.
        if trials.contains(where: { $0.row.status == .stopped }),
            let decision = (decisions[first.row.gridPoint] ?? [:]).values.filter({ !$0.promoted }).min(by: {
                $0.epoch < $1.epoch
            })
        {
            return Outcome(
                value: decision.metric ?? .nan, epoch: decision.epoch, stoppedAtRung: decision.rung + 1,
                seeds: trials.count)
        }
        let completed = trials.filter { $0.row.status.isGood }.map { TrialMetrics($0, epoch: choice) }
        let values = completed.compactMap { $0.value(reportMetric) }
        guard !values.isEmpty else { return Outcome(value: nil, epoch: nil, stoppedAtRung: nil, seeds: 0) }
        let epochs = completed.compactMap { $0.selected?.epoch }
        return Outcome(
            value: values.reduce(0, +) / Double(values.count), epoch: epochs.max(), stoppedAtRung: nil,
            seeds: values.count)
    }

    /// The value of one trial's ``metric`` at `epoch` (a curve point), nil when it did not record it.
    public func value(of trial: ReportTrial, atEpoch epoch: Int) -> Double? {
        trial.epochs.first { $0.epoch == epoch }?.value(metric)
    }

    /// `(key, distribution)` of the `search:` block stored in the sweep's resolved experiment JSON, in key order
    /// (the resolved JSON sorts keys; file order is not kept there).
    static func searchedDistributions(inExperimentJSON json: String) -> [(key: String, distribution: String)] {
        searchSpace(inExperimentJSON: json).map { ($0.key, $0.distribution) }
    }

    /// Each searched parameter of the resolved experiment JSON with its distribution's name and arguments
    /// (`log_uniform`, `[0.0003, 0.01]`; a choice's values), in key order: the one reader of the stored block.
    static func searchSpace(inExperimentJSON json: String)
        -> [(key: String, distribution: String, arguments: [ParameterValue])]
    {
        struct Stored: Decodable {
            struct Search: Decodable { var space: [String: [String: [ParameterValue]]] }
            var search: Search?
        }
        guard let space = try? JSONDecoder().decode(Stored.self, from: Data(json.utf8)).search?.space else {
            return []
        }
        return space.keys.sorted().compactMap { key in space[key]?.first.map { (key, $0.key, $0.value) } }
    }
}
