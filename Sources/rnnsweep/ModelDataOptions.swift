import ArgumentParser
import RNNTraining

/// The model and data `predict` and `evaluate` share.
struct ModelDataOptions: ParsableArguments {
    @Argument(help: "A trial's checkpoint folder (or checkpoint.safetensors), or an export folder.") var model: String
    @Option(help: "The data: a file or folder of the trial's dataset kind (default: the trial's own data).")
    var data: String?
    @Option(help: "Which examples: train, validation, test or all.") var split: InferenceSplit = .test
    @Option(help: "Compute threads (1, as sweeps run by default, reproduces their recorded metrics to the bit).")
    var threads = 1

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }
}

extension InferenceSplit: ExpressibleByArgument {}
