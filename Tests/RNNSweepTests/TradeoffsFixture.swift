import Foundation
import RNNTraining

@testable import RNNSweep

/// Sweeps of hand-picked trials in one temporary store, for the Pareto and comparison tests: each trial its
/// parameters, test accuracy and seconds (completed), or a status that is not completed.
struct TradeoffsFixture {
    struct Trial {
        var params: [String: Any]
        var test: Double
        var seconds: Double
        var status: TrialStatus = .completed
    }

    let dir: StoreTemporaryDirectory
    let store: MetricsStore

    init() throws {
        dir = try StoreTemporaryDirectory()
        store = try MetricsStore.create(at: dir.file("tradeoffs.sqlite"))
    }

    /// Registers sweep `name` with `trials` (ordinal order) and records them.
    func addSweep(_ name: String, varying: [String], description: String? = nil, trials: [Trial]) throws {
        let sweep = try store.registerSweep(
            name: name, description: description, experimentPath: "\(name).yaml",
            experimentJSON: #"{"name":"x"}"#, varyingKeys: varying)
        let rows = trials.enumerated().map { index, trial in
            NewTrial(
                id: storeHexID("\(name)-\(index)"), ordinal: index, gridPoint: index,
                seed: trial.params["seed"] as? Int ?? 1, paramsJSON: storeParamsJSON(trial.params))
        }
        try store.registerTrials(sweep: sweep, trials: rows)
        for (index, trial) in trials.enumerated() {
            let id = storeHexID("\(name)-\(index)")
            try store.markStarted(sweep: sweep, trial: id, pid: 1000)
            try store.recordEpoch(
                sweep: sweep, trial: id,
                EpochMetrics(epoch: 1, loss: 0.5, accuracy: trial.test, valLoss: nil, valAccuracy: nil, seconds: 1))
            switch trial.status {
            case .completed:
                try store.markCompleted(
                    sweep: sweep, trial: id, testLoss: 0.3, testAccuracy: trial.test, seconds: trial.seconds)
            default:
                try store.markFailed(sweep: sweep, trial: id, status: .failed, signal: 9, error: "killed")
            }
        }
    }

    /// A trial of the synthetic `adding` task (2 features, 2 classes): a real data set, so `params` can be counted.
    static func adding(cell: String, units: Int, seed: Int, learningRate: Double = 0.001) -> [String: Any] {
        [
            "dataset": "adding", "cell": cell, "units": units, "seed": seed, "epochs": 1, "sequence_length": 10,
            "samples": 64, "learning_rate": learningRate, "batch_size": 16,
        ]
    }
}
