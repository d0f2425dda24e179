import ArgumentParser
import Foundation
import RNNSweep

/// Where a sweep's trials run: shared by `run` and `sync`.
struct ExecutorOptions: ParsableArguments {
    @Option(help: "Where trials run: local (worker processes here) or slurm (job arrays).") var executor: String?
    @Option(help: "Local: worker processes (default: cores ÷ threads per worker).") var workers: Int?
    @Option(help: "Local: compute threads per worker.") var threadsPerWorker = 1
    @Flag(
        help: """
            Local: start a new worker process for every trial instead of keeping each worker (and its decoded \
            data) for the next trial: to rule the reuse out when debugging, or to hand a trial's memory back at once.
            """)
    var freshWorkers = false
    @Option(help: "Slurm: the partition (default: the cluster's).") var partition: String?
    @Option(help: "Slurm: at most this many array tasks at once.") var maxParallel: Int?
    @Option(
        help: """
            Slurm: time limit per array task, covering all its trials, e.g. 02:00:00 (a trial it stops resumes \
            from its checkpoint; those not reached are submitted again).
            """)
    var time: String?
    @Option(help: "Slurm: CPUs, i.e. compute threads, per trial (default 1).") var cpusPerTask: Int?
    @Option(help: "Slurm: memory per trial, e.g. 2G.") var mem: String?
    @Option(
        name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue,
        help: "Slurm: one more sbatch argument, e.g. --sbatch-arg=--qos=short (repeatable).")
    var sbatchArgs: [String] = []
    @Option(
        help: """
            Slurm: a folder the compute nodes can read and write, for requests, events and output (default: the \
            sweep's folder beside the database).
            """)
    var sharedDir: String?

    @Option(
        help: """
            Slurm: trials one array task runs one after another, or auto (about a minute of work per task, never \
            fewer tasks than --max-parallel; 1 without it). Default auto.
            """)
    var trialsPerTask: String?
    @Option(help: "Slurm: seconds between two squeue calls (default 2).") var pollInterval: Double?
    @Option(help: "Slurm: seconds before a silent squeue/sbatch/scancel/scontrol is killed (default 20).")
    var commandTimeout: Double?

    func validate() throws {
        if let executor, !ExecutorChoice.kinds.contains(executor) {
            throw ValidationError(
                "--executor '\(executor)' is not " + ExecutorChoice.kinds.joined(separator: " or "))
        }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if let trialsPerTask, TrialsPerTask(text: trialsPerTask) == nil {
            throw ValidationError("--trials-per-task '\(trialsPerTask)' is not auto or an integer ≥ 1")
        }
        if threadsPerWorker < 1 { throw ValidationError("--threads-per-worker must be at least 1") }
        do { try overlay(SlurmSettings()).validate() } catch { throw ValidationError(error.description) }
    }

    /// The Slurm command-line settings over `base` (the experiment file's), key by key.
    func overlay(_ base: SlurmSettings) -> SlurmSettings {
        var s = base
        if let partition { s.partition = partition }
        if let maxParallel { s.maxParallel = maxParallel }
        if let time { s.time = time }
        if let cpusPerTask { s.cpusPerTask = cpusPerTask }
        if let mem { s.mem = mem }
        if !sbatchArgs.isEmpty { s.sbatchArgs = sbatchArgs }
        if let pollInterval { s.pollInterval = pollInterval }
        if let commandTimeout { s.commandTimeout = commandTimeout }
        if let perTask = trialsPerTask.flatMap(TrialsPerTask.init(text:)) { s.trialsPerTask = perTask }
        if let sharedDir { s.sharedDirectory = URL(fileURLWithPath: sharedDir).standardizedFileURL.path }
        return s
    }

    private var setsSlurmOptions: Bool {
        partition != nil || maxParallel != nil || time != nil || cpusPerTask != nil || mem != nil
            || !sbatchArgs.isEmpty || sharedDir != nil || pollInterval != nil
            || commandTimeout != nil || trialsPerTask != nil
    }

    /// The executor from the command line, else the experiment file's block, else `stored` (sync), else local.
    func choice(file: ExecutorBlock?, stored: ExecutorChoice? = nil) throws -> ExecutorChoice {
        let kind = executor ?? file?.kind ?? (stored?.isSlurm == true ? "slurm" : "local")
        guard kind == "slurm" else {
            if setsSlurmOptions { throw CLIError.fail("Slurm options need --executor slurm", code: 2) }
            return .local
        }
        var base = file?.slurm ?? SlurmSettings()
        if file == nil, case .slurm(let settings) = stored { base = settings }
        let settings = overlay(base)
        do { try settings.validate() } catch { throw CLIError.fail(error.description, code: 2) }
        return .slurm(settings)
    }

    func workerCount(file: ExecutorBlock?) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let count = workers ?? file?.workers ?? max(1, cores / threadsPerWorker)
        if executor != "slurm" && count * threadsPerWorker > cores {
            printError("warning: \(count) workers × \(threadsPerWorker) threads exceeds the \(cores) cores here")
        }
        return count
    }
}
