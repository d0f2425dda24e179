/// The kind of value a training parameter takes.
public enum ParameterKind: Sendable, Hashable {
    case int
    case double
    case bool
    /// A string restricted to the listed values.
    case choice([String])
    /// A free-form filesystem path.
    case path

    /// A short noun phrase for error messages ("an integer", "one of a, b").
    public var expectation: String {
        switch self {
        case .int: "an integer"
        case .double: "a number"
        case .bool: "true or false"
        case .choice(let allowed): "one of " + allowed.joined(separator: ", ")
        case .path: "a path"
        }
    }
}

/// An interval of allowed numeric values; each bound is optional and inclusive or exclusive.
public struct ParameterRange: Sendable, Hashable, CustomStringConvertible {
    /// The lower bound, or nil for none.
    public var lower: Double?
    public var lowerInclusive: Bool
    /// The upper bound, or nil for none.
    public var upper: Double?
    public var upperInclusive: Bool

    /// `[lower, upper]` with both bounds inclusive.
    public static func closed(_ lower: Double, _ upper: Double) -> ParameterRange {
        ParameterRange(lower: lower, lowerInclusive: true, upper: upper, upperInclusive: true)
    }

    /// Whether `x` lies within the bounds.
    public func contains(_ x: Double) -> Bool {
        if let lower, lowerInclusive ? x < lower : x <= lower { return false }
        if let upper, upperInclusive ? x > upper : x >= upper { return false }
        return true
    }

    /// Interval notation, e.g. `[0, 1)`, `(0, 10]`, `[1, inf)`.
    public var description: String {
        func bound(_ value: Double?, infinity: String) -> String {
            guard let value else { return infinity }
            return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
        return (lowerInclusive && lower != nil ? "[" : "(") + bound(lower, infinity: "-inf") + ", "
            + bound(upper, infinity: "inf") + (upperInclusive && upper != nil ? "]" : ")")
    }
}

/// Display grouping of parameters.
public enum ParameterGroup: String, Sendable, Hashable, CaseIterable {
    case model, optimizer, training, data
}

/// Everything known about one training parameter: its flat snake_case name, type, default and range.
public struct ParameterSpec: Sendable, Hashable {
    /// The flat snake_case name used on the command line and in experiment files.
    public var name: String
    public var kind: ParameterKind
    /// The default value; `nil` either for an optional parameter (`isOptional`) or for a derived default
    /// (`learning_rate`, which depends on the optimizer; see `ParameterSchema.defaultLearningRate`).
    public var defaultValue: ParameterValue?
    /// `true` when the parameter may be absent from resolved parameters.
    public var isOptional: Bool
    /// Allowed numeric range (int and double kinds only).
    public var range: ParameterRange?
    /// One line for `--help` and listings.
    public var help: String
    /// Display grouping.
    public var group: ParameterGroup

    /// The allowed values as text, e.g. `[0, 1)` or `simple_rnn, lstm, gru`.
    public var allowedDescription: String {
        switch kind {
        case .choice(let allowed): allowed.joined(separator: ", ")
        case .int, .double: range?.description ?? kind.expectation
        case .bool, .path: kind.expectation
        }
    }
}

/// The single source of truth for every training option, shared by the CLI and experiment files.
public enum ParameterSchema {
    private static func spec(
        _ name: String, _ kind: ParameterKind, _ defaultValue: ParameterValue?, _ range: ParameterRange?,
        _ group: ParameterGroup, _ help: String, optional: Bool = false
    ) -> ParameterSpec {
        ParameterSpec(
            name: name, kind: kind, defaultValue: defaultValue, isOptional: optional, range: range, help: help,
            group: group)
    }

    private static let unitInterval = ParameterRange(lower: 0, lowerInclusive: true, upper: 1, upperInclusive: false)
    private static let positive = ParameterRange(lower: 0, lowerInclusive: false, upper: nil, upperInclusive: false)
    private static let atLeastOne = ParameterRange(lower: 1, lowerInclusive: true, upper: nil, upperInclusive: false)
    private static let learningRates = ParameterRange(lower: 0, lowerInclusive: false, upper: 10, upperInclusive: true)

