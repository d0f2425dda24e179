import ArgumentParser
import Foundation
import RNNSweep

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run (or resume) a sweep: every trial in its own worker process, metrics committed to SQLite.",
        discussion: """
            Executors: `local` (default) runs --workers processes here. `slurm` submits each batch of trials as one \
            job array from this submit host and follows it: the database stays here (never put it on NFS); \
            requests, events and Slurm output go to the sweep's folder beside the database, or --shared-dir, \
            which the compute nodes must be able to read and write. The experiment file's `executor:` block sets \
            the same things; the command line wins.
            """)

    @Argument(help: "The experiment file (YAML).") var file: String
    @OptionGroup var database: DatabaseOption
    @Option(help: "Extra attempts for trials whose worker failed.") var retries = 0
    @Option(help: "Refuse files that expand to more trials than this.") var maxTrials = 10_000
    @Option(help: "Write the report (Markdown; CSV or HTML for a .csv or .html path) here when the sweep ends.")
    var report: String?
    @Option(help: "Run only shard I of N: the trials whose ordinal − 1 is I modulo N (e.g. 0/2 and 1/2).")
    var shard: String?
    @Option(
        help: """
            Seconds without any event after which a trial is killed and failed as stalled (0: never; default: \
            max(600, 20 × its slowest epoch)).
            """)
    var stallTimeout: Double?
    @Flag(
        help: """
            Slurm: submit and return (follow again with `run` or `sync`). Local: go on in the background (a new \
            session, immune to a closed terminal), logging to run.log in the sweep's folder.
            """)
    var detach = false
    @Flag(help: "One log line per event even on a terminal, instead of the live view redrawn in place.")
    var log = false
    @Option(help: "The memory one trial may use (e.g. 8G; default: this machine's); trials beyond it are refused.")
    var memory: String?
    @OptionGroup var executor: ExecutorOptions
    @OptionGroup var deadline: DeadlineOptions

    func validate() throws {
        if retries < 0 { throw ValidationError("--retries must be 0 or more") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard '\(shard)' is not I/N with 0 ≤ I < N") }
        if let stallTimeout, !(stallTimeout >= 0) { throw ValidationError("--stall-timeout must be 0 or more") }
        if let memory, MemoryLimit.parse(memory) == nil {
            throw ValidationError("--memory \(memory): give bytes or a number with K, M, G or T, e.g. 8G")
        }
        try executor.validate()
    }

    func run() throws {
        // Everything is validated before the database is touched.
        let (experiment, sweep) = try CLIError.wrap { try ExperimentFile.loadSweep(path: file, maxTrials: maxTrials) }
        let choice = try CLIError.wrap { try executor.choice(file: experiment.executor) }
        if detach, case .local = choice, ProcessInfo.processInfo.environment[Background.childMarker] == nil {
            try Background.detach(sweep: experiment.name, database: database.url)
            return
        }
        // Read again for the record (loadSweep parsed it a moment ago): the report shows the file as written.
        let text = try? String(contentsOfFile: file, encoding: .utf8)
        var options = SweepRunOptions(
            databaseURL: database.url, workers: executor.workerCount(file: experiment.executor),
            threadsPerWorker: executor.threadsPerWorker, retries: retries, workerExecutable: Executable.url,
            executor: choice, shard: shard.flatMap(Shard.init), detach: detach && choice.isSlurm,
            stallTimeout: stallTimeout)
        options.memoryLimit = memory.flatMap(MemoryLimit.parse)
        options.deadline = try deadline.spec(file: experiment)
        options.freshWorkers = executor.freshWorkers
        var definition = SweepDefinition(experiment: experiment, sweep: sweep)
        definition.experimentText = text
        definition.command = ShellQuoting.commandLine(CommandLine.arguments)
        let summary = try CLIError.runtime {
            try SweepRunner(definition: definition, options: options, reporter: Self.reporter(log: log)).run()
        }
        if let line = summary.deadlineLine {
            // What was done by the deadline: the Markdown report, as --report writes it, then the count.
            try CLIError.runtime {
                let store = try MetricsStore.openExisting(at: database.url)
                let document = try ReportDocument.document(
                    store: store, sweep: experiment.name, format: .markdown, options: ReportOptions())
                Output.print(document.text)
            }
            Output.print(line)
        }
        try Self.finish(summary, executor: choice, sweep: experiment.name, database: database.url, report: report)
    }

    /// The live view on a terminal, log lines otherwise (or with `--log`).
    static func reporter(log: Bool) -> SweepReporter {
        SweepReporter(terminal: !log && isatty(1) == 1) { _ = FileHandleWriter.write($0, fd: 1) }
    }

    /// What every coordinator command prints and exits with after a run.
    static func finish(_ summary: SweepSummary, executor: ExecutorChoice, sweep: String, database: URL, report: String?)
        throws
    {
        if let startup = summary.meanStartupMilliseconds {
            Output.print(
                String(format: "mean trial start-up (request sent → data loaded, model built): %.0f ms", startup))
        }
        if let busy = summary.busy.line { Output.print(busy) }
        if summary.inFlight > 0 {
            Output.print(
                "detached: \(summary.inFlight) trial(s) \(executor.presentation.inFlightPlace); "
                    + "`rnnsweep status \(sweep)` shows "
                    + "them, `rnnsweep sync \(sweep)` (or the same `run` again) follows them")
        }
        if let report, summary.inFlight == 0 {
            try CLIError.runtime {
                try ReportCommand.write(
                    sweep: sweep, database: database, to: report,
                    format: report.hasSuffix(".csv") ? .csv : report.hasSuffix(".html") ? .html : .markdown,
                    options: ReportOptions())
            }
            Output.print("report written to \(report)")
        }
        if summary.fatalError != nil { throw ExitCode(1) }
        if summary.wasInterrupted { throw ExitCode(130) }
        if summary.hasFailures { throw ExitCode(1) }
    }
}

/// The running binary, started again as `rnnsweep worker`.
enum Executable {
    static var url: URL {
        #if os(Linux)
            if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
                return URL(fileURLWithPath: path)
            }
        #endif
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }
}
