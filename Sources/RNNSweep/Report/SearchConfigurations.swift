import RNNTraining

/// One configuration as the search charts see it: a row of the report table (its seeds folded), the sweep's
/// decided value for it (``SearchObjective/Outcome``) and its validation curve of the optimized metric.
public struct SearchConfiguration: Sendable {
    /// The row's index in the table (the charts' `data-config`).
    public var row: Int
    /// The row's label, as the learning curves name it.
    public var label: String
    public var parameters: [String: ParameterValue]
    public var outcome: SearchObjective.Outcome
    /// Per epoch, the mean over the seeds that recorded a finite value of ``SearchObjective/metric``; a stopped
    /// configuration's curve ends at its rung, since its trials stopped there.
    public var curve: [(epoch: Int, value: Double)]
}

/// The configurations of a report with what the sweep optimized: the input of the search section.
public struct SearchConfigurations: Sendable {
    public var objective: SearchObjective
    public var configurations: [SearchConfiguration]
    /// Per searched or varied parameter, its domain over these configurations.
    public var domains: [(parameter: SearchObjective.Parameter, domain: ParameterDomain)]

    public init(table: ReportTable, source: ReportSource, labels: [String], epoch: ReportOptions.EpochChoice) {
        let objective = SearchObjective(source: source)
        let trials = Dictionary(source.trials.map { ($0.row.id, $0) }, uniquingKeysWith: { first, _ in first })
        configurations = table.rows.indices.map { index in
            let rowTrials = table.rows[index].trialIDs.compactMap { trials[$0] }
            var sums: [Int: (sum: Double, count: Int)] = [:]
            for trial in rowTrials {
                for record in trial.epochs {
                    guard let value = record.value(objective.metric), value.isFinite else { continue }
                    sums[record.epoch, default: (0, 0)].sum += value
                    sums[record.epoch, default: (0, 0)].count += 1
                }
            }
            return SearchConfiguration(
                row: index, label: labels[index], parameters: table.rows[index].parameters,
                outcome: objective.outcome(of: rowTrials, epoch: epoch),
                curve: sums.keys.sorted().map { ($0, sums[$0]!.sum / Double(sums[$0]!.count)) })
        }
        domains = objective.parameters.map { parameter in
            let observed = table.rows.map { $0.parameters[parameter.key] }
            return (
                parameter,
                ParameterDomain.of(parameter, experimentJSON: source.sweep.experimentJSON, observed: observed)
            )
        }
        self.objective = objective
    }

    /// The parameters that take more than one value: the ones the charts and the importance show.
    public var varied: [(parameter: SearchObjective.Parameter, domain: ParameterDomain)] {
        domains.filter { !$0.domain.isSingle }
    }

    /// The best configuration among those that ran to the end (not stopped by halving) with a finite value.
    public var winner: Int? {
        let candidates = configurations.filter { !$0.outcome.isStopped && $0.outcome.value?.isFinite == true }
        let best =
            objective.higherIsBetter
            ? candidates.max { $0.outcome.value! < $1.outcome.value! }
            : candidates.min { $0.outcome.value! < $1.outcome.value! }
        return best?.row
    }
}
