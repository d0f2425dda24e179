import RNNData
import RNNEngine

/// Every training parameter, defined once: experiment files, the command line, `rnnsweep parameters`, the README
/// table and trial identities all read this list. A new parameter is one entry here plus the code that uses it.
/// Choice lists come from the engine's and the data layer's own enums.
public enum ParameterSchema {
    /// The name of the parameter that selects the network kind.
    public static let network = "network"

    private static let unitInterval = ParameterRange(lower: 0, lowerInclusive: true, upper: 1, upperInclusive: false)
    private static let nonNegative = ParameterRange(
        lower: 0, lowerInclusive: true, upper: nil, upperInclusive: false)
    private static let positive = ParameterRange(lower: 0, lowerInclusive: false, upper: nil, upperInclusive: false)
    private static let atLeastOne = ParameterRange(lower: 1, lowerInclusive: true, upper: nil, upperInclusive: false)
    private static let learningRates = ParameterRange(lower: 0, lowerInclusive: false, upper: 10, upperInclusive: true)

    private static func names<E: RawRepresentable & CaseIterable>(_: E.Type) -> [String] where E.RawValue == String {
        E.allCases.map(\.rawValue)
    }

    private static func spec(
        _ name: String, _ kind: ParameterKind, _ defaultValue: ParameterDefault, _ range: ParameterRange? = nil,
        _ group: ParameterGroup, _ help: String, generation: Int = 1, changesResults: Bool = true
    ) -> ParameterSpec {
        ParameterSpec(
            name: name, kind: kind, defaultValue: defaultValue, range: range, help: help, group: group,
            generation: generation, changesResults: changesResults)
    }

