import RNNCore

/// Which dataset to load and how. Decodes from keys `name`, `data_dir`, `view`, `limit`, `validation_split`,
/// `sequence_length`, `samples`, `seed`, `input`, `task`, `vocabulary_size`; every key but `name` may be omitted and
/// then takes its default.
public struct DatasetSpec: Sendable, Codable, Hashable {
    /// The dataset names `DatasetLoader` understands.
    public static let knownNames = ["fashion-mnist", "mnist", "npz", "adding", "parity", "sum-sign"]
    /// The synthetic (generated) datasets among `knownNames`.
    public static let syntheticNames = ["adding", "parity", "sum-sign"]

    /// One of `knownNames`.
    public var name: String
    /// Directory of IDX files (`fashion-mnist`, `mnist`), or path of an `.npz` file (`npz`, also `mnist`).
    public var dataDir: String?
    /// How images become sequences; ignored by `npz` and the synthetic datasets.
    public var view: SequenceView
    /// Keep only the first `limit` training examples (applied before `validationSplit`).
    public var limit: Int?
    /// Fraction of the (limited) training set, taken from its END, that becomes the validation set (Keras).
    public var validationSplit: Double
    /// Sequence length T of the synthetic datasets.
    public var sequenceLength: Int
    /// Training-set size of the synthetic datasets; their test set has `samples / 4` examples.
    public var samples: Int
    /// Seed of the synthetic datasets' generator.
    public var seed: UInt64
    /// Values, or integer token ids (an npz's x is then read as ids, never scaled).
    public var input: InputKind
    /// Class labels, or real regression targets (an npz's y is then read as floats).
    public var task: Task
    /// Token input: the vocabulary the ids must fit (default: the largest id of the file's x_train + 1).
    public var vocabularySize: Int?

    /// Creates a spec; the defaults match Keras-style MNIST row sequences and small synthetic tasks.
    public init(
        name: String, dataDir: String? = nil, view: SequenceView = .rows, limit: Int? = nil,
        validationSplit: Double = 0, sequenceLength: Int = 20, samples: Int = 4000, seed: UInt64 = 1,
        input: InputKind = .values, task: Task = .classification, vocabularySize: Int? = nil
    ) {
        self.name = name
        self.dataDir = dataDir
        self.view = view
        self.limit = limit
        self.validationSplit = validationSplit
        self.sequenceLength = sequenceLength
        self.samples = samples
        self.seed = seed
        self.input = input
        self.task = task
        self.vocabularySize = vocabularySize
    }

    enum CodingKeys: String, CodingKey {
        case name
        case dataDir = "data_dir"
        case view
        case limit
        case validationSplit = "validation_split"
        case sequenceLength = "sequence_length"
        case samples
        case seed
        case input
        case task
        case vocabularySize = "vocabulary_size"
    }

    /// Decodes a spec, filling omitted keys with the defaults of `init`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DatasetSpec(name: "")
        self.name = try container.decode(String.self, forKey: .name)
        self.dataDir = try container.decodeIfPresent(String.self, forKey: .dataDir)
        self.view = try container.decodeIfPresent(SequenceView.self, forKey: .view) ?? defaults.view
        self.limit = try container.decodeIfPresent(Int.self, forKey: .limit)
        self.validationSplit =
            try container.decodeIfPresent(Double.self, forKey: .validationSplit) ?? defaults.validationSplit
        self.sequenceLength =
            try container.decodeIfPresent(Int.self, forKey: .sequenceLength) ?? defaults.sequenceLength
        self.samples = try container.decodeIfPresent(Int.self, forKey: .samples) ?? defaults.samples
        self.seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        self.input = try container.decodeIfPresent(InputKind.self, forKey: .input) ?? defaults.input
        self.task = try container.decodeIfPresent(Task.self, forKey: .task) ?? defaults.task
        self.vocabularySize = try container.decodeIfPresent(Int.self, forKey: .vocabularySize)
    }

    /// True for `adding`, `parity` and `sum-sign`.
    public var isSynthetic: Bool { Self.syntheticNames.contains(name) }

    /// Checks the fields without touching any file, so a sweep can reject a bad spec before it starts.
    public func validate() throws(DataError) {
        guard Self.knownNames.contains(name) else { throw .unknownDataset(name) }
        if let limit, limit < 1 {
            throw .invalidSpec(field: "limit", reason: "is \(limit); it must be at least 1 (or omitted for all)")
        }
        guard validationSplit >= 0 && validationSplit < 1 else {
            throw .invalidSpec(
                field: "validation_split", reason: "is \(validationSplit); it must be in [0, 1), e.g. 0.1")
        }
        if name == "npz" && dataDir == nil {
            throw .invalidSpec(field: "data_dir", reason: "is required for npz: give the path of your .npz file")
        }
        // Images and the synthetic tasks are class-labelled values; tokens and regression targets come from files.
        if name != "npz" && input == .tokens {
            throw .invalidSpec(
                field: "input",
                reason: "is tokens, which needs integer ids from a file: use dataset npz (\(name) has values)")
        }
        if name != "npz" && task == .regression {
            throw .invalidSpec(
                field: "task",
                reason: "regression needs real targets from a file: use dataset npz (\(name) has "
                    + "class labels)")
        }
        guard isSynthetic else { return }
        let minimumLength = name == "adding" ? 2 : 1
        guard sequenceLength >= minimumLength else {
            throw .invalidSpec(
                field: "sequence_length", reason: "is \(sequenceLength); \(name) needs at least \(minimumLength)")
        }
        guard samples >= 4 else {
            throw .invalidSpec(
                field: "samples", reason: "is \(samples); it must be at least 4 (the test set has samples / 4)")
        }
    }
}
