import ArgumentParser
import RNNSweep

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Show the trials an experiment file expands to (nothing is trained or written).")

    @Argument(help: "The experiment file (YAML).") var file: String
    @Option(help: "Refuse files that expand to more trials than this.") var maxTrials = 10_000

    func run() throws {
        let (experiment, sweep) = try CLIError.wrap { try ExperimentFile.loadSweep(path: file, maxTrials: maxTrials) }
        print(experiment.description.isEmpty ? experiment.name : "\(experiment.name): \(experiment.description)")
        print(sweep.planTable())
    }
}
