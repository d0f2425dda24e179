import Foundation
import RNNData
import RNNEngine

extension TrainedModel {
    /// Reads data for this model as its trial read its own: the trial's dataset kind and every data option (view,
    /// input scale, tokenization, `limit`, `validation_split`, …) from its parameters, with `path` in place of
    /// `data_dir` (nil: the trial's own data). A text corpus is tokenized with the model's vocabulary
    /// (`vocabulary.json`), not one fitted on its own training documents: a token the model never saw is `[UNK]`
    /// (1), as Keras's `TextVectorization(vocabulary=…)` makes it. Checks that the data fits the network.
    public func loadData(at path: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(InferenceError) -> DatasetSplits
    {
        var spec: DatasetSpec
        do { spec = try TrainingConfig(parameters: parameters).dataset } catch {
            throw .unreadable(path: file.path, reason: "its parameters do not describe data: \(error.description)")
        }
        if let path { spec.dataDir = path }
        let data: DatasetSplits
        do { data = try DatasetLoader.load(spec, environment: environment, vocabulary: vocabulary) } catch {
            throw .data(error)
        }
        try check(data)
        return data
    }

    /// Refuses data of another shape than the network's, naming what differs.
    private func check(_ data: DatasetSplits) throws(InferenceError) {
        let shape = architecture.shape
        if data.task != shape.task {
            throw .dataMismatch("the model does \(shape.task.rawValue), the data has \(data.task.rawValue) targets")
        }
        if data.timesteps != shape.timesteps || data.features != shape.features {
            throw .dataMismatch(
                "the model reads \(shape.timesteps) steps of \(shape.features) features, the data has "
                    + "\(data.timesteps) steps of \(data.features)")
        }
        if data.outputs != shape.outputs {
            let what = shape.task == .classification ? "classes" : "targets"
            throw .dataMismatch("the model has \(shape.outputs) \(what), the data \(data.outputs)")
        }
        if let rows = shape.tokenVocabulary {
            for set in [data.train, data.validation, data.test].compactMap({ $0 }) {
                guard case .tokens(let ids) = set.storage else { continue }
                if let large = ids.first(where: { Int($0) >= rows }) {
                    throw .dataMismatch(
                        "token id \(large) is outside the model's embedding of \(rows) rows (ids 0..<\(rows))")
                }
            }
        }
    }
}
