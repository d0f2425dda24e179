import ArgumentParser
import Foundation
import RNNSweep

/// Re-attaches to a sweep from its database alone: records every event its Slurm tasks wrote, submits what is
/// neither completed nor in flight, and follows it to the end (or returns at once with --detach).
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract:
            "Re-attach to a sweep (e.g. one submitted to Slurm with --detach): record, submit what is left, follow.")

    @Argument(help: "The sweep (default: the only sweep in the database).") var sweep: String?
    @OptionGroup var database: DatabaseOption
    @Option(help: "Extra attempts for trials whose worker failed.") var retries = 0
    @Flag(help: "Record and submit, then return without following.") var detach = false
    @Flag(help: "One log line per event even on a terminal, instead of the live view redrawn in place.")
    var log = false
    @Option(help: "Seconds without any event after which a trial is killed as stalled (0: never).")
    var stallTimeout: Double?
    @OptionGroup var executor: ExecutorOptions

    func run() throws {
        let store = try CLIError.runtime { try MetricsStore.openExisting(at: database.url) }
        let name = try CLIError.runtime { try ReportDocument.sweepName(sweep, store: store) }
        let definition = try CLIError.runtime { () throws -> SweepDefinition in
            guard let row = try store.sweep(named: name) else {
                throw ReportError.unknownSweep(name, available: try store.sweeps().map(\.name))
            }
            var definition = try SweepDefinition(stored: row, trials: try store.trials(sweep: row.id))
            definition.command = ShellQuoting.commandLine(CommandLine.arguments)
            return definition
        }
        let stored = try CLIError.runtime {
            try store.sweep(named: name)?.executorJSON.flatMap(ExecutorChoice.init(json:))
        }
        let choice = try CLIError.wrap { try executor.choice(file: nil, stored: stored) }
        var options = SweepRunOptions(
            databaseURL: database.url, workers: executor.workerCount(file: nil),
            threadsPerWorker: executor.threadsPerWorker, retries: retries, workerExecutable: Executable.url,
            executor: choice, detach: detach && choice.isSlurm, stallTimeout: stallTimeout)
        options.freshWorkers = executor.freshWorkers
        let summary = try CLIError.runtime {
            try SweepRunner(definition: definition, options: options, reporter: RunCommand.reporter(log: log)).run()
        }
        try RunCommand.finish(summary, executor: choice, sweep: name, database: database.url, report: nil)
    }
}
