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
    ///
    /// With a `vocabulary` (a trained model's, the token of each id), a text corpus is tokenized with it instead of
    /// one fitted on its training documents, as Keras's `TextVectorization(vocabulary=…)`, and the cache is not used.
    public static func load(
        _ spec: DatasetSpec, environment: [String: String], cache: DecodedDataCache? = nil,
        vocabulary: [String]? = nil
    ) throws(DataError) -> DatasetSplits {
        try spec.validate()
        var data: LoadedData
        let key = vocabulary == nil ? cacheKey(spec, environment: environment) : nil
        if let cache, let key, let cached = cache.load(key: key) {
            data = cached
        } else {
            data = try read(spec, environment: environment, vocabulary: vocabulary)
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
            let (train, validation) = try holdOut(data.train, spec: spec)
            data.train = train
            data.validation = validation
        }
        try applyScale(&data, spec: spec)
        let isImage = spec.name == "fashion-mnist" || spec.name == "mnist"
        var splits = DatasetSplits(
            name: spec.name, view: isImage ? spec.view : nil, classes: data.classes, train: data.train,
            validation: data.validation, test: data.test, tokenVocabulary: vocabulary)
        splits.sources = data.sources
        // A text corpus's documents are named by their path in its folder (a document moved to another class is
        // other data); the files of the other formats by what differs between their names (`DataFingerprint`), so
        // a folder, a prefix and the default location name the same files alike.
        splits.dataRoot = spec.name == "text" ? spec.dataDir.map(FileBytes.expand) : nil
        splits.classNames = data.classNames
        splits.vocabulary = data.vocabulary
        return splits
    }

    /// The training examples `validation_split` holds out, by `spec.validation`: the last fraction (Keras:
    /// `split_at = int(n × (1 − validation_split))`), a random one, or the same fraction of every class; the random
    /// draws come from `data_seed` (a stream of their own). Both parts keep the file's order.
    private static func holdOut(_ set: SequenceSet, spec: DatasetSpec) throws(DataError) -> (SequenceSet, SequenceSet) {
        let n = set.count
        let fraction = spec.validationSplit
        let splitAt = Int(Double(n) * (1 - fraction))
        func check(_ train: Int, _ validation: Int) throws(DataError) {
            guard train > 0 && validation > 0 else {
                throw .invalidSplit(
                    reason: "validation_split \(fraction) of \(n) training examples leaves \(train) for training and "
                        + "\(validation) for validation; both must be at least 1")
            }
        }
        var rng = RandomSource(seed: spec.seed, stream: 11)
        switch spec.validation {
        case .last:
            try check(splitAt, n - splitAt)
            return (set.prefix(splitAt), set.suffix(from: splitAt))
        case .shuffled:
            try check(splitAt, n - splitAt)
            var order = Array(0..<n)
            rng.shuffle(&order)
            let held = Set(order.prefix(n - splitAt))
            return (set.gathering((0..<n).filter { !held.contains($0) }), set.gathering((0..<n).filter(held.contains)))
        case .stratified:
            guard case .classes(let labels) = set.targets else {
                throw .invalidSplit(reason: "validation: stratified needs class labels")
            }
            // Each class's examples in file order, in one pass (classes in label order, as the draws expect).
            var byClass: [Int32: [Int]] = [:]
            for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
            var held = Set<Int>()
            for label in byClass.keys.sorted() {
                var members = byClass[label]!
                // The class's share, rounded; at least one example stays for training.
                let share = min(Int((Double(members.count) * fraction).rounded()), members.count - 1)
                rng.shuffle(&members)
                held.formUnion(members.prefix(max(share, 0)))
            }
            try check(n - held.count, held.count)
            return (set.gathering((0..<n).filter { !held.contains($0) }), set.gathering((0..<n).filter(held.contains)))
        }
    }

    /// `input_scale`: `auto` keeps today's rule (bytes are divided by 255 when a batch is gathered; floats and ids
    /// as they are); `none` reads bytes as 0…255; a factor multiplies every value once, here.
    private static func applyScale(_ data: inout LoadedData, spec: DatasetSpec) throws(DataError) {
        func scaled(_ set: SequenceSet, _ factor: Float?) -> SequenceSet {
            let floats: [Float]
            switch set.storage {
            case .bytes(let bytes): floats = bytes.map { byte in factor.map { Float(byte) * $0 } ?? Float(byte) }
            case .floats(let values):
                guard let factor else { return set }
                floats = values.map { $0 * factor }
            case .tokens: return set
            }
            return SequenceSet(
                timesteps: set.timesteps, features: set.features, targets: set.targets, storage: .floats(floats))
        }
        let factor: Float?
        switch spec.inputScale {
        case .auto: return
        case .none: factor = nil
        case .factor(let value): factor = Float(value)
        }
        data.train = scaled(data.train, factor)
        data.test = scaled(data.test, factor)
        if let validation = data.validation { data.validation = scaled(validation, factor) }
    }

    /// What `input_scale` does to this data, in words (`plan` shows it): e.g. "uint8 values divided by 255".
    public static func scalingDescription(_ splits: DatasetSplits, spec: DatasetSpec) -> String {
        switch (splits.train.storage, spec.inputScale) {
        case (.tokens, _): return "token ids, not scaled"
        case (.bytes, .auto): return "uint8 values divided by 255 (input_scale: auto)"
        case (_, .auto): return "values as stored (input_scale: auto)"
        case (_, .none): return "values as stored (input_scale: none)"
        case (_, .factor(let f)): return "values multiplied by \(f) (input_scale: \(f))"
        }
    }

    /// The vocabulary of token data: `vocabulary_size`, else a text's vocabulary, else the largest id of the file's
    /// training x + 1. An id outside
    /// it maps to the file's `oov_id` when it has one, and is refused otherwise, naming the array and the position.
    private static func applyVocabulary(_ data: inout LoadedData, spec: DatasetSpec) throws(DataError) -> Int {
        guard case .tokens(let trainIDs) = data.train.storage else { return 0 }
        // Text knows its vocabulary (a word seen in training only after `sequence_length` is still in it).
        let vocabulary = spec.vocabularySize ?? data.vocabulary?.count ?? Int(trainIDs.max() ?? 0) + 1
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
        case "ts":
            // Everything TSDataset.load reads of the spec: the task, the padding side (it follows the mask), the fill
            // of a missing value and the per-channel standardisation.
            return [
                spec.name, spec.dataDir.map(FileBytes.expand) ?? "", spec.task.rawValue, spec.padding.rawValue,
                spec.missing.rawValue, spec.normalize.rawValue,
            ].joined(separator: "|")
        case "text":
            // The vocabulary and the ids depend on the tokenization, the vocabulary size and the length.
            return [
                spec.name, spec.dataDir.map(FileBytes.expand) ?? "", spec.tokens.rawValue,
                String(spec.vocabularySize ?? 0), String(spec.sequenceLength),
            ].joined(separator: "|")
        default: return nil
        }
    }

    private static func read(_ spec: DatasetSpec, environment: [String: String], vocabulary: [String]?)
        throws(DataError) -> LoadedData
    {
        switch spec.name {
        case "fashion-mnist":
            return try FashionMNIST.load(dataDir: spec.dataDir, view: spec.view)
        case "mnist":
            return try MNIST.load(dataDir: spec.dataDir, view: spec.view, environment: environment)
        case "npz":
            return try NPZDataset.load(path: FileBytes.expand(spec.dataDir ?? ""), input: spec.input, task: spec.task)
        case "ts":
            return try TSDataset.load(spec)
        case "text":
            return try TextDataset.load(spec, vocabulary: vocabulary)
        default:
            guard let task = SyntheticTask(rawValue: spec.name) else { throw .unknownDataset(spec.name) }
            return task.generate(length: spec.sequenceLength, samples: spec.samples, seed: spec.seed)
        }
    }
}
