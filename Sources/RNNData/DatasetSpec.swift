import RNNCore

/// Which dataset to load and how. Decodes from keys `name`, `data_dir`, `view`, `limit`, `validation_split`,
/// `sequence_length`, `samples`, `seed`, `input`, `task`, `vocabulary_size`; every key but `name` may be omitted and
/// then takes its default.
public struct DatasetSpec: Sendable, Codable, Hashable {
    /// The dataset names `DatasetLoader` understands.
    public static let knownNames = ["fashion-mnist", "mnist", "npz", "ts", "text", "adding", "parity", "sum-sign"]
    /// The synthetic (generated) datasets among `knownNames`.
    public static let syntheticNames = ["adding", "parity", "sum-sign"]

    /// One of `knownNames`.
    public var name: String
    /// Directory of IDX files (`fashion-mnist`, `mnist`), path of an `.npz` file (`npz`, also `mnist`), a `.ts` folder
    /// or `<Name>` prefix (`ts`), a text folder or CSV (`text`).
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
    /// Token input: the vocabulary the ids must fit (default: the largest id of the file's x_train + 1); for text, the
    /// number of ids the vocabulary keeps (padding and out-of-vocabulary included, as Keras's `max_tokens`).
    public var vocabularySize: Int?
    /// `.ts` files: what a missing value becomes.
    public var missing: MissingValues
    /// Per-channel standardisation from the training split.
    public var normalize: Normalization
    /// Text: words or characters.
    public var tokens: Tokenization
    /// What the inputs are multiplied by.
    public var inputScale: InputScale
    /// Which training examples `validationSplit` holds out.
    public var validation: ValidationSplit
    /// Where variable-length series are padded: after them when a mask skips padding, before them otherwise.
    public var padding: PaddingSide

    /// Creates a spec; the defaults match Keras-style MNIST row sequences and small synthetic tasks.
    public init(
        name: String, dataDir: String? = nil, view: SequenceView = .rows, limit: Int? = nil,
        validationSplit: Double = 0, sequenceLength: Int = 20, samples: Int = 4000, seed: UInt64 = 1,
        input: InputKind = .values, task: Task = .classification, vocabularySize: Int? = nil,
        missing: MissingValues = .none, normalize: Normalization = .none, tokens: Tokenization = .words,
        inputScale: InputScale = .auto, validation: ValidationSplit = .last, padding: PaddingSide = .post
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
        self.missing = missing
        self.normalize = normalize
        self.tokens = tokens
        self.inputScale = inputScale
        self.validation = validation
        self.padding = padding
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
        case missing
        case normalize
        case tokens
        case inputScale = "input_scale"
        case validation
        case padding
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
        self.missing = try container.decodeIfPresent(MissingValues.self, forKey: .missing) ?? defaults.missing
        self.normalize = try container.decodeIfPresent(Normalization.self, forKey: .normalize) ?? defaults.normalize
        self.tokens = try container.decodeIfPresent(Tokenization.self, forKey: .tokens) ?? defaults.tokens
        self.inputScale = try container.decodeIfPresent(InputScale.self, forKey: .inputScale) ?? defaults.inputScale
        self.validation =
            try container.decodeIfPresent(ValidationSplit.self, forKey: .validation) ?? defaults.validation
        self.padding = try container.decodeIfPresent(PaddingSide.self, forKey: .padding) ?? defaults.padding
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
        let what = [
            "npz": "your .npz file", "ts": "the folder or the <Name> prefix of <Name>_TRAIN.ts and <Name>_TEST.ts",
            "text": "the folder with train/ and test/, or the CSV",
        ]
        if let what = what[name], dataDir == nil {
            throw .invalidSpec(field: "data_dir", reason: "is required for \(name): give the path of \(what)")
        }
        // What each dataset's files hold: npz any of it; .ts values (class labels or real targets); text token ids
        // with class labels; images and the synthetic tasks class-labelled values.
        let inputs: [InputKind] = name == "npz" ? [.values, .tokens] : name == "text" ? [.tokens] : [.values]
        let tasks: [Task] = name == "npz" || name == "ts" ? [.classification, .regression] : [.classification]
        if !inputs.contains(input) {
            throw .invalidSpec(
                field: "input",
                reason: name == "text"
                    ? "is values, but dataset text gives token ids: set input: tokens"
                    : "is tokens, which needs integer ids from a file: use dataset npz or text (\(name) has values)")
        }
        if input == .tokens, case .factor = inputScale {
            throw .invalidSpec(field: "input_scale", reason: "is a number, but token ids are never scaled: remove it")
        }
        // Options that only one kind of file has: refused elsewhere rather than silently ignored.
        if missing != .none && name != "ts" {
            throw .invalidSpec(
                field: "missing", reason: "is \(missing.rawValue), which applies to .ts files (dataset ts) only")
        }
        if normalize != .none && name != "ts" {
            throw .invalidSpec(
                field: "normalize",
                reason:
                    "is \(normalize.rawValue), which applies to .ts files (dataset ts) only; standardise other data "
                    + "before saving it")
        }
        if tokens != .words && name != "text" {
            throw .invalidSpec(
                field: "tokens", reason: "is \(tokens.rawValue), which applies to text (dataset text) only")
        }
        if validation == .stratified && task == .regression {
            throw .invalidSpec(
                field: "validation", reason: "is stratified, which needs class labels: use shuffled for regression")
        }
        if !tasks.contains(task) {
            throw .invalidSpec(
                field: "task",
                reason: "is regression, which needs real targets from a file: use dataset npz or ts (\(name) has "
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
