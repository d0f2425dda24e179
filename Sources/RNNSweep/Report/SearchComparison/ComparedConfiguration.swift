import RNNTraining

/// One configuration of a sweep as the search comparison sees it: the sweep's trials that share a grid point (its
/// seeds), in ordinal order. Its value at an epoch is the mean over its seeds of the metric there — defined only when
/// every seed recorded that epoch.
struct ComparedConfiguration: Sendable {
    var gridPoint: Int
    var trials: [ReportTrial]

    /// The sweep's trials grouped by grid point, in order of first appearance (ordinal order).
    static func group(_ trials: [ReportTrial]) -> [ComparedConfiguration] {
        var configurations: [ComparedConfiguration] = []
        var index: [Int: Int] = [:]
        for trial in trials {
            if let position = index[trial.row.gridPoint] {
                configurations[position].trials.append(trial)
            } else {
                index[trial.row.gridPoint] = configurations.count
                configurations.append(ComparedConfiguration(gridPoint: trial.row.gridPoint, trials: [trial]))
            }
        }
        return configurations
    }

    /// The mean over the seeds of `key` at `epoch`; nil when a seed has no such value (NaN when one diverged).
    func value(_ key: MetricKey, atEpoch epoch: Int) -> Double? {
        var sum = 0.0
        for trial in trials {
            guard let value = trial.epochs.first(where: { $0.epoch == epoch })?.value(key) else { return nil }
            sum += value
        }
        return sum / Double(trials.count)
    }

    /// The latest epoch every seed has recorded, from each seed's recorded epochs; nil while a seed has none.
    static func commonEpoch(_ recorded: [Set<Int>]) -> Int? {
        guard var common = recorded.first else { return nil }
        for epochs in recorded.dropFirst() { common.formIntersection(epochs) }
        return common.max()
    }

    /// The latest epoch every seed recorded, by the end of the sweep.
    var lastCommonEpoch: Int? { Self.commonEpoch(trials.map { Set($0.epochs.map(\.epoch)) }) }

    /// The value at ``lastCommonEpoch``: where the sweep left the configuration.
    func finalValue(_ key: MetricKey) -> Double? { lastCommonEpoch.flatMap { value(key, atEpoch: $0) } }

    /// The test metric of its completed seeds (mean ± sd), nil when none completed with it.
    func test(_ metric: Metric) -> SampleStatistics? {
        SampleStatistics(
            trials.filter { $0.row.status.isGood }.compactMap { $0.row.test[metric] }.filter(\.isFinite))
    }

    /// Whether every seed completed, having trained to its `epochs` (when the parameter is set).
    var trainedToTheEnd: Bool {
        trials.allSatisfy { trial in
            guard trial.row.status.isGood else { return false }
            guard let budget = trial.params["epochs"]?.intValue else { return true }
            return trial.epochs.map(\.epoch).max() == budget
        }
    }

    /// Whether `a` is better than `b` in the metric's direction (strictly; a non-finite value never is).
    static func isBetter(_ a: Double, than b: Double?, higherIsBetter: Bool) -> Bool {
        guard a.isFinite else { return false }
        guard let b, b.isFinite else { return true }
        return higherIsBetter ? a > b : a < b
    }
}
