import RNNTraining

/// The configuration a sweep picks, and its test metric.
///
/// The rule: configurations are ranked by their value at the last epoch all their seeds reached (mean over seeds of
/// the validation metric, ``ComparedConfiguration/finalValue(_:)``), ties to the earlier configuration (ordinal
/// order). The winner is the first in that ranking with a completed seed, so a configuration that successive
/// halving stopped — it has no test metric — gives way to the best completed one. Its test metric is the mean over
/// its completed seeds.
public struct SweepWinner: Sendable, Equatable {
    /// The winner's grid point in its sweep.
    public var gridPoint: Int
    /// Its validation value at its last common epoch.
    public var value: Double
    /// Its test metric over its completed seeds.
    public var test: SampleStatistics
    /// False when a better configuration did not complete (stopped, failed) and the winner is the best completed.
    public var isBestOverall: Bool
    /// The winner's parameters (its first seed's).
    public var parameters: [String: ParameterValue]

    /// Nil when no configuration completed with the test metric.
    init?(configurations: [ComparedConfiguration], key: MetricKey) {
        let valued = configurations.enumerated().compactMap { index, configuration in
            configuration.finalValue(key).flatMap { $0.isFinite ? (index, configuration, $0) : nil }
        }
        let ranked = valued.sorted { a, b in
            a.2 != b.2 ? (key.metric.higherIsBetter ? a.2 > b.2 : a.2 < b.2) : a.0 < b.0
        }
        guard let position = ranked.firstIndex(where: { $0.1.test(key.metric) != nil }) else { return nil }
        let (_, configuration, value) = ranked[position]
        gridPoint = configuration.gridPoint
        self.value = value
        test = configuration.test(key.metric)!
        isBestOverall = position == 0
        parameters = configuration.trials[0].params
    }
}
