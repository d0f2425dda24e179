import Foundation
import RNNData
import RNNEngine

extension TrainedModel {
    /// Reads data for this model as its trial read its own: the trial's dataset kind and every data option (view,
    /// input scale, tokenization, `limit`, `validation_split`, …) from its parameters, with `path` in place of
    /// `data_dir` (nil: the trial's own data). Checks that the data fits the network, and gives a text corpus the
    /// model's token ids (`vocabulary.json`): the corpus's own vocabulary is fitted on its training documents, so a
    /// token is looked up by its text, and one the model never saw becomes `[UNK]` (1).
    public func loadData(at path: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(InferenceError) -> DatasetSplits
    {
        var spec: DatasetSpec
        do { spec = try TrainingConfig(parameters: parameters).dataset } catch {
            throw .unreadable(path: file.path, reason: "its parameters do not describe data: \(error.description)")
        }
        if let path { spec.dataDir = path }
        var data: DatasetSplits
        do { data = try DatasetLoader.load(spec, environment: environment) } catch { throw .data(error) }
        if let vocabulary, let own = data.vocabulary, own != vocabulary {
            data = Self.remapTokens(data, from: own, to: vocabulary)
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

    /// The splits with every id of `own` replaced by the id of the same token in `model` (`[UNK]`, 1, if absent).
    private static func remapTokens(_ data: DatasetSplits, from own: [String], to model: [String]) -> DatasetSplits {
        let index = Dictionary(model.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        // 0 stays padding and 1 the unknown token.
        let map = own.enumerated().map { id, token in id < 2 ? Int32(id) : index[token] ?? 1 }
        func remap(_ set: SequenceSet) -> SequenceSet {
            guard case .tokens(let ids) = set.storage else { return set }
            return SequenceSet(
                timesteps: set.timesteps, features: set.features, targets: set.targets,
                storage: .tokens(ids.map { Int($0) < map.count ? map[Int($0)] : 1 }))
        }
        var splits = DatasetSplits(
            name: data.name, view: data.view, classes: data.classes, train: remap(data.train),
            validation: data.validation.map(remap), test: remap(data.test), tokenVocabulary: model.count)
        splits.sources = data.sources
        splits.dataRoot = data.dataRoot
        splits.classNames = data.classNames
        splits.vocabulary = model
        return splits
    }
}
