import ArgumentParser
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
            ListCommand.self, ReportCommand.self, BenchCommand.self, WorkerCommand.self,
        ])
}
