import Foundation
import RNNCore

/// Loads the dataset a `DatasetSpec` names and applies its `limit` and `validation_split`.
public enum DatasetLoader {
    /// Loads `spec`, reading `RNNSWEEP_MNIST_DIR` and `HOME` from the process environment.
    public static func load(_ spec: DatasetSpec) throws(DataError) -> DatasetSplits {
        try load(spec, environment: ProcessInfo.processInfo.environment)
    }

    /// Loads `spec` with an explicit environment (for `RNNSWEEP_MNIST_DIR` and `HOME`).
    ///
    /// Order: load; keep the first `limit` training examples; then the LAST `validation_split` fraction of those
    /// becomes the validation set, as Keras's `fit(validation_split:)` does (before any shuffling).
    ///
    /// With a `cache`, a dataset read from files (Fashion-MNIST, MNIST, npz) is taken from the cache when its copy
    /// checks out, and written to it after a read from the files otherwise.
    public static func load(
        _ spec: DatasetSpec, environment: [String: String], cache: DecodedDataCache? = nil
    ) throws(DataError) -> DatasetSplits {
        try spec.validate()
        var data: LoadedData
        let key = cacheKey(spec, environment: environment)
        if let cache, let key, let cached = cache.load(key: key) {
            data = cached
        } else {
            data = try read(spec, environment: environment)
            if let cache, let key { cache.store(data, key: key) }
        }
        // Token ids are checked against the vocabulary over the whole file, before limit and the split.
        let vocabulary = spec.input == .tokens ? try applyVocabulary(&data, spec: spec) : nil
        if let limit = spec.limit {
            data.train = data.train.prefix(limit)
        }
        if spec.validationSplit > 0 {
            guard data.validation == nil else {
                throw .invalidSplit(
                    reason: "\(spec.dataDir ?? spec.name) has its own x_val/y_val, so validation_split must be 0 "
                        + "(it is \(spec.validationSplit))")
            }
            let n = data.train.count
            // Keras: split_at = int(n * (1 - validation_split)).
            let splitAt = Int(Double(n) * (1 - spec.validationSplit))
            guard splitAt > 0 && splitAt < n else {
                throw .invalidSplit(
                    reason: "validation_split \(spec.validationSplit) of \(n) training examples leaves "
                        + "\(splitAt) for training and \(n - splitAt) for validation; both must be at least 1")
            }
            data.validation = data.train.suffix(from: splitAt)
            data.train = data.train.prefix(splitAt)
        }
        let isImage = spec.name == "fashion-mnist" || spec.name == "mnist"
        return DatasetSplits(
            name: spec.name, view: isImage ? spec.view : nil, classes: data.classes, train: data.train,
            validation: data.validation, test: data.test, tokenVocabulary: vocabulary)
    }

    /// The vocabulary of token data: `vocabulary_size`, or the largest id of the file's training x + 1. An id outside
    /// it maps to the file's `oov_id` when it has one, and is refused otherwise, naming the array and the position.
    private static func applyVocabulary(_ data: inout LoadedData, spec: DatasetSpec) throws(DataError) -> Int {
        guard case .tokens(let trainIDs) = data.train.storage else { return 0 }
        let vocabulary = spec.vocabularySize ?? Int(trainIDs.max() ?? 0) + 1
        let path = data.sources.first ?? spec.dataDir ?? spec.name
        if let oov = data.oovToken, Int(oov) >= vocabulary {
            throw .shapeMismatch(
                path: path, reason: "oov_id \(oov) is itself outside the vocabulary 0..<\(vocabulary)")
        }
        func check(_ set: SequenceSet, member: String) throws(DataError) -> SequenceSet {
            guard case .tokens(var ids) = set.storage,
                let bad = ids.firstIndex(where: { Int($0) >= vocabulary })
            else { return set }
            guard let oov = data.oovToken else {
                throw .tokenOutsideVocabulary(
                    path: path, member: member, index: bad, value: Int(ids[bad]), stride: set.stride,
                    vocabulary: vocabulary)
            }
            for i in bad..<ids.count where Int(ids[i]) >= vocabulary { ids[i] = oov }
            return SequenceSet(
                timesteps: set.timesteps, features: set.features, targets: set.targets, storage: .tokens(ids))
        }
        data.train = try check(data.train, member: "x_train")
        data.test = try check(data.test, member: "x_test")
        if let validation = data.validation { data.validation = try check(validation, member: "x_val") }
        return vocabulary
    }

    /// What identifies a read from files: everything `read` looks at. Generated datasets (nil) are not cached:
    /// generating them is as fast as reading them.
    private static func cacheKey(_ spec: DatasetSpec, environment: [String: String]) -> String? {
        switch spec.name {
        case "fashion-mnist", "mnist", "npz":
            let places = [
                spec.dataDir.map(FileBytes.expand) ?? "", environment[MNIST.environmentKey] ?? "",
                environment["HOME"] ?? "",
            ]
            // An npz holds sequences already: the view (how images become sequences) does not apply to it; how its
            // x and y are read (ids or values, classes or real targets) does.
            let view = spec.name == "npz" ? [spec.input.rawValue, spec.task.rawValue] : [spec.view.rawValue]
            return ([spec.name] + view + (spec.name == "mnist" ? places : [places[0]])).joined(separator: "|")
        default: return nil
        }
    }

    private static func read(_ spec: DatasetSpec, environment: [String: String]) throws(DataError) -> LoadedData {
        switch spec.name {
        case "fashion-mnist":
            return try FashionMNIST.load(dataDir: spec.dataDir, view: spec.view)
        case "mnist":
            return try MNIST.load(dataDir: spec.dataDir, view: spec.view, environment: environment)
        case "npz":
            return try NPZDataset.load(path: FileBytes.expand(spec.dataDir ?? ""), input: spec.input, task: spec.task)
        default:
            guard let task = SyntheticTask(rawValue: spec.name) else { throw .unknownDataset(spec.name) }
            return task.generate(length: spec.sequenceLength, samples: spec.samples, seed: spec.seed)
        }
    }
}