    /// Every parameter, grouped (model, optimizer, training, data) in display order.
    public static let all: [ParameterSpec] = [
        spec(
            network, .choice(ModelRegistry.names), .value(.string(ModelRegistry.names[0])), nil, .model,
            "network kind: " + ModelRegistry.kinds.map { "\($0.kind) (\($0.summary))" }.joined(separator: ", "),
            generation: 2),
        spec(
            "cell", .choice(names(CellKind.self)), .value(.string(CellKind.simpleRNN.rawValue)), nil, .model,
            "recurrent cell type"),
        spec("units", .int, .value(.int(256)), .closed(1, 8192), .model, "units per layer (the book's \"layers\")"),
        spec(
            "layers", .int, .value(.int(1)), .closed(1, 16), .model,
            "stacked layers (recurrent: all but the last return sequences)"),
        spec("bidirectional", .bool, .value(.bool(false)), nil, .model, "wrap each recurrent layer in Bidirectional"),
        spec(
            "merge_mode", .choice(names(MergeMode.self)), .value(.string(MergeMode.concat.rawValue)), nil, .model,
            "how bidirectional outputs are combined (only used with bidirectional)"),
        spec(
            "activation", .choice(names(Activation.self)), .value(.string(Activation.tanh.rawValue)), nil, .model,
            "SimpleRNN output activation"),
        spec(
            "reset_after", .bool, .value(.bool(true)), nil, .model,
            "GRU: reset gate after the recurrent matmul (true = Keras 3, false = Keras 2.2, the book's)"),
        spec("dropout", .double, .value(.double(0)), unitInterval, .model, "dropout rate on each layer's inputs"),
        spec(
            "recurrent_dropout", .double, .value(.double(0)), unitInterval, .model,
            "dropout rate on the recurrent state"),
        spec(
            "input", .choice(names(InputKind.self)), .value(.string(InputKind.values.rawValue)), nil, .model,
            "what x holds: values (real numbers per step) or tokens (integer ids, fed through "
                + "Embedding(vocabulary_size, embedding_dim))", generation: 3),
        spec(
            "mask", .choice(names(MaskMode.self)), .value(.string(MaskMode.none.rawValue)), nil, .model,
            "padding steps: none, or zeros (a step whose features are all 0, as Keras Masking(0.0); token id 0, as "
                + "Embedding(mask_zero=True)): they leave every layer's state and output unchanged", generation: 3),
        spec(
            "embedding_dim", .int, .value(.int(128)), .closed(1, 8192), .model,
            "token input: the width of the Embedding", generation: 3),
        spec(
            "vocabulary_size", .int, .derived("the largest id in the training x + 1"),
            .closed(1, Double(InputKind.maximumVocabulary)), .model,
            "token input: rows of the Embedding; larger ids are refused unless the data names an oov_id",
            generation: 3),
        spec(
            "optimizer", .choice(names(OptimizerConfig.Kind.self)), .value(.string(OptimizerConfig.Kind.sgd.rawValue)),
            nil, .optimizer, "optimizer, with Keras's defaults and update rules"),
        spec(
            "learning_rate", .double,
            .derived(
                "the optimizer's Keras default ("
                    + OptimizerConfig.Kind.allCases.map { "\($0.rawValue) \($0.defaultLearningRate)" }.joined(
                        separator: ", ") + ")"),
            learningRates, .optimizer, "learning rate"),
        spec("momentum", .double, .value(.double(0)), unitInterval, .optimizer, "SGD momentum (sgd only)"),
        spec("nesterov", .bool, .value(.bool(false)), nil, .optimizer, "Nesterov momentum (sgd only)"),
        spec(
            "clipnorm", .double, .none, positive, .optimizer,
            "clip each weight's gradient to this L2 norm (Keras clipnorm)"),
        spec("epochs", .int, .value(.int(20)), .closed(1, 10_000), .training, "training epochs"),
        spec("batch_size", .int, .value(.int(128)), .closed(1, 65_536), .training, "mini-batch size"),
        spec(
            "seed", .int, .value(.int(1)), .closed(0, 2_147_483_647), .training,
            "seed of the initial weights, dropout masks and shuffling"),
        spec(
            "bucket_by_length", .bool, .value(.bool(false)), nil, .training,
            "batch training sequences of similar length together (needs mask: zeros), drawn from the seed; off "
                + "keeps Keras's batches", generation: 3),
        spec(
            "patience", .int, .value(.int(0)), .closed(0, 10_000), .training,
            "early stopping as Keras's EarlyStopping: stop after this many epochs without improvement of "
                + "patience_metric (0: off)", generation: 4),
        spec(
            "patience_metric", .choice(Metric.allCases.map { MetricKey(.validation, $0).recordName }),
            .value(.string(MetricKey(.validation, .loss).recordName)), nil, .training,
            "the validation metric patience watches (Keras monitor; accuracy is better larger, the others smaller)",
            generation: 4),
        spec(
            "min_delta", .double, .value(.double(0)), nonNegative, .training,
            "patience: the smallest change of patience_metric that counts as an improvement", generation: 4),
        spec(
            "restore_best", .bool, .value(.bool(false)), nil, .training,
            "patience: end training with the best epoch's weights, which the test metrics then measure (Keras "
                + "restore_best_weights)", generation: 4),
        spec(
            "checkpoint_every", .int, .value(.int(1)), .closed(1, 10_000), .training,
            "checkpoint every N epochs, and always at the last epoch, a halving rung, a patience stop and a stop "
                + "signal; written in the background while training goes on, taking at most 5 % of the time (a due "
                + "epoch may be skipped for a newer one). A crash loses at most N epochs plus those trained in 20 "
                + "writes' time (milliseconds) and the one in progress, trained again to the same bits on resume. "
                + "Not part of the trial's identity: it changes no result",
            generation: 5, changesResults: false),
        spec(
            "dataset", .choice(DatasetSpec.knownNames), .value(.string("fashion-mnist")), nil, .data,
            "dataset: image sets, npz or .ts files, a text folder or CSV (adding, parity and sum-sign are synthetic)"),
        spec(
            "task", .choice(names(Task.self)), .value(.string(Task.classification.rawValue)), nil, .data,
            "classification (y: class indices; softmax, cross-entropy, accuracy) or regression (y: real targets; "
                + "linear Dense, mean squared error, MAE and RMSE)", generation: 3),
        spec(
            "data_dir", .path, .none, nil, .data,
            "MNIST IDX directory or mnist.npz; the .npz file (npz); the folder or <Name> prefix of <Name>_TRAIN.ts and "
                + "<Name>_TEST.ts (ts); the folder with train/<class>/ and test/<class>/, or the CSV (text)"),
        spec(
            "view", .choice(names(SequenceView.self)), .value(.string(SequenceView.rows.rawValue)), nil, .data,
            "how an image becomes a sequence: 28 rows, 28 columns or 784 pixels"),
        spec(
            "input_scale", .choiceOrNumber(["auto", "none"]), .value(.string("auto")), positive, .data,
            "what inputs are multiplied by: auto (1/255 for the image sets and an npz x of uint8, as Keras's x / 255; "
                + "nothing otherwise), none, or a number", generation: 3),
        spec(
            "validation", .choice(names(ValidationSplit.self)), .value(.string(ValidationSplit.last.rawValue)), nil,
            .data,
            "which examples validation_split holds out: last (the end, as Keras), shuffled or stratified (per "
                + "class), drawn from data_seed", generation: 3),
        spec(
            "limit", .int, .none, atLeastOne, .data,
            "use only the first N training examples (before the validation split)"),
        spec(
            "validation_split", .double, .value(.double(0)), unitInterval, .data,
            "fraction of the training set held out for validation: its end, as Keras, unless validation says otherwise"),
        spec(
            "sequence_length", .int, .value(.int(20)), .closed(1, 100_000), .data,
            "synthetic datasets: sequence length; text: tokens per document (truncated or padded with 0 to it)"),
        spec(
            "missing", .choice(names(MissingValues.self)), .value(.string(MissingValues.none.rawValue)), nil, .data,
            ".ts files: a missing value (? or NaN) is refused (none) or becomes 0 (zero)", generation: 3),
        spec(
            "normalize", .choice(names(Normalization.self)), .value(.string(Normalization.none.rawValue)), nil, .data,
            ".ts files: none, or channel: each dimension minus the TRAIN file's mean over its real values, over "
                + "their standard deviation", generation: 3),
        spec(
            "tokens", .choice(names(Tokenization.self)), .value(.string(Tokenization.words.rawValue)), nil, .data,
            "text: words (Keras TextVectorization's default split) or characters", generation: 3),
        spec(
            "samples", .int, .value(.int(4000)), .closed(10, 10_000_000), .data,
            "synthetic datasets: training examples (the test set has a quarter as many)"),
        spec(
            "data_seed", .int, .value(.int(1)), .closed(0, 2_147_483_647), .data,
            "synthetic datasets: seed of the generated data; the validation draw of validation: shuffled or "
                + "stratified", generation: 2),
    ]

