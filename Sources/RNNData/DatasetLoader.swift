import Foundation

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
            validation: data.validation, test: data.test)
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
            // An npz holds sequences already: the view (how images become sequences) does not apply to it.
            let view = spec.name == "npz" ? [] : [spec.view.rawValue]
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
            return try NPZDataset.load(path: FileBytes.expand(spec.dataDir ?? ""))
        default:
            guard let task = SyntheticTask(rawValue: spec.name) else { throw .unknownDataset(spec.name) }
            return task.generate(length: spec.sequenceLength, samples: spec.samples, seed: spec.seed)
        }
    }
}
