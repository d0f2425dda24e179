import RNNTraining
import Yams

/// The `search:` and `early_stopping:` blocks of an experiment file.
///
/// ```yaml
/// search:
///   samples: 30            # configurations drawn from the distributions below
///   seed: 0                # the sampler's seed (not the training seed)
///   space:
///     learning_rate: {log_uniform: [1.0e-4, 1.0e-1]}
///     dropout: {uniform: [0.0, 0.5]}
///     units: {choice: [64, 128, 256]}      # also {int_uniform: [a, b]}, {int_log_uniform: [a, b]}
///   method: tpe            # optional: random (the default) or tpe, a tree-structured Parzen estimator
///   batch: 4               # tpe only: proposals per generation, from earlier generations' results (default 1)
///   startup: 10            # tpe only: random search's first samples, before TPE proposes (default 10)
///   warm_start: [sweep-a]  # tpe only: earlier sweeps of the database whose matching trials seed TPE (WarmStart)
/// early_stopping:
///   method: successive_halving   # or async_halving (no rung barrier), hyperband (brackets)
///   metric: val_accuracy   # or val_loss, val_mae, val_rmse (default: val_accuracy, val_mae for regression);
///                          # needs validation_split > 0
///   min_epochs: 2          # the first rung; then min_epochs × η^k, and epochs
///   reduction_factor: 3    # η: the best 1/η of the configurations go on at each rung
/// ```
extension ExperimentFile {
    static func search(_ node: Node, _ reader: YAMLReader, maxTrials: Int) throws(ExperimentError) -> SearchSpace {
        guard case .mapping(let mapping) = node else {
            throw reader.error(node, .invalidStructure, "search: expected a mapping with samples, seed and space")
        }
        var samples: Int?
        var seed: UInt64 = 0
        var dimensions: [SearchSpace.Dimension] = []
        var hasSpace = false
        var method: (name: String, node: Node)?
        var batch: (count: Int, node: Node)?
        var startup: (count: Int, node: Node)?
        var warmStart: (sources: [WarmStartSource], node: Node)?
        let keys = ["samples", "seed", "space", "method", "batch", "startup", "warm_start"]
        for (key, keyNode, value) in try reader.entries(mapping) {
            switch key {
            case "method":
                let name = try reader.string(value, key: "search: method")
                guard name == "random" || name == "tpe" else {
                    let suggestion = ParameterSchema.closestMatch(to: name, among: ["random", "tpe"])
                    throw reader.error(
                        value, .invalidStructure,
                        "search: method: '\(name)' is not random or tpe"
                            + (suggestion.map { "; did you mean '\($0)'?" } ?? ""))
                }
                method = (name, value)
            case "batch", "startup":
                // startup ≥ 1: the first proposals need at least one result to learn from.
                guard let n = value.int, n >= 1 else {
                    throw reader.error(value, .invalidStructure, "search: \(key): expected a count ≥ 1")
                }
                if key == "batch" { batch = (n, keyNode) } else { startup = (n, keyNode) }
            case "warm_start":
                warmStart = (try warmStartSources(value, reader), keyNode)
            case "samples":
                guard let n = value.int, n >= 1 else {
                    throw reader.error(value, .invalidStructure, "search: samples: expected a count ≥ 1")
                }
                guard n <= maxTrials else {
                    throw reader.error(
                        value, .tooManyTrials(limit: maxTrials),
                        "search: \(n) samples exceed the limit of \(maxTrials) trials")
                }
                samples = n
            case "seed":
                guard let n = value.int, n >= 0 else {
                    throw reader.error(value, .invalidStructure, "search: seed: expected an integer ≥ 0")
                }
                seed = UInt64(n)
            case "space":
                dimensions = try space(value, reader)
                hasSpace = true
            default:
                let suggestion = ParameterSchema.closestMatch(to: key, among: keys)
                throw reader.error(
                    keyNode, .unknownKey(key),
                    "search: unknown key '\(key)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                        + " (allowed: \(keys.joined(separator: ", ")))")
            }
        }
        guard let samples else { throw reader.error(node, .invalidStructure, "search: missing 'samples:'") }
        guard hasSpace, !dimensions.isEmpty else {
            throw reader.error(node, .invalidStructure, "search: missing 'space:' (parameter: {distribution: …})")
        }
        var searchMethod = SearchMethod.random
        if method?.name == "tpe" {
            searchMethod = .tpe(
                batch: batch?.count ?? SearchMethod.defaultBatch,
                startup: startup?.count ?? SearchMethod.defaultStartup)
        } else if let (_, node) = batch ?? startup {
            throw reader.error(
                node, .invalidStructure,
                "search: \(batch != nil ? "batch" : "startup"): only with 'method: tpe' (random search draws every "
                    + "sample before the run)")
        }
        if let (_, node) = warmStart, method?.name != "tpe" {
            throw reader.error(
                node, .invalidStructure,
                "search: warm_start: only with 'method: tpe' (earlier results seed the model-based sampler; random "
                    + "search learns from none)")
        }
        return SearchSpace(
            samples: samples, seed: seed, dimensions: dimensions, position: reader.position(node), method: searchMethod,
            warmStart: warmStart?.sources ?? [])
    }

    /// `warm_start: [sweep, …]`: sweep names, each valid and listed once.
    private static func warmStartSources(_ node: Node, _ reader: YAMLReader) throws(ExperimentError)
        -> [WarmStartSource]
    {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            throw reader.error(
                node, .invalidStructure, "search: warm_start: expected a list of earlier sweeps' names, e.g. [sweep-a]")
        }
        var sources: [WarmStartSource] = []
        for element in sequence {
            let name = try reader.string(element, key: "search: warm_start")
            if let problem = SweepName.problem(name) {
                throw reader.error(element, .invalidStructure, "search: warm_start: \(problem)")
            }
            if sources.contains(where: { $0.name == name }) {
                throw reader.error(element, .invalidStructure, "search: warm_start: sweep '\(name)' is listed twice")
            }
            sources.append(WarmStartSource(name: name, position: reader.position(element)))
        }
        return sources
    }

