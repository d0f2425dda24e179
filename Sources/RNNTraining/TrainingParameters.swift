import RNNEngine

/// A complete, validated set of training parameters: every parameter that applies to the trial's network kind is
/// present with its value or default, except optional ones that were not given (`clipnorm`, `data_dir`, `limit`).
/// Model options of other kinds are absent (an MLP has no `cell`).
///
/// Build one with `resolve(_:)`. Encodes as a flat JSON object; decoding re-validates.
public struct TrainingParameters: Codable, Hashable, Sendable {
    /// Parameter name → value.
    public private(set) var values: [String: ParameterValue]

    private init(validated values: [String: ParameterValue]) { self.values = values }

    /// Every default (no overrides).
    public static let defaults: TrainingParameters = try! resolve([:])

    /// Validates `overrides`, fills in defaults and applies the cross-parameter rules: model options must apply to
    /// the chosen network, the `learning_rate` default follows the optimizer, and optimizer-specific options
    /// (`momentum`, `nesterov`) need an optimizer that reads them.
    public static func resolve(_ overrides: [String: ParameterValue]) throws(ParameterError) -> TrainingParameters {
        var values: [String: ParameterValue] = [:]
        // Sorted so that, with several bad keys, the same one is reported every time.
        for name in overrides.keys.sorted() {
            values[name] = try ParameterSchema.validate(name, overrides[name]!)
        }
        let network = values[ParameterSchema.network]?.stringValue ?? ParameterSchema.all[0].fixedDefault!.stringValue!
        for name in values.keys.sorted() {
            let spec = ParameterSchema.spec(named: name)!
            guard spec.appliesTo.contains(network) else {
                throw .invalidCombination(
                    key: name, value: values[name]!,
                    reason: "does not apply to network \(network) (it is an option of "
                        + spec.appliesTo.map { "network \($0)" }.joined(separator: ", ") + "); remove it")
            }
        }
        for spec in ParameterSchema.all where values[spec.name] == nil && spec.appliesTo.contains(network) {
            if let value = spec.fixedDefault { values[spec.name] = value }
        }
        let optimizer = OptimizerConfig.Kind(rawValue: values["optimizer"]!.stringValue!)!
        if values["learning_rate"] == nil { values["learning_rate"] = .double(optimizer.defaultLearningRate) }
        for name in OptimizerConfig.Kind.allSpecificOptions where !optimizer.specificOptions.contains(name) {
            if values[name] != ParameterSchema.spec(named: name)!.fixedDefault {
                throw .invalidCombination(
                    key: name, value: values[name]!,
                    reason: "is only allowed with optimizer "
                        + OptimizerConfig.Kind.allCases.filter { $0.specificOptions.contains(name) }.map(\.rawValue)
                        .joined(separator: ", ") + " (optimizer is \(optimizer.rawValue))")
            }
        }
        try checkInputOptions(values)
        return TrainingParameters(validated: values)
    }

    /// The token options need token input, and length buckets need a mask to tell the lengths.
    private static func checkInputOptions(_ values: [String: ParameterValue]) throws(ParameterError) {
        let tokens = values["input"]?.stringValue == InputKind.tokens.rawValue
        for name in ["embedding_dim", "vocabulary_size"] where !tokens {
            if let value = values[name], value != ParameterSchema.spec(named: name)!.fixedDefault {
                throw .invalidCombination(key: name, value: value, reason: "is only used with input: tokens")
            }
        }
        try checkPatienceOptions(values)
        if values["bucket_by_length"] == .bool(true), values["mask"]?.stringValue != MaskMode.zeros.rawValue {
            throw .invalidCombination(
                key: "bucket_by_length", value: .bool(true),
                reason: "needs mask: zeros (network rnn): without a mask every sequence has the full length")
        }
    }

    /// The patience options need patience, and the metric it watches must be one the task measures.
    private static func checkPatienceOptions(_ values: [String: ParameterValue]) throws(ParameterError) {
        let patience = values["patience"]?.intValue ?? 0
        for name in ["patience_metric", "min_delta", "restore_best"] where patience == 0 {
            if let value = values[name], value != ParameterSchema.spec(named: name)!.fixedDefault {
                throw .invalidCombination(key: name, value: value, reason: "is only used with patience > 0")
            }
        }
        let task = Task(rawValue: values["task"]?.stringValue ?? "") ?? .classification
        if patience > 0, let metric = values["patience_metric"]?.stringValue.flatMap(MetricKey.init(name:)),
            !task.metrics.contains(metric.metric)
        {
            throw .invalidCombination(
                key: "patience_metric", value: .string(metric.recordName),
                reason: "is not measured for task \(task.rawValue); use one of "
                    + task.metrics.map { MetricKey(.validation, $0).recordName }.joined(separator: ", "))
        }
    }

