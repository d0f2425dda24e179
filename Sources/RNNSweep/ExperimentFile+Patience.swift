import RNNTraining
import Yams

/// The `early_stopping:` section: one block, or a list with at most one block per method, so that patience (per
/// trial) composes with successive halving (across trials).
///
/// ```yaml
/// early_stopping:
///   - {method: successive_halving, min_epochs: 2}
///   - method: patience     # Keras's EarlyStopping, per trial
///     metric: val_loss     # patience_metric (default val_loss)
///     patience: 3          # epochs without improvement before the trial stops (≥ 1)
///     min_delta: 0.0       # the smallest change that counts as an improvement
///     restore_best: true   # test the best epoch's weights (default false, as Keras)
/// ```
///
/// A patience block sets the training parameters `patience`, `patience_metric`, `min_delta` and `restore_best` of
/// every trial: they change what a trial computes, so they are part of its identity, and `rnnsweep train` takes
/// them as flags.
extension ExperimentFile {
    /// What the section holds: the halving rule, if any, and the parameters the patience block sets.
    struct EarlyStoppingSection {
        var halving: EarlyStopping?
        var patience: [ParameterSetting] = []
        /// Where the patience block is written.
        var patiencePosition: SourcePosition?
    }

    /// The `method:` of a patience block (the others are ``HalvingMethod``s).
    static let patienceMethod = "patience"

    static func earlyStoppingSection(_ node: Node, _ reader: YAMLReader) throws(ExperimentError)
        -> EarlyStoppingSection
    {
        let blocks: [Node]
        if case .sequence(let sequence) = node { blocks = Array(sequence) } else { blocks = [node] }
        guard !blocks.isEmpty else {
            throw reader.error(node, .invalidStructure, "early_stopping: expected a block or a list of blocks")
        }
        var section = EarlyStoppingSection()
        for block in blocks {
            if try method(of: block, reader) == patienceMethod {
                if let first = section.patiencePosition {
                    throw reader.error(
                        block, .invalidStructure,
                        "early_stopping: a second 'method: patience' block (the first is at line \(first.line)); "
                            + "give each method once")
                }
                section.patience = try patience(block, reader)
                section.patiencePosition = reader.position(block)
            } else {
                if let first = section.halving {
                    throw reader.error(
                        block, .invalidStructure,
                        "early_stopping: a second halving block ('method: \(first.method.rawValue)' is at line "
                            + "\(first.position.line)); give one of successive_halving, async_halving, hyperband")
                }
                section.halving = try earlyStopping(block, reader)
            }
        }
        return section
    }

    /// The `method:` of a block, nil when it has none (the halving reader then says what is missing).
    private static func method(of block: Node, _ reader: YAMLReader) throws(ExperimentError) -> String? {
        guard case .mapping(let mapping) = block else { return nil }
        for (key, _, value) in try reader.entries(mapping) where key == "method" {
            return try reader.string(value, key: "early_stopping: method")
        }
        return nil
    }

    /// A `method: patience` block as the parameters it sets, each at the position of its value.
    private static func patience(_ node: Node, _ reader: YAMLReader) throws(ExperimentError) -> [ParameterSetting] {
        guard case .mapping(let mapping) = node else {
            throw reader.error(node, .invalidStructure, "early_stopping: expected a mapping with method, patience, …")
        }
        // Block key → parameter.
        let parameters = [
            ("patience", "patience"), ("metric", "patience_metric"), ("min_delta", "min_delta"),
            ("restore_best", "restore_best"),
        ]
        let keys = ["method"] + parameters.map(\.0)
        var settings: [ParameterSetting] = []
        for (key, keyNode, value) in try reader.entries(mapping) {
            if key == "method" { continue }
            guard let name = parameters.first(where: { $0.0 == key })?.1 else {
                let suggestion = ParameterSchema.closestMatch(to: key, among: keys)
                throw reader.error(
                    keyNode, .unknownKey(key),
                    "early_stopping: patience: unknown key '\(key)'"
                        + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                        + " (allowed: \(keys.joined(separator: ", ")))")
            }
            let parameter = try reader.value(value, for: ParameterSchema.spec(named: name)!)
            if name == "patience", (parameter.intValue ?? 0) < 1 {
                throw reader.error(
                    value, .invalidStructure,
                    "early_stopping: patience: expected an integer ≥ 1 (leave the block out to train every epoch)")
            }
            settings.append(ParameterSetting(key: name, value: parameter, position: reader.position(value)))
        }
        guard settings.contains(where: { $0.key == "patience" }) else {
            throw reader.error(node, .invalidStructure, "early_stopping: missing 'patience:' (epochs, e.g. 3)")
        }
        return settings
    }

    /// Adds the patience block's parameters to the file's defaults; a parameter it sets may not be set anywhere else.
    static func applyPatience(_ section: EarlyStoppingSection, to experiment: inout Experiment, path: String)
        throws(ExperimentError)
    {
        for setting in section.patience {
            let elsewhere =
                (experiment.dataDefaults + experiment.defaults).first { $0.key == setting.key }?.position
                ?? experiment.grid.flatMap(\.axes).first { $0.key == setting.key }?.position
                ?? experiment.search?.dimensions.first { $0.key == setting.key }?.position
            if let elsewhere {
                throw ExperimentError(
                    path: path, position: setting.position, kind: .misplacedKey(setting.key),
                    message: "\(setting.key) is set by early_stopping (method: patience) and also at line "
                        + "\(elsewhere.line); set it in one place")
            }
        }
        experiment.defaults += section.patience
    }
}