    private static func space(_ node: Node, _ reader: YAMLReader) throws(ExperimentError) -> [SearchSpace.Dimension] {
        guard case .mapping(let mapping) = node else {
            throw reader.error(
                node, .invalidStructure, "search: space: expected a mapping of parameter: {distribution: …}")
        }
        var dimensions: [SearchSpace.Dimension] = []
        for (key, keyNode, value) in try reader.entries(mapping) {
            if key == "seed" {
                throw reader.error(keyNode, .misplacedKey(key), "seed cannot be sampled; list seeds in 'seeds:'")
            }
            let spec = try reader.spec(key, at: keyNode, section: "search: space")
            dimensions.append(
                SearchSpace.Dimension(
                    key: key, distribution: try distribution(value, spec, reader), position: reader.position(value)))
        }
        return dimensions
    }

    private static func distribution(_ node: Node, _ spec: ParameterSpec, _ reader: YAMLReader) throws(ExperimentError)
        -> SearchSpace.Distribution
    {
        let kinds = SearchSpace.Distribution.names.joined(separator: ", ")
        guard case .mapping(let mapping) = node, mapping.count == 1, let (kindNode, argument) = mapping.first,
            case .scalar(let kindScalar) = kindNode
        else {
            throw reader.error(
                node, .invalidStructure,
                "\(spec.name): expected one distribution, e.g. {log_uniform: [1.0e-4, 0.1]} (\(kinds))")
        }
        let kind = kindScalar.string
        guard case .sequence(let sequence) = argument, !sequence.isEmpty else {
            throw reader.error(argument, .invalidStructure, "\(spec.name): \(kind): expected a list")
        }
        let values = Array(sequence)
        if kind == "choice" {
            var choices: [ParameterValue] = []
            for element in values {
                let value = try reader.value(element, for: spec)
                if choices.contains(value) {
                    throw reader.error(
                        element, .invalidStructure, "\(spec.name): choice: \(value.quoted) is listed twice")
                }
                choices.append(value)
            }
            return .choice(choices)
        }
        guard SearchSpace.Distribution.names.contains(kind) else {
            let suggestion = ParameterSchema.closestMatch(to: kind, among: SearchSpace.Distribution.names)
            throw reader.error(
                kindNode, .invalidStructure,
                "\(spec.name): unknown distribution '\(kind)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                    + " (\(kinds))")
        }
        guard values.count == 2 else {
            throw reader.error(argument, .invalidStructure, "\(spec.name): \(kind): expected [low, high]")
        }
        let integer = kind.hasPrefix("int_")
        let expected: ParameterKind = integer ? .int : .double
        guard spec.kind == expected else {
            let other = integer ? kind.dropFirst(4) : "int_" + kind
            throw reader.error(
                kindNode, .invalidStructure,
                "\(spec.name): \(kind) draws \(integer ? "integers" : "numbers"), but \(spec.name) is "
                    + "\(spec.kind.expectation)" + (spec.kind == .int || spec.kind == .double ? "; use \(other)" : ""))
        }
        // Both ends must be values the parameter allows (so every draw is).
        let low = try reader.value(values[0], for: spec)
        let high = try reader.value(values[1], for: spec)
        let logarithmic = kind.contains("log_")
        if integer {
            let (a, b) = (low.intValue!, high.intValue!)
            guard a < b else {
                throw reader.error(
                    values[0], .invalidStructure, "\(spec.name): \(kind): low \(a) must be below high \(b)")
            }
            if logarithmic && a < 1 {
                throw reader.error(
                    values[0], .invalidStructure, "\(spec.name): \(kind): low must be ≥ 1 on a log scale")
            }
            return logarithmic ? .intLogUniform(a, b) : .intUniform(a, b)
        }
        let (a, b) = (low.doubleValue!, high.doubleValue!)
        guard a < b else {
            throw reader.error(values[0], .invalidStructure, "\(spec.name): \(kind): low \(a) must be below high \(b)")
        }
        if logarithmic && !(a > 0) {
            throw reader.error(values[0], .invalidStructure, "\(spec.name): \(kind): low must be > 0 on a log scale")
        }
        return logarithmic ? .logUniform(a, b) : .uniform(a, b)
    }

    static func earlyStopping(_ node: Node, _ reader: YAMLReader) throws(ExperimentError) -> EarlyStopping {
        guard case .mapping(let mapping) = node else {
            throw reader.error(node, .invalidStructure, "early_stopping: expected a mapping with method, metric, …")
        }
        let keys = ["method", "metric", "min_epochs", "reduction_factor"]
        // Without `metric:`, the classification headline; `loadSweep` switches a regression file to its own.
        var metric = MetricKey(.validation, Task.classification.primaryMetric)
        var metricGiven = false
        var minEpochs: Int?
        var factor = 3
        var hasMethod = false
        var method = HalvingMethod.successiveHalving
        for (key, keyNode, value) in try reader.entries(mapping) {
            switch key {
            case "method":
                method = try halvingMethod(value, reader)
                hasMethod = true
            case "metric":
                let text = try reader.string(value, key: "early_stopping: metric")
                let allowed = Metric.allCases.map { MetricKey(.validation, $0).recordName }
                guard let m = MetricKey(name: text), m.split == .validation else {
                    throw reader.error(
                        value, .invalidStructure,
                        "early_stopping: metric: '\(text)' is not a validation metric; allowed: "
                            + allowed.joined(separator: ", "))
                }
                metric = m
                metricGiven = true
            case "min_epochs":
                guard let n = value.int, n >= 1 else {
                    throw reader.error(value, .invalidStructure, "early_stopping: min_epochs: expected an integer ≥ 1")
                }
                minEpochs = n
            case "reduction_factor":
                guard let n = value.int, n >= 2 else {
                    throw reader.error(
                        value, .invalidStructure, "early_stopping: reduction_factor: expected an integer ≥ 2")
                }
                factor = n
            default:
                let suggestion = ParameterSchema.closestMatch(to: key, among: keys)
                throw reader.error(
                    keyNode, .unknownKey(key),
                    "early_stopping: unknown key '\(key)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                        + " (allowed: \(keys.joined(separator: ", ")))")
            }
        }
        guard hasMethod else {
            throw reader.error(node, .invalidStructure, "early_stopping: missing 'method: successive_halving'")
        }
        guard let minEpochs else {
            throw reader.error(node, .invalidStructure, "early_stopping: missing 'min_epochs:'")
        }
        return EarlyStopping(
            rule: SuccessiveHalving(metric: metric, minEpochs: minEpochs, reductionFactor: factor),
            position: reader.position(node), metricGiven: metricGiven, method: method)
    }

    /// `early_stopping: method:`, one of the halving methods.
    private static func halvingMethod(_ node: Node, _ reader: YAMLReader) throws(ExperimentError) -> HalvingMethod {
        let text = try reader.string(node, key: "early_stopping: method")
        guard let method = HalvingMethod(rawValue: text) else {
            let names = HalvingMethod.allCases.map(\.rawValue) + [patienceMethod]
            let suggestion = ParameterSchema.closestMatch(to: text, among: names)
            throw reader.error(
                node, .invalidStructure,
                "early_stopping: method: '\(text)' is not an early-stopping method"
                    + (suggestion.map { "; did you mean '\($0)'?" } ?? "") + " (\(names.joined(separator: ", ")))")
        }
        return method
    }
}
