/// A loaded dataset: training, optional validation and test sequences with labels in `0..<classes`.
public struct DatasetSplits: Sendable {
    /// The spec's dataset name, e.g. `fashion-mnist`.
    public let name: String
    /// How images were read as sequences; nil for datasets that are not images.
    public let view: SequenceView?
    /// Number of classes; every label is in `0..<classes`.
    public let classes: Int
    /// Training examples (after `limit`, without the validation part).
    public let train: SequenceSet
    /// Validation examples: the end of the training data (`validation_split`) or the file's own `x_val`.
    public let validation: SequenceSet?
    /// Test examples.
    public let test: SequenceSet

    /// Creates splits; all of them must share timesteps and features.
    public init(
        name: String, view: SequenceView?, classes: Int, train: SequenceSet, validation: SequenceSet?,
        test: SequenceSet
    ) {
        for other in [test, validation].compactMap({ $0 }) {
            precondition(other.timesteps == train.timesteps && other.features == train.features, "splits differ")
        }
        self.name = name
        self.view = view
        self.classes = classes
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// Sequence length T.
    public var timesteps: Int { train.timesteps }
    /// Values per timestep F.
    public var features: Int { train.features }

    /// One line for logs, e.g. "fashion-mnist rows: 60000 train / 10000 test, 28 steps × 28 features, 10 classes".
    public var summary: String {
        let title = view.map { "\(name) \($0.rawValue)" } ?? name
        var sizes = ["\(train.count) train"]
        if let validation { sizes.append("\(validation.count) validation") }
        sizes.append("\(test.count) test")
        let featureWord = features == 1 ? "feature" : "features"
        return "\(title): \(sizes.joined(separator: " / ")), \(timesteps) steps × \(features) \(featureWord), "
            + "\(classes) classes"
    }
}
