import RNNCore

/// A loaded dataset: training, optional validation and test sequences, with class labels in `0..<classes` or
/// `targetWidth` regression targets per example.
public struct DatasetSplits: Sendable {

    /// The spec's dataset name, e.g. `fashion-mnist`.
    public let name: String
    /// How images were read as sequences; nil for datasets that are not images.
    public let view: SequenceView?
    /// Number of classes (classification); every label is in `0..<classes`. 0 for regression.
    public let classes: Int
    /// Training examples (after `limit`, without the validation part).
    public let train: SequenceSet
    /// Validation examples: the end of the training data (`validation_split`) or the file's own `x_val`.
    public let validation: SequenceSet?
    /// Test examples.
    public let test: SequenceSet
    /// Token input: the vocabulary every id is inside (the embedding's rows); nil for values.
    public let tokenVocabulary: Int?
    /// The files the data came from (absolute paths, the loader's order); empty for generated data.
    public var sources: [String] = []
    /// A text corpus's folder or file (`data_dir`, expanded), within which its documents are named for the
    /// fingerprint; nil for the other data sets.
    public var dataRoot: String?
    /// Class names in class-index order when the files name the classes; nil for bare indices.
    public var classNames: [String]?
    /// Text: the token of each id, to store beside checkpoints; nil otherwise.
    public var vocabulary: [String]?

    /// Creates splits; all of them must share their shape (``SequenceSet/sharesShape(with:)``).
    public init(
        name: String, view: SequenceView?, classes: Int, train: SequenceSet, validation: SequenceSet?,
        test: SequenceSet, tokenVocabulary: Int? = nil
    ) {
        for other in [test, validation].compactMap({ $0 }) {
            precondition(train.sharesShape(with: other), "splits differ")
        }
        self.name = name
        self.view = view
        self.classes = classes
        self.train = train
        self.validation = validation
        self.test = test
        self.tokenVocabulary = tokenVocabulary
    }

    /// The fingerprint of the data's files (``DataFingerprint``), nil for generated data.
    public func fingerprint(cache: FingerprintCache?) throws(DataError) -> String? {
        guard !sources.isEmpty else { return nil }
        return try DataFingerprint.of(sources: sources, root: dataRoot, cache: cache)
    }

    /// Sequence length T.
    public var timesteps: Int { train.timesteps }
    /// Values per timestep F.
    public var features: Int { train.features }

    /// Classification (class labels) or regression (real targets).
    public var task: Task {
        if case .values = train.targets { return .regression }
        return .classification
    }

    /// The width of the model's output: the classes, or the regression targets per example.
    public var outputs: Int {
        if case .values(_, let width) = train.targets { return width }
        return classes
    }

    /// One line for logs, e.g. "fashion-mnist rows: 60000 train / 10000 test, 28 steps × 28 features, 10 classes".
    public var summary: String {
        let title = view.map { "\(name) \($0.rawValue)" } ?? name
        var sizes = ["\(train.count) train"]
        if let validation { sizes.append("\(validation.count) validation") }
        sizes.append("\(test.count) test")
        let steps: String
        if let tokenVocabulary {
            steps = "\(timesteps) token ids (vocabulary \(tokenVocabulary))"
        } else {
            steps = "\(timesteps) steps × \(features) \(features == 1 ? "feature" : "features")"
        }
        let outputs =
            task == .classification
            ? "\(classes) classes" : "\(self.outputs) regression \(self.outputs == 1 ? "target" : "targets")"
        return "\(title): \(sizes.joined(separator: " / ")), \(steps), \(outputs)"
    }
}
