import Foundation
import RNNData
import RNNEngine
import RNNTraining

/// The trainable parameter count of each trial's model, for the `params` report metric.
///
/// A trial that started under a v8 database carries the count its worker reported (`trials.param_count`). For the
/// others (older databases, trials that never started) it is computed the way the trainer gets it: the trial's
/// parameters resolve to a
/// `TrainingConfig`, its data set is loaded for the input shape (steps, features, classes, vocabulary), and the
/// engine builds the model (`ModelArchitecture.makeModel`) whose `parameterCount` the trainer reports — one
/// definition, the one `ParameterCountTests` hold against Keras. Each data set is loaded once, each distinct model
/// built once. A trial whose data cannot be read (moved files, a relative `data_dir` read from another folder) has
/// no count, and the report says why in a warning.
enum TrialParameterCount {
    /// Fills `parameterCount` of every trial it can; returns one warning per data set it could not read.
    static func fill(_ trials: inout [ReportTrial]) -> [String] {
        var shapes: [DatasetSpec: Result<InputShape, DataError>] = [:]
        var counts: [[String: ParameterValue]: Int?] = [:]
        var warnings: [String] = []
        func appendOnce(_ warning: String) { if !warnings.contains(warning) { warnings.append(warning) } }
        for index in trials.indices {
            var identity = trials[index].params
            identity["seed"] = nil
            if let recorded = trials[index].row.parameterCount {
                trials[index].parameterCount = recorded
                counts[identity] = recorded
                continue
            }
            if let known = counts[identity] {
                trials[index].parameterCount = known
                continue
            }
            var count: Int?
            if let config = try? TrainingConfig(overrides: trials[index].params) {
                let shape =
                    shapes[config.dataset]
                    ?? Result { () throws(DataError) -> InputShape in
                        try DatasetLoader.load(config.dataset).inputShape
                    }
                if shapes[config.dataset] == nil {
                    shapes[config.dataset] = shape
                    // Specs that differ only in how the data is read (mask, scaling) name the same files: one warning.
                    if case .failure(let error) = shape {
                        appendOnce(
                            "params: cannot read the data of \(config.dataset.dataDir ?? config.dataset.name) to "
                                + "size its models (\(error)); their params are empty")
                    }
                }
                if case .success(let shape) = shape {
                    count = try? config.model(shape: shape).makeModel(maxBatch: 1, seed: config.seed).parameterCount
                }
            }
            counts[identity] = count
            trials[index].parameterCount = count
        }
        return warnings
    }
}
