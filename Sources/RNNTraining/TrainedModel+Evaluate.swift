import RNNData
import RNNEngine

/// Which examples of the data `predict` and `evaluate` run on.
public enum InferenceSplit: String, CaseIterable, Sendable {
    case train, validation, test
    /// Train, then validation, then test, as one set.
    case all
}

extension TrainedModel {
    /// The sets of `split` in `data`, in order; a missing validation split is an error naming why.
    public func sets(of data: DatasetSplits, split: InferenceSplit) throws(InferenceError) -> [SequenceSet] {
        switch split {
        case .train: return [data.train]
        case .test: return [data.test]
        case .validation:
            guard let validation = data.validation else {
                throw .dataMismatch(
                    "there is no validation split (the trial's validation_split is 0 and the data has none of its own)")
            }
            return [validation]
        case .all: return [data.train, data.validation, data.test].compactMap { $0 }
        }
    }

    /// Runs the model over `split` of `data` (read with ``loadData(at:environment:)``) in batches of the trial's
    /// batch size, on `threads` compute threads.
    public func evaluate(data: DatasetSplits, split: InferenceSplit, keepOutputs: Bool, threads: Int = 1)
        throws(InferenceError) -> ModelEvaluation
    {
        ComputeThreads.set(threads)
        let model = try makeModel(maxBatch: batchSize)
        var result: ModelEvaluation?
        for set in try sets(of: data, split: split) {
            let part = ModelEvaluation.run(
                model: model, architecture: architecture, set: set, batchSize: batchSize, classes: data.classes,
                keepOutputs: keepOutputs)
            result = result.map { $0.followed(by: part, task: model.task) } ?? part
        }
        return result!  // every split has at least one set
    }
}
