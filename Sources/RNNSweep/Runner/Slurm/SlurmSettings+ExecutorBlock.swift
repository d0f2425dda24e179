import Yams

/// The experiment file's Slurm keys in its `executor:` block (the command line overrides them key by key).
extension SlurmSettings {
    /// The block's keys that are Slurm's, in the order error messages list them.
    static let fileKeys = [
        "partition", "max_parallel", "time", "cpus_per_task", "mem", "sbatch_args", "shared_dir", "poll_interval",
        "command_timeout", "trials_per_task",
    ]

    /// Reads the value of one of ``fileKeys``; ``validate()`` checks the result.
    mutating func read(_ key: String, _ value: Node, _ values: ExecutorValueReader) throws(ExperimentError) {
        switch key {
        case "partition": partition = try values.text(value, key)
        case "max_parallel": maxParallel = try values.positive(value, key)
        case "time": time = try values.text(value, key)
        case "cpus_per_task": cpusPerTask = try values.positive(value, key)
        case "mem": mem = try values.text(value, key)
        case "shared_dir": sharedDirectory = try values.text(value, key)
        case "poll_interval": pollInterval = try values.seconds(value, key)
        case "command_timeout": commandTimeout = try values.seconds(value, key)
        case "sbatch_args": sbatchArgs = try values.arguments(value, key)
        case "trials_per_task":
            guard let perTask = TrialsPerTask(text: try values.text(value, key)) else {
                throw values.reader.error(
                    value, .invalidStructure, "executor: \(key): expected auto or an integer ≥ 1")
            }
            trialsPerTask = perTask
        default: preconditionFailure("\(key) is not one of SlurmSettings.fileKeys")
        }
    }
}