    /// The network kind these parameters build.
    public var network: any ModelArchitecture.Type { ModelRegistry.kind(named: string(ParameterSchema.network))! }

    /// The value of `name`, or nil for an optional parameter that was not given.
    public func value(_ name: String) -> ParameterValue? {
        precondition(ParameterSchema.spec(named: name) != nil, "no parameter named \(name)")
        return values[name]
    }

    /// The integer parameter `name`; it must be present.
    public func int(_ name: String) -> Int { required(name, value(name)?.intValue) }
    /// The number parameter `name`; it must be present.
    public func double(_ name: String) -> Double { required(name, value(name)?.doubleValue) }
    /// The string (choice or path) parameter `name`; it must be present.
    public func string(_ name: String) -> String { required(name, value(name)?.stringValue) }
    /// The boolean parameter `name`; it must be present.
    public func bool(_ name: String) -> Bool { required(name, value(name)?.boolValue) }

    private func required<T>(_ name: String, _ value: T?) -> T {
        guard let value else { preconditionFailure("\(name) is absent or has another type") }
        return value
    }

    /// `{"activation":"tanh",…}`: every value, keys sorted, no whitespace, integers as integers, doubles in the
    /// shortest round-trip form. Identical on every run and platform. This is what a trial row stores.
    public var canonicalJSON: String { Self.json(values) }

    /// The values that define what is computed, and so the trial: every generation-1 parameter (ids were first
    /// defined as a hash of all of those), and a later parameter only where it differs from its default. Adding
    /// a parameter whose default reproduces earlier behaviour therefore changes no trial's id or checkpoint.
    public var identityValues: [String: ParameterValue] {
        values.filter { name, value in
            let spec = ParameterSchema.spec(named: name)!
            return spec.changesResults && (spec.generation == 1 || value != spec.fixedDefault)
        }
    }

    /// The canonical JSON of `identityValues`, the text `identity` hashes.
    public var identityJSON: String { Self.json(identityValues) }

    /// The trial ID of these parameters alone: 64-bit FNV-1a of `identityJSON`, as 16 lowercase hex digits. For
    /// data that is generated (the synthetic sets) it is the trial's id; for data read from files,
    /// `identity(data:)` is, and this is the id such a trial had before data fingerprints existed (keyed by the
    /// data's path), by which older databases' trials are still recognised.
    public var identity: String { Self.hash(identityJSON) }

    /// The identity values with the data's contents in place of its location: `data_dir` left out, `data` = the
    /// fingerprint of the files read (``DataFingerprint``). Without a fingerprint (generated data), `identityValues`.
    public func identityValues(data fingerprint: String?) -> [String: ParameterValue] {
        guard let fingerprint else { return identityValues }
        var values = identityValues
        values["data_dir"] = nil
        values["data"] = .string(fingerprint)
        return values
    }

    /// The identity values without the data's location (`data_dir`): what a trial or checkpoint registered when ids
    /// hashed the data's path must share with a planned one to be matched to it wherever the data lives now.
    public var locationFreeIdentityValues: [String: ParameterValue] {
        var values = identityValues
        values["data_dir"] = nil
        return values
    }

    /// The trial ID: FNV-1a of `identityValues(data:)`'s canonical JSON. Regenerating a file with other contents gives
    /// new trials; moving or renaming it gives the same.
    public func identity(data fingerprint: String?) -> String {
        Self.hash(Self.json(identityValues(data: fingerprint)))
    }

    private static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func json(_ values: [String: ParameterValue]) -> String {
        "{" + values.keys.sorted().map { "\"\($0)\":" + values[$0]!.jsonLiteral }.joined(separator: ",") + "}"
    }

    public init(from decoder: any Decoder) throws {
        let raw = try [String: ParameterValue](from: decoder)
        do {
            self = try .resolve(raw)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws { try values.encode(to: encoder) }
}
