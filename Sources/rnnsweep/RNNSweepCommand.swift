import ArgumentParser
import Foundation
import RNNTraining

@main
struct RNNSweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnnsweep",
        abstract: "Which RNN configuration is best? Sweeps of SimpleRNN/LSTM/GRU classifiers, logged to SQLite.",
        version: BuildIdentity.current.description,
        subcommands: [
            SummaryCommand.self, TrainCommand.self, ParametersCommand.self, PlanCommand.self, RunCommand.self,
            SyncCommand.self,
            MergeCommand.self, StatusCommand.self,
            ListCommand.self, ReportCommand.self, ExportCommand.self, PredictCommand.self, EvaluateCommand.self,
            BenchCommand.self, SimulateCommand.self, WorkerCommand.self,
        ])

    /// ArgumentParser's `main`, plus the check that standard output took everything (`report S > /dev/full`).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            _ = Output.standardOutputFailure()  // flushes what was printed before the error
            exit(withError: error)
        }
        if let reason = Output.standardOutputFailure() {
            printError("error: cannot write to standard output: \(reason)")
            Foundation.exit(1)
        }
    }
}
