import Foundation
import RNNTraining

/// The per-epoch metrics and seconds of every trial of a sweep that trained every epoch (no early stopping), grouped
/// by configuration: what the simulator replays.
public struct RecordedCurves: Sendable {
    /// One recorded configuration (grid point): its trials in seed order.
    public struct Configuration: Sendable {
        public var gridPoint: Int
        public var trials: [TrialSpec]
        /// Each trial's epochs 1 … `epochs`, by trial id.
        public var curves: [String: [EpochMetrics]]
    }

    public var sweep: String
    /// In grid-point order.
    public var configurations: [Configuration]
    /// Every trial's epochs.
    public var epochs: Int
    /// The metric halving would rank by, as the sweep's own `early_stopping:` says, else the task's validation metric.
    public var metric: MetricKey
    /// The sweep's own halving rule, if it had one (for defaults).
    public var storedRule: SuccessiveHalving?

    /// Reads `sweep` from `store`. Throws `SimulationError` when a trial did not train every epoch.
    public static func load(store: MetricsStore, sweep name: String) throws -> RecordedCurves {
        guard let row = try store.sweep(named: name) else { throw SimulationError("no sweep named '\(name)'") }
        let rows = try store.trials(sweep: row.id).filter { !$0.isSuperseded }
        let epochsByTrial = try store.epochsByTrial(sweep: row.id)
        var byPoint: [Int: Configuration] = [:]
        var epochCounts = Set<Int>()
        for trialRow in rows {
            let parameters = try JSONDecoder().decode(TrainingParameters.self, from: Data(trialRow.paramsJSON.utf8))
            var trial = TrialSpec(ordinal: trialRow.ordinal, parameters: parameters, gridPoint: trialRow.gridPoint)
            trial.id = trialRow.id
            let epochs = parameters.int("epochs")
            let curve = epochsByTrial[trialRow.id] ?? []
            guard curve.count == epochs, curve.enumerated().allSatisfy({ $0.element.epoch == $0.offset + 1 }) else {
                throw SimulationError(
                    "trial #\(trialRow.ordinal) of sweep '\(name)' has \(curve.count) of its \(epochs) epochs recorded; "
                        + "the simulator replays sweeps that trained every epoch of every trial")
            }
            epochCounts.insert(epochs)
            byPoint[trialRow.gridPoint, default: Configuration(gridPoint: trialRow.gridPoint, trials: [], curves: [:])]
                .trials.append(trial)
            byPoint[trialRow.gridPoint]!.curves[trial.id] = curve
        }
        guard epochCounts.count == 1, let epochs = epochCounts.first else {
            throw SimulationError(
                "sweep '\(name)' has " + (rows.isEmpty ? "no trials" : "trials of different epochs")
                    + "; the simulator needs one number of epochs")
        }
        let configurations = byPoint.keys.sorted().map { point in
            var configuration = byPoint[point]!
            configuration.trials.sort { ($0.seed, $0.ordinal) < ($1.seed, $1.ordinal) }
            return configuration
        }
        let stored = SweepDefinition.earlyStopping(inExperimentJSON: row.experimentJSON)
        let first = configurations[0].curves[configurations[0].trials[0].id]![0]
        let metric =
            stored?.metric
            ?? (first.validation?[.accuracy] != nil ? MetricKey(.validation, .accuracy) : MetricKey(.validation, .mae))
        guard first.value(metric) != nil else {
            throw SimulationError("sweep '\(name)' recorded no \(metric.recordName); the simulator ranks on it")
        }
        return RecordedCurves(
            sweep: name, configurations: configurations, epochs: epochs, metric: metric, storedRule: stored)
    }
}

/// Why a simulation cannot run.
public struct SimulationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
