import Foundation
import RNNTraining
import Yams

/// Reads and fully validates YAML experiment files (see `Experiments/table-1.5.1.yaml` for the format).
public enum ExperimentFile {
    /// Top-level keys besides the data keys.
    public static let sectionKeys = [
        "name", "description", "defaults", "grid", "seeds", "exclude", "executor", "search", "early_stopping",
        "budget", "until",
    ]
    /// Parameters that may also be set at the top level, as defaults for every trial: the data parameters.
    public static let dataKeys = ParameterSchema.names(in: .data)

    private static let seedHint = "list seeds in the top-level 'seeds:' key, e.g. seeds: [1, 2, 3]"

    /// Reads and validates the file at `path`; see `parse(yaml:path:maxTrials:)`.
    public static func load(path: String, maxTrials: Int = 10_000) throws(ExperimentError) -> Experiment {
        try loadSweep(path: path, maxTrials: maxTrials).experiment
    }

    /// Reads and validates the file at `path` and returns its trials too: the grid is expanded once, by the
    /// validation that needs it, not again by the caller (at the 10,000-trial limit that is seconds).
    public static func loadSweep(
        path: String, maxTrials: Int = 10_000
    ) throws(ExperimentError) -> (experiment: Experiment, sweep: ExpandedSweep) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ExperimentError(
                path: path, position: .start, kind: .unreadable,
                message: "cannot read the experiment file: \(error.localizedDescription)")
        }
        return try parseSweep(yaml: text, path: path, maxTrials: maxTrials)
    }

    /// Parses and validates an experiment completely: structure, every key and value, every trial's resolved
    /// parameters, duplicates and the trial limit (by expanding the grid), so that a caller that gets an
    /// `Experiment` back can go on without further failures from the file.
    public static func parse(yaml: String, path: String, maxTrials: Int = 10_000) throws(ExperimentError) -> Experiment
    {
        try parseSweep(yaml: yaml, path: path, maxTrials: maxTrials).experiment
    }

    /// `parse(yaml:path:maxTrials:)` and the trials the validation expanded.
    public static func parseSweep(
        yaml: String, path: String, maxTrials: Int = 10_000
    ) throws(ExperimentError) -> (experiment: Experiment, sweep: ExpandedSweep) {
        let maxTrials = min(maxTrials, GridExpander.trialCeiling)
        let reader = YAMLReader(path: path)
        guard let root = try reader.compose(yaml) else {
            throw reader.error(nil, .missingName, "the experiment file is empty; it needs at least 'name:'")
        }
        guard case .mapping(let mapping) = root else {
            throw reader.error(root, .invalidStructure, "an experiment file must be a mapping with 'name:' and 'grid:'")
        }
        var experiment = Experiment(name: "", path: path, grid: [], gridPosition: reader.position(root))
        var hasName = false
        var patience = EarlyStoppingSection()
        for (key, keyNode, value) in try reader.entries(mapping) {
            switch key {
            case "name":
                experiment.name = try reader.string(value, key: key)
                if let problem = SweepName.problem(experiment.name) {
                    throw reader.error(value, .invalidStructure, "name: \(problem)")
                }
                hasName = true
            case "description":
                experiment.description = try reader.string(value, key: key)
            case "defaults":
                experiment.defaults = try reader.settings(value, section: "defaults", seedHint: seedHint)
            case "grid":
                experiment.grid = try grid(value, reader)
                experiment.gridPosition = reader.position(keyNode)
            case "seeds":
                experiment.seeds = try seeds(value, reader, maxTrials: maxTrials)
            case "exclude":
                experiment.exclude = try exclude(value, reader)
            case "executor":
                experiment.executor = try executor(value, reader)
            case "search":
                experiment.search = try search(value, reader, maxTrials: maxTrials)
            case "early_stopping":
                let section = try earlyStoppingSection(value, reader)
                experiment.earlyStopping = section.halving
                patience = section
            case "budget", "until":
                // When the run must end (``DeadlineSpec``): not part of the experiment's identity.
                let text = try reader.string(value, key: key)
                do throws(DeadlineSpec.ParseError) {
                    experiment.deadline = try key == "budget" ? DeadlineSpec.budget(text) : DeadlineSpec.until(text)
                } catch {
                    throw reader.error(value, .invalidStructure, "\(key): \(error.message)")
                }
                if experiment.deadlinePosition != nil {
                    throw reader.error(keyNode, .invalidStructure, "give either budget: or until:, not both")
                }
                experiment.deadlinePosition = reader.position(keyNode)
            case _ where dataKeys.contains(key):
                let spec = try reader.spec(key, at: keyNode, section: "the top level")
                experiment.dataDefaults.append(
                    ParameterSetting(
                        key: key, value: try reader.value(value, for: spec), position: reader.position(value)))
            case "seed":
                throw reader.error(keyNode, .misplacedKey(key), "seed cannot be set at the top level; \(seedHint)")
            case _ where ParameterSchema.spec(named: key) != nil:
                throw reader.error(
                    keyNode, .misplacedKey(key),
                    "'\(key)' is a training parameter; put it under 'defaults:' or 'grid:' (only the data keys "
                        + dataKeys.joined(separator: ", ") + " may be set at the top level)")
            default:
                let suggestion = ParameterSchema.closestMatch(to: key, among: sectionKeys + dataKeys)
                throw reader.error(
                    keyNode, .unknownKey(key),
                    "unknown key '\(key)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""))
            }
        }
        guard hasName else { throw reader.error(root, .missingName, "missing 'name:' (the sweep's name)") }
        for setting in experiment.defaults {
            if let top = experiment.dataDefaults.first(where: { $0.key == setting.key }) {
                throw ExperimentError(
                    path: path, position: setting.position, kind: .misplacedKey(setting.key),
                    message: "\(setting.key) is already set at the top level (line \(top.position.line)); set it once")
            }
        }
        if let itself = experiment.search?.warmStart.first(where: { $0.name == experiment.name }) {
            throw ExperimentError(
                path: path, position: itself.position, kind: .invalidStructure,
                message: "search: warm_start: '\(itself.name)' is this sweep; name earlier sweeps")
        }
        for dimension in experiment.search?.dimensions ?? [] {
            let fixed = (experiment.dataDefaults + experiment.defaults).first { $0.key == dimension.key }
            let axis = experiment.grid.flatMap(\.axes).first { $0.key == dimension.key }
            if let where_ = fixed?.position ?? axis?.position {
                throw ExperimentError(
                    path: path, position: dimension.position, kind: .misplacedKey(dimension.key),
                    message:
                        "\(dimension.key) is sampled by search: and also set at line \(where_.line); set it in one place"
                )
            }
        }
        try applyPatience(patience, to: &experiment, path: path)
        // A relative data_dir is relative to the experiment file, not to where rnnsweep runs.
        experiment.resolveDataPaths(relativeTo: URL(fileURLWithPath: path).deletingLastPathComponent())
        // Halving without a metric ranks on the task's headline metric: val_mae when the file sets task: regression.
        if var stopping = experiment.earlyStopping, !stopping.metricGiven,
            (experiment.dataDefaults + experiment.defaults).last(where: { $0.key == "task" })?.value
                == .string(Task.regression.rawValue)
        {
            stopping.rule.metric = MetricKey(.validation, Task.regression.primaryMetric)
            experiment.earlyStopping = stopping
        }
        // Expanding checks what only the resolved trials show: combinations, duplicates, the trial limit.
        let sweep = try GridExpander.expand(experiment, maxTrials: maxTrials)
        return (experiment, sweep)
    }

    private static func grid(_ node: Node, _ reader: YAMLReader) throws(ExperimentError) -> [GridBlock] {
        let blocks: [Node]
        switch node {
        case .mapping: blocks = [node]
        case .sequence(let sequence): blocks = Array(sequence)
        default:
            let kind: ExperimentError.Kind = reader.tagName(node) == .null ? .emptyGrid : .invalidStructure
            throw reader.error(node, kind, "grid: expected a mapping of parameter: [values] or a list of them")
        }
        guard !blocks.isEmpty else { throw reader.error(node, .emptyGrid, "grid: is an empty list") }
        var result: [GridBlock] = []
        for block in blocks {
            guard case .mapping(let mapping) = block else {
                throw reader.error(
                    block, .invalidStructure, "grid: each entry must be a mapping of parameter: [values]")
            }
            guard !mapping.isEmpty else { throw reader.error(block, .emptyGrid, "grid: this block has no keys") }
            var axes: [GridAxis] = []
            for (key, keyNode, valueNode) in try reader.entries(mapping) {
                if key == "seed" {
                    throw reader.error(keyNode, .misplacedKey(key), "seed cannot be a grid key; \(seedHint)")
                }
                let spec = try reader.spec(key, at: keyNode, section: "grid")
                let valueNodes: [Node]
                if case .sequence(let sequence) = valueNode {
                    valueNodes = Array(sequence)
                } else {
                    valueNodes = [valueNode]
                }
                guard !valueNodes.isEmpty else {
                    throw reader.error(valueNode, .emptyGrid, "grid: '\(key)' has an empty list of values")
                }
                var values: [ParameterValue] = []
                for node in valueNodes { values.append(try reader.value(node, for: spec)) }
                axes.append(
                    GridAxis(
                        key: key, values: values, position: reader.position(keyNode),
                        valuePositions: valueNodes.map(reader.position)))
            }
            result.append(GridBlock(axes: axes, position: reader.position(block)))
        }
        return result
    }

    private static func seeds(_ node: Node, _ reader: YAMLReader, maxTrials: Int) throws(ExperimentError) -> [Int] {
        let seedSpec = ParameterSchema.spec(named: "seed")!
        if case .scalar = node {
            // `seeds: n` means 1...n.
            guard let n = node.int, n >= 1 else {
                throw reader.error(node, .invalidStructure, "seeds: expected a count ≥ 1 or a list of seeds")
            }
            guard n <= maxTrials else {
                throw reader.error(
                    node, .tooManyTrials(limit: maxTrials), "seeds: \(n) seeds exceed the limit of \(maxTrials) trials")
            }
            return Array(1...n)
        }
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            throw reader.error(node, .invalidStructure, "seeds: expected a count ≥ 1 or a non-empty list of seeds")
        }
        var seeds: [Int] = []
        for element in sequence {
            let seed = try reader.value(element, for: seedSpec).intValue!
            guard !seeds.contains(seed) else {
                throw reader.error(element, .invalidStructure, "seeds: \(seed) is listed twice")
            }
            seeds.append(seed)
        }
        return seeds
    }

    private static func exclude(_ node: Node, _ reader: YAMLReader) throws(ExperimentError) -> [ExcludeRule] {
        guard case .sequence(let sequence) = node else {
            throw reader.error(node, .invalidStructure, "exclude: expected a list of mappings, e.g. - {cell: gru}")
        }
        var rules: [ExcludeRule] = []
        for entry in sequence {
            let settings = try reader.settings(
                entry, section: "exclude", seedHint: "exclude drops grid points, and every grid point runs every seed")
            guard !settings.isEmpty else {
                throw reader.error(entry, .invalidStructure, "exclude: an empty entry would drop every grid point")
            }
            rules.append(ExcludeRule(settings: settings, position: reader.position(entry)))
        }
        return rules
    }
}