    /// Every parameter, grouped (model, optimizer, training, data) in display order.
    public static let all: [ParameterSpec] = [
        spec(
            "cell", .choice(["simple_rnn", "lstm", "gru"]), .string("simple_rnn"), nil, .model, "recurrent cell type"),
        spec("units", .int, .int(256), .closed(1, 8192), .model, "hidden units per recurrent layer"),
        spec("layers", .int, .int(1), .closed(1, 16), .model, "number of stacked recurrent layers"),
        spec("bidirectional", .bool, .bool(false), nil, .model, "wrap each recurrent layer in Bidirectional"),
        spec(
            "merge_mode", .choice(["concat", "sum", "ave", "mul"]), .string("concat"), nil, .model,
            "how bidirectional outputs are combined (only used with bidirectional)"),
        spec("activation", .choice(["tanh", "relu"]), .string("tanh"), nil, .model, "cell output activation"),
        spec(
            "reset_after", .bool, .bool(true), nil, .model,
            "GRU only: apply the reset gate after the recurrent matmul (Keras default)"),
        spec("dropout", .double, .double(0), unitInterval, .model, "dropout on the cell inputs"),
        spec("recurrent_dropout", .double, .double(0), unitInterval, .model, "dropout on the recurrent state"),
        spec("optimizer", .choice(["sgd", "rmsprop", "adam"]), .string("sgd"), nil, .optimizer, "optimizer"),
        spec(
            "learning_rate", .double, nil, learningRates, .optimizer,
            "learning rate (default: 0.01 for sgd, 0.001 for rmsprop and adam)"),
        spec("momentum", .double, .double(0), unitInterval, .optimizer, "SGD momentum (sgd only)"),
        spec("nesterov", .bool, .bool(false), nil, .optimizer, "use Nesterov momentum (sgd only)"),
        spec("clipnorm", .double, nil, positive, .optimizer, "clip each gradient to this L2 norm", optional: true),
        spec("epochs", .int, .int(20), .closed(1, 10_000), .training, "number of training epochs"),
        spec("batch_size", .int, .int(128), .closed(1, 65_536), .training, "mini-batch size"),
        spec("seed", .int, .int(1), .closed(0, 2_147_483_647), .training, "random seed for weights and shuffling"),
        spec(
            "dataset", .choice(["fashion-mnist", "mnist", "npz", "adding", "parity", "sum-sign"]),
            .string("fashion-mnist"), nil, .data, "dataset (adding, parity and sum-sign are synthetic)"),
        spec("data_dir", .path, nil, nil, .data, "directory holding the dataset files", optional: true),
        spec(
            "view", .choice(["rows", "columns", "pixels"]), .string("rows"), nil, .data,
            "how an image becomes a sequence: 28 rows, 28 columns or 784 pixels"),
        spec("limit", .int, nil, atLeastOne, .data, "use only the first N training samples", optional: true),
        spec("validation_split", .double, .double(0), unitInterval, .data, "fraction of training data held out"),
        spec("sequence_length", .int, .int(20), .closed(1, 100_000), .data, "synthetic datasets: sequence length"),
        spec("samples", .int, .int(4000), .closed(10, 10_000_000), .data, "synthetic datasets: number of samples"),
    ]

    private static let byName: [String: ParameterSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// All parameter names in schema order.
    public static var names: [String] { all.map(\.name) }

    /// The spec for `name`, or nil when no such parameter exists.
    public static func spec(named name: String) -> ParameterSpec? { byName[name] }

    /// The learning rate used when none is given (Keras defaults per optimizer).
    public static func defaultLearningRate(for optimizer: String) -> Double {
        optimizer == "sgd" ? 0.01 : 0.001
    }

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

/// Why a parameter name or value was rejected.
public enum ParameterError: Error, CustomStringConvertible, Sendable, Hashable {
    case unknownKey(String, suggestion: String?)
    case wrongType(key: String, value: ParameterValue, expected: String)
    case outOfRange(key: String, value: ParameterValue, allowed: String)
    case notAllowed(key: String, value: ParameterValue, allowed: [String], suggestion: String?)
    /// A value that is valid alone but not together with another parameter's value.
    case invalidCombination(key: String, value: ParameterValue, reason: String)

    /// The parameter the error is about.
    public var key: String {
        switch self {
        case .unknownKey(let key, _): key
        case .wrongType(let key, _, _), .outOfRange(let key, _, _), .notAllowed(let key, _, _, _),
            .invalidCombination(let key, _, _):
            key
        }
    }

    public var description: String {
        switch self {
        case .unknownKey(let key, let suggestion):
            "unknown parameter '\(key)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .wrongType(let key, let value, let expected):
            "\(key): \(value.quoted) is not \(expected)"
        case .outOfRange(let key, let value, let allowed):
            "\(key): \(value.quoted) is out of range; allowed \(allowed)"
        case .notAllowed(let key, let value, let allowed, let suggestion):
            "\(key): \(value.quoted) is not allowed; allowed values: \(allowed.joined(separator: ", "))"
                + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .invalidCombination(let key, let value, let reason):
            "\(key): \(value.quoted) \(reason)"
        }
    }
}