    private static let byName: [String: ParameterSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// All parameter names in schema order.
    public static var names: [String] { all.map(\.name) }

    /// The parameters of one group, in schema order.
    public static func names(in group: ParameterGroup) -> [String] { all.filter { $0.group == group }.map(\.name) }

    /// The spec for `name`, or nil when no such parameter exists.
    public static func spec(named name: String) -> ParameterSpec? { byName[name] }

    /// Checks one value against its parameter's type and range and returns it in canonical form
    /// (an integer given for a double parameter becomes a double; an integral double for an int becomes an int).
    public static func validate(_ name: String, _ value: ParameterValue) throws(ParameterError) -> ParameterValue {
        guard let spec = byName[name] else {
            throw .unknownKey(name, suggestion: closestMatch(to: name, among: names))
        }
        let wrongType = ParameterError.wrongType(key: name, value: value, expected: spec.kind.expectation)
        switch (spec.kind, value) {
        case (.int, .int(let i)):
            try checkRange(spec, value, Double(i))
            return value
        case (.int, .double(let d)):
            // Integral doubles (e.g. "256.0" from a CLI) are accepted; 2.5 units is a type error.
            guard d.isFinite, d == d.rounded(), abs(d) < 1e15 else { throw wrongType }
            try checkRange(spec, value, d)
            return .int(Int(d))
        case (.double, .int(let i)):
            try checkRange(spec, value, Double(i))
            return .double(Double(i))
        case (.double, .double(let d)):
            guard d.isFinite else { throw .outOfRange(key: name, value: value, allowed: spec.allowedDescription) }
            // -0.0 == 0.0 but would print differently in canonical JSON and change the trial ID.
            try checkRange(spec, value, d)
            return .double(d == 0 ? 0 : d)
        case (.bool, .bool):
            return value
        case (.choice(let allowed), .string(let s)):
            guard allowed.contains(s) else {
                throw .notAllowed(
                    key: name, value: value, allowed: allowed, suggestion: closestMatch(to: s, among: allowed))
            }
            return value
        case (.path, .string(let s)):
            guard !s.isEmpty else { throw wrongType }
            return value
        case (.choiceOrNumber(let allowed), .string(let s)):
            guard allowed.contains(s) else {
                throw .notAllowed(
                    key: name, value: value, allowed: allowed + ["a number"],
                    suggestion: closestMatch(to: s, among: allowed))
            }
            return value
        case (.choiceOrNumber, .int(let i)):
            try checkRange(spec, value, Double(i))
            return .double(Double(i))
        case (.choiceOrNumber, .double(let d)):
            guard d.isFinite else { throw .outOfRange(key: name, value: value, allowed: spec.allowedDescription) }
            try checkRange(spec, value, d)
            return value
        default:
            throw wrongType
        }
    }

    /// Throws when `x` (the numeric form of `value`, which is reported as given) is outside the range.
    private static func checkRange(_ spec: ParameterSpec, _ value: ParameterValue, _ x: Double) throws(ParameterError) {
        if let range = spec.range, !range.contains(x) {
            throw .outOfRange(key: spec.name, value: value, allowed: range.description)
        }
    }

    /// The candidate closest to `word` by edit distance, if close enough to be a plausible typo.
    public static func closestMatch(to word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let scored = candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance between two strings (by Unicode characters).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }
}
