import RNNTraining

/// A sweep's best validation metric so far against the epochs it has spent (its "anytime" performance).
///
/// The rule: the sweep's epoch rows are replayed in the order they were recorded (the `epochs` table's rowid
/// order, ``MetricsStore/epochRecordingOrder(sweep:)``); every row counts one epoch spent, whatever its trial's
/// fate. After each row, the configuration of its trial has a value when all its seeds have recorded a common
/// epoch: the mean over its seeds of the metric at the latest such epoch. The curve is the best value any
/// configuration has had so far (in the metric's direction; a non-finite mean, from a diverged seed, never
/// counts), and it steps only where that improves. Only the trials of the sweep's current definition count.
public struct AnytimeCurve: Sendable, Equatable {
    /// An improvement: after `epochsSpent` epochs the best so far became `best`.
    public struct Step: Sendable, Equatable {
        public var epochsSpent: Int
        public var best: Double

        public init(epochsSpent: Int, best: Double) {
            self.epochsSpent = epochsSpent
            self.best = best
        }
    }

    /// The improvements, in order of epochs spent.
    public var steps: [Step]
    /// Every epoch the sweep recorded.
    public var totalEpochs: Int

    public init(steps: [Step], totalEpochs: Int) {
        self.steps = steps
        self.totalEpochs = totalEpochs
    }

    /// Replays `order` over `configurations`, tracking `key`.
    init(configurations: [ComparedConfiguration], order: [MetricsStore.EpochRecord], key: MetricKey) {
        var place: [String: (configuration: Int, seed: Int)] = [:]
        for (index, configuration) in configurations.enumerated() {
            for (seed, trial) in configuration.trials.enumerated() { place[trial.row.id] = (index, seed) }
        }
        var recorded = configurations.map { Array(repeating: Set<Int>(), count: $0.trials.count) }
        var steps: [Step] = []
        var spent = 0
        for record in order {
            guard let (configuration, seed) = place[record.trial] else { continue }
            spent += 1
            recorded[configuration][seed].insert(record.epoch)
            guard let epoch = ComparedConfiguration.commonEpoch(recorded[configuration]),
                let value = configurations[configuration].value(key, atEpoch: epoch),
                ComparedConfiguration.isBetter(
                    value, than: steps.last?.best, higherIsBetter: key.metric.higherIsBetter)
            else { continue }
            steps.append(Step(epochsSpent: spent, best: value))
        }
        self.init(steps: steps, totalEpochs: spent)
    }

    /// The best so far after `epochsSpent` epochs (held after the sweep's end); nil before the first value.
    public func best(atEpochsSpent epochsSpent: Int) -> Double? {
        steps.last { $0.epochsSpent <= epochsSpent }?.best
    }

    /// The best value the sweep reached.
    public var finalBest: Double? { steps.last?.best }

    /// The epochs spent when the first value existed.
    public var firstEpochsSpent: Int? { steps.first?.epochsSpent }
}
