import ArgumentParser
import Foundation
import RNNSweep

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run (or resume) a sweep: every trial in its own worker process, metrics committed to SQLite.")

    @Argument(help: "The experiment file (YAML).") var file: String
    @Option(help: "Worker processes (default: cores ÷ threads per worker).") var workers: Int?
    @Option(help: "Compute threads per worker.") var threadsPerWorker = 1
    @OptionGroup var database: DatabaseOption
    @Option(help: "Extra attempts for trials whose worker failed.") var retries = 0
    @Option(help: "Refuse files that expand to more trials than this.") var maxTrials = 10_000
    @Option(help: "Write the report (Markdown; CSV or HTML for a .csv or .html path) here when the sweep ends.")
    var report: String?

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if threadsPerWorker < 1 { throw ValidationError("--threads-per-worker must be at least 1") }
        if retries < 0 { throw ValidationError("--retries must be 0 or more") }
    }

    func run() throws {
        // Everything is validated before the database is touched.
        let (experiment, sweep) = try CLIError.wrap { try ExperimentFile.loadSweep(path: file, maxTrials: maxTrials) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let workerCount = workers ?? max(1, cores / threadsPerWorker)
        if workerCount * threadsPerWorker > cores {
            printError("warning: \(workerCount) workers × \(threadsPerWorker) threads exceeds the \(cores) cores here")
        }
        // Read again for the record (loadSweep parsed it a moment ago): the report shows the file as written.
        let text = try? String(contentsOfFile: file, encoding: .utf8)
        let options = SweepRunOptions(
            databaseURL: database.url, workers: workerCount, threadsPerWorker: threadsPerWorker, retries: retries,
            workerExecutable: Executable.url, experimentText: text,
            command: ShellQuoting.commandLine(CommandLine.arguments))
        let reporter = SweepReporter(terminal: isatty(1) == 1) { FileHandleWriter.write($0, fd: 1) }
        let summary = try CLIError.runtime {
            try SweepRunner(experiment: experiment, sweep: sweep, options: options, reporter: reporter).run()
        }
        if let startup = summary.meanStartupMilliseconds {
            print(String(format: "mean worker start-up (spawn → data loaded, model built): %.0f ms", startup))
        }
        if let report {
            try CLIError.runtime {
                try ReportCommand.write(
                    sweep: experiment.name, database: database.url, to: report,
                    format: report.hasSuffix(".csv") ? .csv : report.hasSuffix(".html") ? .html : .markdown,
                    options: ReportOptions())
            }
            print("report written to \(report)")
        }
        if summary.wasInterrupted { throw ExitCode(130) }
        if summary.failed + summary.diverged > 0 { throw ExitCode(1) }
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
