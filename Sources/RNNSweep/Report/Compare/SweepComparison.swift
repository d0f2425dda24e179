import RNNTraining

/// Two sweeps side by side (`report A --compare B`): their configurations matched by parameters, one metric's
/// mean ± sd (n) on each side, and per matched row the difference A − B with its 95 % Welch interval and p.
///
/// Rows are matched on the parameters both sweeps have and that vary in either (the grid point minus `seed`);
/// a configuration only one side ran is a row with the other side empty. Settings that are constant on each side
/// but differ between them (`epochs` 20 against 10) are listed, since every difference includes their effect.
public struct SweepComparison: Sendable {
    /// One sweep of the comparison.
    public struct Side: Sendable, Equatable {
        public var sweep: String
        /// The database file's name when the sweeps come from different databases, else nil.
        public var database: String?
        /// `sweep`, or `sweep (file.sqlite)`.
        public var label: String { database.map { "\(sweep) (\($0))" } ?? sweep }
    }

    /// One configuration: the matched parameters' values and each side's statistics (nil: that side has no
    /// completed trial with the metric, or did not run the configuration).
    public struct Row: Sendable {
        public var parameters: [String: ParameterValue]
        public var first: SampleStatistics?
        public var second: SampleStatistics?
        /// Trials of the configuration on each side (every status).
        public var trials: (first: Int, second: Int)
        /// Nil unless both sides have at least two values.
        public var interval: WelchInterval?
        /// Per side, why there is no mean although the side ran the configuration (`stopped`, `failed, running`);
        /// empty when it has one or did not run it.
        public var missing: (first: String, second: String) = ("", "")

        /// mean A − mean B, when both sides have a mean (with one seed on a side, without an interval).
        public var difference: Double? {
            guard let first, let second else { return nil }
            return interval?.difference ?? first.mean - second.mean
        }

        /// Whether both sweeps ran this configuration.
        public var isMatched: Bool { trials.first > 0 && trials.second > 0 }
    }

    public var first: Side
    public var second: Side
    public var metric: ReportMetric
    /// The parameters rows were matched on, A's varying keys first.
    public var matchedKeys: [String]
    /// `key: a vs b` for the settings each sweep holds constant at a different value.
    public var differingSettings: [String]
    /// A's configurations in its grid order, then those only B ran, in B's order.
    public var rows: [Row]

    /// Matches `first` and `second` (already filtered) on their shared varying parameters and compares `metric` at
    /// `epoch` (training and validation metrics; test metrics are the trial's).
    public init(
        first: ReportSource, second: ReportSource, metric: ReportMetric, epoch: ReportOptions.EpochChoice,
        databases: (String, String)? = nil
    ) {
        self.first = Side(sweep: first.sweep.name, database: databases?.0)
        self.second = Side(sweep: second.sweep.name, database: databases?.1)
        self.metric = metric
        let parameterKeys = { (source: ReportSource) in Set(source.trials.flatMap(\.params.keys)) }
        let shared = parameterKeys(first).intersection(parameterKeys(second)).subtracting(["seed"])
        var keys: [String] = []
        for key in first.sweep.varyingKeys + second.sweep.varyingKeys where shared.contains(key) && !keys.contains(key)
        {
            keys.append(key)
        }
        matchedKeys = keys
        differingSettings = shared.subtracting(keys).sorted().compactMap { key in
            let a = Set(first.trials.compactMap { $0.params[key] })
            let b = Set(second.trials.compactMap { $0.params[key] })
            guard a.count == 1, b.count == 1, a != b else { return nil }
            return "\(key): \(a.first!) vs \(b.first!)"
        }
        let groupsA = Self.group(first, keys: keys)
        let groupsB = Self.group(second, keys: keys)
        let order = groupsA.map(\.key) + groupsB.map(\.key).filter { key in !groupsA.contains { $0.key == key } }
        rows = order.map { key in
            let a = groupsA.first { $0.key == key }?.trials ?? []
            let b = groupsB.first { $0.key == key }?.trials ?? []
            let valuesA = Self.values(a, metric: metric, epoch: epoch)
            let valuesB = Self.values(b, metric: metric, epoch: epoch)
            var row = Row(
                parameters: key, first: SampleStatistics(valuesA), second: SampleStatistics(valuesB),
                trials: (a.count, b.count), interval: WelchInterval(valuesA, valuesB))
            row.missing = (
                valuesA.isEmpty ? Self.statuses(a) : "", valuesB.isEmpty ? Self.statuses(b) : ""
            )
            return row
        }
    }

    /// The trials of `source` grouped by their values of `keys`, in order of first appearance.
    private static func group(_ source: ReportSource, keys: [String]) -> [(
        key: [String: ParameterValue], trials: [ReportTrial]
    )] {
        var groups: [(key: [String: ParameterValue], trials: [ReportTrial])] = []
        for trial in source.trials {
            var key: [String: ParameterValue] = [:]
            for name in keys { key[name] = trial.params[name] }
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].trials.append(trial)
            } else {
                groups.append((key, [trial]))
            }
        }
        return groups
    }

    /// The statuses of `trials`, most serious first (`completed` when they completed without the metric).
    private static func statuses(_ trials: [ReportTrial]) -> String {
        let present = Set(trials.map(\.row.status))
        let problems = TrialStatus.problemsBySeverity.filter(present.contains).map(\.rawValue)
        return problems.isEmpty ? (trials.isEmpty ? "" : "n/a") : problems.joined(separator: ", ")
    }

    /// The metric of each completed trial that has a finite value of it.
    private static func values(_ trials: [ReportTrial], metric: ReportMetric, epoch: ReportOptions.EpochChoice)
        -> [Double]
    {
        trials.filter { $0.row.status.isGood }.compactMap { TrialMetrics($0, epoch: epoch).value(metric) }
            .filter(\.isFinite)
    }

    /// The metric a comparison reports: `--sort`, else the first of `--metrics`, else the compared metric of the
    /// sweep's default columns (test accuracy; test MAE for regression).
    public static func metric(options: ReportOptions, source: ReportSource) -> ReportMetric {
        if let sort = options.sort { return sort }
        if let first = options.metrics?.first { return first }
        return SignificanceSummary.comparedMetric(sort: nil, metrics: source.defaultMetrics)
            ?? source.defaultMetrics.last!
    }

    /// The matched configurations.
    public var matchedCount: Int { rows.filter(\.isMatched).count }

    /// How a row reads: `units 64 · cell LSTM`, or `all trials` when nothing was matched on.
    public func label(_ row: Row) -> String {
        guard !matchedKeys.isEmpty else { return "all trials" }
        return matchedKeys.map {
            "\(ParameterDisplay.header(for: $0)) \(ParameterDisplay.value(row.parameters[$0], key: $0))"
        }
        .joined(separator: " · ")
    }
}
