import ArgumentParser
import RNNEngine
import RNNTraining

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a Keras-style model summary (layers, output shapes, parameter counts).",
        discussion: ParameterArguments.help(groups: [.model]))

    @Option(help: "Timesteps per sequence.") var timesteps = 28
    @Option(help: "Features per timestep.") var features = 28
    @Option(help: "Output classes.") var classes = 10
    @OptionGroup var parameters: ParameterArguments

    func run() throws {
        let config = try CLIError.wrap { try TrainingConfig(parameters: try parameters.parameters(groups: [.model])) }
        let classifier = try CLIError.wrap {
            try config.model(shape: InputShape(timesteps: timesteps, features: features, classes: classes))
                .makeClassifier(maxBatch: 1, seed: 1)
        }
        Output.print(classifier.summary())
    }
}
