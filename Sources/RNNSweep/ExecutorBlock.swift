import RNNTraining
import Yams

/// An experiment file's `executor:` block: where its trials run unless the command line says otherwise.
///
/// ```yaml
/// executor:
///   kind: slurm          # or local
///   partition: debug
///   max_parallel: 8
///   time: "02:00:00"
///   cpus_per_task: 1
///   mem: 2G
///   sbatch_args: [--qos=short]
///   shared_dir: /scratch/me/rnnsweep
///   poll_interval: 2     # seconds between two squeue calls
/// ```
public struct ExecutorBlock: Sendable, Hashable {
    /// `local` or `slurm`.
    public var kind: String?
    /// Local worker processes.
    public var workers: Int?
    public var slurm = SlurmSettings()
    /// Which Slurm keys the file sets (the command line overrides key by key).
    public var slurmKeys: Set<String> = []

    public init() {}

    /// The keys of the block.
    public static let keys = ["kind", "workers"] + SlurmSettings.fileKeys
}

extension ExperimentFile {
    static func executor(_ node: Node, _ reader: YAMLReader) throws(ExperimentError) -> ExecutorBlock {
        guard case .mapping(let mapping) = node else {
            throw reader.error(
                node, .invalidStructure, "executor: expected a mapping, e.g. {kind: slurm, partition: debug}")
        }
        var block = ExecutorBlock()
        let values = ExecutorValueReader(reader: reader)
        for (key, keyNode, value) in try reader.entries(mapping) {
            switch key {
            case "kind":
                let kind = try values.text(value, key)
                guard ExecutorChoice.kinds.contains(kind) else {
                    throw reader.error(
                        value, .invalidStructure,
                        "executor: kind: '\(kind)' is not " + ExecutorChoice.kinds.joined(separator: " or "))
                }
                block.kind = kind
            case "workers": block.workers = try values.positive(value, key)
            case _ where SlurmSettings.fileKeys.contains(key): try block.slurm.read(key, value, values)
            default:
                let suggestion = ParameterSchema.closestMatch(to: key, among: ExecutorBlock.keys)
                throw reader.error(
                    keyNode, .unknownKey(key),
                    "executor: unknown key '\(key)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                        + " (allowed: \(ExecutorBlock.keys.joined(separator: ", ")))")
            }
            if key != "kind" && key != "workers" { block.slurmKeys.insert(key) }
            do {
                try block.slurm.validate()
            } catch {
                throw reader.error(value, .invalidStructure, "executor: \(error.description)")
            }
        }
        return block
    }
}

/// Reads the `executor:` block's values, with messages that name the key; an executor's settings read theirs with it.
struct ExecutorValueReader {
    let reader: YAMLReader

    /// The text as written: `time: 01:00:00` must not become YAML 1.1's sexagesimal 3600.
    func text(_ value: Node, _ key: String) throws(ExperimentError) -> String {
        guard case .scalar(let scalar) = value, reader.tagName(value) != .null, !scalar.string.isEmpty else {
            throw reader.error(value, .invalidStructure, "executor: \(key): expected a single value")
        }
        return scalar.string
    }

    func positive(_ value: Node, _ key: String) throws(ExperimentError) -> Int {
        guard let n = Int(try text(value, key)), n >= 1 else {
            throw reader.error(value, .invalidStructure, "executor: \(key): expected an integer ≥ 1")
        }
        return n
    }

    func seconds(_ value: Node, _ key: String) throws(ExperimentError) -> Double {
        guard let seconds = Double(try text(value, key)) else {
            throw reader.error(value, .invalidStructure, "executor: \(key): expected seconds")
        }
        return seconds
    }

    /// A list of texts, e.g. extra arguments for a submit command.
    func arguments(_ value: Node, _ key: String) throws(ExperimentError) -> [String] {
        guard case .sequence(let sequence) = value else {
            throw reader.error(value, .invalidStructure, "executor: \(key): expected a list of arguments")
        }
        var arguments: [String] = []
        for element in sequence { arguments.append(try text(element, key)) }
        return arguments
    }
}
