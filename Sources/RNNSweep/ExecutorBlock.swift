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
    public static let keys = [
        "kind", "workers", "partition", "max_parallel", "time", "cpus_per_task", "mem", "sbatch_args", "shared_dir",
        "poll_interval", "command_timeout",
    ]
}

extension ExperimentFile {
    static func executor(_ node: Node, _ reader: YAMLReader) throws(ExperimentError) -> ExecutorBlock {
        guard case .mapping(let mapping) = node else {
            throw reader.error(
                node, .invalidStructure, "executor: expected a mapping, e.g. {kind: slurm, partition: debug}")
        }
        var block = ExecutorBlock()
        func text(_ value: Node, _ key: String) throws(ExperimentError) -> String {
            // The text as written: `time: 01:00:00` must not become YAML 1.1's sexagesimal 3600.
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
        for (key, keyNode, value) in try reader.entries(mapping) {
            switch key {
            case "kind":
                let kind = try text(value, key)
                guard kind == "local" || kind == "slurm" else {
                    throw reader.error(value, .invalidStructure, "executor: kind: '\(kind)' is not local or slurm")
                }
                block.kind = kind
            case "workers": block.workers = try positive(value, key)
            case "partition": block.slurm.partition = try text(value, key)
            case "max_parallel": block.slurm.maxParallel = try positive(value, key)
            case "time": block.slurm.time = try text(value, key)
            case "cpus_per_task": block.slurm.cpusPerTask = try positive(value, key)
            case "mem": block.slurm.mem = try text(value, key)
            case "shared_dir": block.slurm.sharedDirectory = try text(value, key)
            case "poll_interval":
                guard let seconds = Double(try text(value, key)) else {
                    throw reader.error(value, .invalidStructure, "executor: poll_interval: expected seconds")
                }
                block.slurm.pollInterval = seconds
            case "command_timeout":
                guard let seconds = Double(try text(value, key)) else {
                    throw reader.error(value, .invalidStructure, "executor: command_timeout: expected seconds")
                }
                block.slurm.commandTimeout = seconds
            case "sbatch_args":
                guard case .sequence(let sequence) = value else {
                    throw reader.error(value, .invalidStructure, "executor: sbatch_args: expected a list of arguments")
                }
                var arguments: [String] = []
                for element in sequence { arguments.append(try text(element, key)) }
                block.slurm.sbatchArgs = arguments
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
