import ArgumentParser
import Foundation
import RNNSweep
import RNNTraining

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the data and the trials an experiment file expands to (nothing is trained or registered).",
        discussion: """
            With --json, one JSON document: the sweep's name and description, the varying keys and every trial \
            (ordinal, id, grid_point, seed, data_fingerprint and its resolved params, as the database stores them). \
            Parameters given \
            after the file (e.g. --epochs 1 --limit 500, for a quick test elsewhere) replace the file's value of \
            that key in every trial, and so change the trial ids.

            The data is read and checked first, through the database's data cache (<db stem>.data-cache/, the only \
            thing plan writes: decoded files and their fingerprints, so that the next plan or run reads them \
            quickly): a file that is missing or does \
            not read as its format stops the plan, naming the file. Without --json, the plan shows each data set \
            (sizes, shape, classes, the files and their fingerprint, how inputs are scaled) and warns of a \
            validation split that misses a class; --verbose adds the examples of each class in each split.

            Without --json, the plan ends with an estimate of the wall time on --workers workers: from the epochs \
            of the same model shapes recorded in --db when it has them, otherwise from a calibration of each \
            shape (a few batches), and what a trial costs beyond its epochs from short real trials of a worker \
            that plan starts (their checkpoints go to a temporary folder, removed after); --no-estimate skips \
            both.

            Each trial's memory is estimated before anything is allocated (the model's weights, gradients and \
            activations kept for backpropagation through time, the optimizer's slots, the data set, the worker \
            itself) and shown in the table; trials beyond the machine's memory (a Slurm executor's mem:, or --memory) \
            are marked !, \
            warned of, not calibrated, and their generated data is not generated. `run` refuses them.
            """)

    @Argument(help: "The experiment file (YAML).") var file: String
    @Option(help: "Refuse files that expand to more trials than this.") var maxTrials = 10_000
    @Flag(help: "Print the plan as one JSON document.") var json = false
    @Flag(help: "Show the examples of each class in the training, validation and test splits.") var verbose = false
    @OptionGroup var database: DatabaseOption
    @Option(help: "Workers to estimate the wall time for (default: the file's executor block, else the cores).")
    var workers: Int?
    @Flag(inversion: .prefixedNo, help: "Estimate the wall time.") var estimate = true
    @Option(help: "The memory a trial may use (e.g. 8G; default: this machine's); trials beyond it are flagged.")
    var memory: String?

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    }
    @OptionGroup var deadline: DeadlineOptions
    @OptionGroup var parameters: ParameterArguments

    func run() throws {
        let overrides = try CLIError.wrap {
            let overrides = try ParameterArguments.parse(parameters.tokens, groups: Set(ParameterGroup.allCases))
            if overrides["seed"] != nil {
                throw ValidationError("--seed cannot be overridden: the experiment file's seeds: lists the seeds")
            }
            return overrides
        }
        var (experiment, sweep) = try CLIError.wrap {
            let (experiment, sweep) = try ExperimentFile.loadSweep(path: file, maxTrials: maxTrials)
            guard !overrides.isEmpty else { return (experiment, sweep) }
            return (experiment, try GridExpander.expand(experiment, maxTrials: maxTrials, overrides: overrides))
        }
        // Generated data too large to fit is never generated: those trials skip the data check and keep their ids
        // (generated data has no fingerprint).
        let limit = try CLIError.wrap { () throws -> MemoryLimit? in
            guard let memory = self.memory else {
                // Where the file says its trials run: its executor's memory per trial, else this machine's.
                return MemoryLimit.forRun(nil, executor: ExecutorChoice(file: experiment.executor))
            }
            guard let limit = MemoryLimit.parse(memory) else {
                throw ValidationError("--memory \(memory): give bytes or a number with K, M, G or T, e.g. 8G")
            }
            return limit
        }
        var memory = try CLIError.runtime { try SweepMemory.generated(sweep.trials, limit: limit) }
        let skipped = memory.tooLarge(sweep.trials)
        let data = try CLIError.runtime {
            let data = try SweepData.check(
                sweep.trials.filter { memory.fits($0) },
                cacheDirectory: SweepData.cacheDirectory(database: database.url))
            try memory.add(data)
            return data
        }
        // The ids a run into --db would use: those of its rows where it has the sweep from before fingerprints.
        sweep.trials = TrialAdoption.adopt(
            (data.trials + skipped).sorted { $0.ordinal < $1.ordinal }, database: database.url,
            sweepName: experiment.name, experimentPath: experiment.path)
        if json {
            Output.print(sweep.planJSON(name: experiment.name, description: experiment.description, memory: memory))
            return
        }
        // Every line below may hold user text (the description, names, paths): never echoed raw to the terminal.
        Output.print(
            TerminalText.escaped(
                experiment.description.isEmpty ? experiment.name : "\(experiment.name): \(experiment.description)"))
        for line in data.lines(verbose: verbose) { Output.print(TerminalText.escaped(line)) }
        for warning in data.warnings { printError("warning: " + TerminalText.escaped(warning)) }
        Output.print(sweep.planTable(memory: memory))
        if let limit, !memory.tooLarge(sweep.trials).isEmpty {
            printError(
                "warning: \(memory.tooLarge(sweep.trials).count) trial(s) need more memory than \(limit.description) "
                    + "(marked !): run will refuse them, and plan does not calibrate them"
                    + (skipped.isEmpty ? "" : "; the generated data of \(skipped.count) of them was not generated"))
            for line in memory.lines(sweep.trials) { printError("  " + line) }
        }
        if let stopping = experiment.earlyStopping { Output.print(sweep.earlyStoppingSummary(stopping)) }
        if let search = experiment.search, let summary = search.method.planSummary(samples: search.samples) {
            Output.print(summary)
        }
        let warmStart = try CLIError.runtime {
            try WarmStart.load(database: database.url, experiment: experiment, trials: sweep.trials)
        }
        for line in warmStart?.lines ?? [] { Output.print(TerminalText.escaped(line)) }
        guard estimate else { return }
        let workers = workers ?? experiment.executor?.workers ?? ProcessInfo.processInfo.activeProcessorCount
        let result = try CLIError.runtime {
            try PlanEstimate.estimate(
                sweep: sweep, workers: workers, threads: 1, database: database.url,
                earlyStopping: experiment.earlyStopping, memory: memory, executable: Executable.url)
        }
        Output.print("time: " + TerminalText.escaped(result.line(database: database.path)))
        if let search = experiment.search,
            let line = result.proposedLine(search: search, knownTrials: sweep.trials.count)
        {
            Output.print(line)
        }
        if let spec = try deadline.spec(file: experiment) {
            let now = Date()
            for line in result.deadlineLines(
                sweep: sweep, left: spec.instant(start: now).timeIntervalSince(now), label: spec.label,
                earlyStopping: experiment.earlyStopping?.rule)
            {
                Output.print(line)
            }
        }
    }
}
