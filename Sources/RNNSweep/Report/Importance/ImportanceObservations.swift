import RNNTraining

/// The observations a parameter importance is fitted on: one per configuration, its parameters and the mean over its
/// seeds of the optimized metric at ONE epoch, so every value measures the same training budget.
///
/// The rule: the epoch is the highest rung (the full budget without successive halving) that at least
/// ``minimumConfigurations(columns:)`` configurations reached with a finite value — max(8, encoded columns + 2),
/// where a categorical parameter counts one column per category (the one-hot columns the forest splits on), so the
/// forest has a few samples per column. With halving, later rungs hold a third of the configurations (the best
/// ones), so an importance over them would explain the differences among the good configurations only; the lowest
/// rung every configuration reached is the usual answer (the published search: epoch 2, 27 configurations).
/// A configuration's value at that epoch is the mean over its seeds that recorded a finite value there (a seed that
/// diverged leaves the mean). Parameters that take a single value are left out (Optuna does the same).
public struct ImportanceObservations: Sendable {
    public var metric: MetricKey
    public var epoch: Int
    /// The parameters that vary, with their domains.
    public var parameters: [(key: String, domain: ParameterDomain)]
    /// Per observation, each parameter's value (in ``parameters`` order).
    public var values: [[ParameterValue]]
    public var targets: [Double]

    /// The fewest observations the rule accepts for a forest over `columns` encoded columns.
    public static func minimumConfigurations(columns: Int) -> Int { max(8, columns + 2) }

    public init(
        metric: MetricKey, epoch: Int, parameters: [(key: String, domain: ParameterDomain)],
        values: [[ParameterValue]], targets: [Double]
    ) {
        self.metric = metric
        self.epoch = epoch
        self.parameters = parameters
        self.values = values
        self.targets = targets
    }

    /// The observations of a search by the rule above; nil when no parameter varies or too few configurations
    /// reached any candidate epoch.
    public init?(_ search: SearchConfigurations) {
        let parameters = search.varied.map { (key: $0.parameter.key, domain: $0.domain) }
        guard !parameters.isEmpty else { return nil }
        let complete = search.configurations.filter { configuration in
            parameters.allSatisfy { configuration.parameters[$0.key] != nil }
        }
        let budget = search.configurations.flatMap { $0.curve.map(\.epoch) }.max()
        let candidates = search.objective.rungEpochs.isEmpty ? budget.map { [$0] } ?? [] : search.objective.rungEpochs
        let columns = parameters.reduce(0) { total, parameter in
            if case .categorical(let values) = parameter.domain { return total + values.count }
            return total + 1
        }
        for epoch in candidates.reversed() {
            let reached = complete.compactMap { configuration in
                configuration.curve.first { $0.epoch == epoch }.map { (configuration, $0.value) }
            }
            guard reached.count >= Self.minimumConfigurations(columns: columns) else { continue }
            self.init(
                metric: search.objective.metric, epoch: epoch, parameters: parameters,
                values: reached.map { item in parameters.map { item.0.parameters[$0.key]! } },
                targets: reached.map(\.1))
            return
        }
        return nil
    }

    /// The observations as the forest sees them, encoded as Optuna's `_SearchSpaceTransform(transform_log=False,
    /// transform_step=False)` does: a numeric parameter is one column of its raw value (log-uniform ones too: Optuna's
    /// fANOVA does not take logs) over the distribution's bounds; a categorical one is one-hot, a column per category
    /// over [0, 1]. `groups[p]` lists parameter p's columns.
    public func encoded() -> (rows: [[Double]], bounds: [(lower: Double, upper: Double)], groups: [[Int]]) {
        var bounds: [(lower: Double, upper: Double)] = []
        var groups: [[Int]] = []
        for parameter in parameters {
            switch parameter.domain {
            case .numeric(let lower, let upper, _):
                groups.append([bounds.count])
                bounds.append((lower, upper))
            case .categorical(let categories):
                groups.append(Array(bounds.count..<(bounds.count + categories.count)))
                bounds += categories.map { _ in (0.0, 1.0) }
            }
        }
        let rows = values.map { observation in
            var row: [Double] = []
            for (parameter, value) in zip(parameters, observation) {
                switch parameter.domain {
                case .numeric: row.append(value.numericValue ?? .nan)
                case .categorical(let categories):
                    row += categories.map { $0 == value ? 1 : 0 }
                }
            }
            return row
        }
        return (rows, bounds, groups)
    }
}
