import Foundation

/// How trials are submitted to Slurm: `run --executor slurm …`, or an experiment file's `executor:` block (the
/// command line wins key by key).
public struct SlurmSettings: Codable, Sendable, Hashable {
    /// `--partition`; nil = the cluster's default partition.
    public var partition: String?
    /// At most this many array tasks run at once (`--array=…%K`); nil = as many as Slurm schedules.
    public var maxParallel: Int?
    /// `--time` per array task (covering all its trials): `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM` or `D-HH:MM:SS`.
    public var time: String?
    /// `--cpus-per-task`: the worker's compute threads.
    public var cpusPerTask: Int
    /// `--mem` per task, e.g. `2G`.
    public var mem: String?
    /// More `sbatch` arguments, passed as given (`--qos=short`, `--account=…`).
    public var sbatchArgs: [String]
    /// A folder the compute nodes can read and write, for request, events and output files; nil = the sweep's
    /// folder beside the database (`<run directory>/slurm/<submission>/`).
    public var sharedDirectory: String?
    /// Seconds between two looks at the events files and `squeue`.
    public var pollInterval: Double
    /// Seconds a scheduler command (`squeue`, `sbatch`, `scancel`, `scontrol`) may take before it is killed and the
    /// controller counted as not answering; nil = ``defaultCommandTimeout``. Optional so that settings stored by
    /// earlier versions still decode.
    public var commandTimeout: Double?
    /// Trials one array task runs, one after another; nil = ``TrialsPerTask/auto``. Optional so that settings
    /// stored by earlier versions still decode.
    public var trialsPerTask: TrialsPerTask?

    /// 20 s: Slurm's own client gives up on a silent controller after its MessageTimeout (10 s by default) and
    /// retries once, so a call that takes longer will not answer at all.
    public static let defaultCommandTimeout: Double = 20

    /// ``commandTimeout`` or its default.
    var effectiveCommandTimeout: Double { commandTimeout ?? Self.defaultCommandTimeout }

    public init(
        partition: String? = nil, maxParallel: Int? = nil, time: String? = nil, cpusPerTask: Int = 1,
        mem: String? = nil, sbatchArgs: [String] = [], sharedDirectory: String? = nil, pollInterval: Double = 2,
        commandTimeout: Double? = nil, trialsPerTask: TrialsPerTask? = nil
    ) {
        self.partition = partition
        self.maxParallel = maxParallel
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.mem = mem
        self.sbatchArgs = sbatchArgs
        self.sharedDirectory = sharedDirectory
        self.pollInterval = pollInterval
        self.commandTimeout = commandTimeout
        self.trialsPerTask = trialsPerTask
    }

    enum CodingKeys: String, CodingKey {
        case partition, time, mem
        case maxParallel = "max_parallel"
        case cpusPerTask = "cpus_per_task"
        case sbatchArgs = "sbatch_args"
        case sharedDirectory = "shared_dir"
        case pollInterval = "poll_interval"
        case commandTimeout = "command_timeout"
        case trialsPerTask = "trials_per_task"
    }

    /// Checks every value before anything is submitted; the message names the setting.
    public func validate() throws(SlurmError) {
        if let maxParallel, maxParallel < 1 {
            throw .invalidSetting("max_parallel: \(maxParallel) must be at least 1")
        }
        if cpusPerTask < 1 { throw .invalidSetting("cpus_per_task: \(cpusPerTask) must be at least 1") }
        if let time, Self.timeLimitSeconds(time) == nil {
            throw .invalidSetting(
                "time: '\(time)' is not a Slurm time limit (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)")
        }
        if let mem, mem.range(of: "^[0-9]+[KMGT]?$", options: .regularExpression) == nil {
            throw .invalidSetting("mem: '\(mem)' is not a size like 2048, 500M or 4G")
        }
        if let partition, partition.isEmpty || partition.contains(where: \.isWhitespace) {
            throw .invalidSetting("partition: '\(partition)' is not a partition name")
        }
        if !(pollInterval > 0 && pollInterval <= 600) {
            throw .invalidSetting("poll_interval: \(pollInterval) must be in (0, 600] seconds")
        }
        if let commandTimeout, !(commandTimeout > 0 && commandTimeout <= 3600) {
            throw .invalidSetting("command_timeout: \(commandTimeout) must be in (0, 3600] seconds")
        }
        if case .fixed(let n) = trialsPerTask, n < 1 {
            throw .invalidSetting("trials_per_task: \(n) must be at least 1 (or auto)")
        }
    }

    /// Seconds of a Slurm time limit, or nil when `text` is not one.
    static func timeLimitSeconds(_ text: String) -> Int? {
        var days = 0
        var rest = Substring(text)
        if let dash = text.firstIndex(of: "-") {
            guard let d = Int(text[..<dash]), d >= 0 else { return nil }
            days = d
            rest = text[text.index(after: dash)...]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        let p = parts.map { $0! }
        let seconds: Int
        if text.contains("-") {
            // D-HH, D-HH:MM, D-HH:MM:SS
            seconds = p[0] * 3600 + (p.count > 1 ? p[1] * 60 : 0) + (p.count > 2 ? p[2] : 0)
        } else {
            // MM, MM:SS, HH:MM:SS
            switch p.count {
            case 1: seconds = p[0] * 60
            case 2: seconds = p[0] * 60 + p[1]
            default: seconds = p[0] * 3600 + p[1] * 60 + p[2]
            }
        }
        let total = days * 86_400 + seconds
        return total > 0 ? total : nil
    }

    /// The warning `--signal=B:USR1@N` asks Slurm for before the time limit: a tenth of it, 10 s to 2 min. Slurm
    /// may send it up to a minute early; the worker is stopped then and resumes from its checkpoint.
    var warningSeconds: Int? {
        time.flatMap(Self.timeLimitSeconds).map { min(120, max(10, $0 / 10)) }
    }
}

/// Why a Slurm command or setting failed; descriptions are user-facing.
public enum SlurmError: Error, CustomStringConvertible, Sendable {
    case invalidSetting(String)
    case notInstalled(String)
    case commandFailed(command: String, status: Int32, output: String)
    /// The command did not answer within the timeout and was killed.
    case timedOut(command: String, seconds: Double)
    /// A signal to the coordinator (SIGINT, SIGTERM, SIGHUP) cut the command short; it was killed.
    case interrupted(command: String, afterSeconds: Double)

    public var description: String {
        switch self {
        case .invalidSetting(let message): "Slurm setting \(message)"
        case .notInstalled(let tool):
            "\(tool) is not on PATH: is this a Slurm submit host? (--executor slurm needs sbatch, squeue, scancel and scontrol)"
        case .commandFailed(let command, let status, let output):
            "\(command) failed (exit status \(status))" + (output.isEmpty ? "" : ": \(output)")
        case .timedOut(let command, let seconds):
            "\(command) did not answer within \(Self.seconds(seconds)) (killed; command_timeout)"
        case .interrupted(let command, let seconds):
            "\(command) was cut short by a signal after \(Self.seconds(seconds))"
        }
    }

    /// True when the error says the controller (slurmctld) did not answer, rather than refusing a request: a
    /// timeout, or the client's own messages for an unreachable or silent controller.
    var controllerNotAnswering: Bool {
        switch self {
        case .timedOut: return true
        case .commandFailed(_, _, let output):
            let text = output.lowercased()
            return [
                "unable to contact slurm controller", "socket timed out", "connection refused",
                "communication connection failure", "slurm_persist_conn", "zero bytes were transmitted",
            ].contains { text.contains($0) }
        default: return false
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
