import RNNTraining

/// The "top-K after one epoch" baseline (Egele et al., arXiv 2307.15422) on one sweep that trained every
/// configuration to the end: had it trained all N configurations for one epoch, kept the K best by the validation
/// metric after epoch 1 (mean over seeds; ties to the earlier configuration) and trained only those to the end, it
/// would have picked the one of those K best at its last epoch (the winner rule of ``SweepWinner``), at a cost of
/// N×1 + K×(R−1) epochs per seed (R: each kept configuration's last epoch; every seed's epochs count, as on the
/// curves' x axis). Its ``best`` is the best value it would have seen by the curves' rule — epoch 1 of every
/// configuration and every epoch of the kept ones — so that it compares with the methods' best so far.
public struct TopKBaseline: Sendable, Equatable {
    /// How many configurations were kept (K, or N when the sweep has fewer).
    public var kept: Int
    /// The configurations ranked after epoch 1.
    public var configurations: Int
    /// Epochs the shortcut would have spent.
    public var epochsSpent: Int
    /// The best value seen: epoch 1 of every configuration, every epoch of the kept ones (mean over seeds).
    public var best: Double
    /// The best final validation value among the kept configurations: the pick.
    public var bestFinal: Double
    /// That configuration's test metric over its seeds.
    public var test: SampleStatistics?
    /// That configuration's grid point.
    public var gridPoint: Int

    /// Nil unless every configuration trained to the end and has a finite value after epoch 1.
    init?(configurations: [ComparedConfiguration], key: MetricKey, k: Int) {
        guard !configurations.isEmpty, configurations.allSatisfy(\.trainedToTheEnd) else { return nil }
        var first: [(index: Int, value: Double)] = []
        for (index, configuration) in configurations.enumerated() {
            guard let value = configuration.value(key, atEpoch: 1), value.isFinite else { return nil }
            first.append((index, value))
        }
        let higher = key.metric.higherIsBetter
        let ranked = first.sorted { a, b in
            a.value != b.value ? (higher ? a.value > b.value : a.value < b.value) : a.index < b.index
        }
        let top = ranked.prefix(k).map { configurations[$0.index] }
        var winner: (configuration: ComparedConfiguration, value: Double)?
        for configuration in top {
            guard let value = configuration.finalValue(key),
                ComparedConfiguration.isBetter(value, than: winner?.value, higherIsBetter: higher)
            else { continue }
            winner = (configuration, value)
        }
        guard let winner else { return nil }
        kept = top.count
        self.configurations = configurations.count
        epochsSpent =
            configurations.reduce(0) { $0 + $1.trials.count }
            + top.reduce(0) { $0 + $1.trials.count * (($1.lastCommonEpoch ?? 1) - 1) }
        bestFinal = winner.value
        var seen = first.map(\.value)
        for configuration in top {
            for epoch in 1...(configuration.lastCommonEpoch ?? 1) {
                if let value = configuration.value(key, atEpoch: epoch) { seen.append(value) }
            }
        }
        best = seen.reduce(winner.value) { best, value in
            ComparedConfiguration.isBetter(value, than: best, higherIsBetter: higher) ? value : best
        }
        test = winner.configuration.test(key.metric)
        gridPoint = winner.configuration.gridPoint
    }
}
