import ArgumentParser
import Foundation
import RNNSweep

/// `rnnsweep simulate`: synchronous halving, asynchronous halving and Hyperband replayed over a recorded sweep.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay a sweep that trained every epoch through the halving schedulers on a virtual clock.",
        discussion: """
            Prints, per method and worker count, the makespan, the workers' utilization, the epochs trained and \
            the best configuration found. No training and no clock: the same command prints the same bytes.
            """)

    @Argument(help: "A sweep whose trials trained every epoch.") var sweep: String
    @OptionGroup var database: DatabaseOption
    @Option(help: "Worker counts, comma-separated.") var workers = "2,16,64,256"
    @Option(help: "Methods, comma-separated: successive_halving, async_halving, hyperband.")
    var method = "successive_halving,async_halving,hyperband"
    @Option(help: "Simulate K configurations, each replaying a recorded one drawn by a seeded stream.")
    var configurations: Int?
    @Option(help: "The first rung (default: the sweep's early_stopping, else 1).") var minEpochs: Int?
    @Option(help: "η (default: the sweep's early_stopping, else 3).") var reductionFactor: Int?
    @Option(help: "The seed of the draw of --configurations.") var seed: UInt64 = 0

    func run() throws {
        let counts = workers.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--workers: expected counts ≥ 1 separated by commas, e.g. 2,16,64,256")
        }
        var methods: [HalvingMethod] = []
        for name in method.split(separator: ",") {
            let text = name.trimmingCharacters(in: .whitespaces)
            guard let m = HalvingMethod(rawValue: text) else {
                throw ValidationError(
                    "--method: '\(text)' is not one of "
                        + HalvingMethod.allCases.map(\.rawValue).joined(separator: ", "))
            }
            methods.append(m)
        }
        let options = SimulationReport.Options(
            workers: counts.map { $0! }, methods: methods, configurations: configurations, minEpochs: minEpochs,
            reductionFactor: reductionFactor, seed: seed)
        let store = try CLIError.runtime { try MetricsStore.openExisting(at: database.url) }
        Output.print(
            try CLIError.runtime { try SimulationReport.render(store: store, sweep: sweep, options: options) },
            terminator: "")
    }
}
