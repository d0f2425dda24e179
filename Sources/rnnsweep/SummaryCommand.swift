import ArgumentParser
import RNNEngine
import RNNTraining

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Print a Keras-style model summary (layers, output shapes, parameter counts)."
    )

    @OptionGroup var model: ModelOptions
    @Option(help: "Timesteps per sequence.") var timesteps = 28
    @Option(help: "Features per timestep.") var features = 28
    @Option(help: "Output classes.") var classes = 10

    func run() throws {
        let config = try CLIError.wrap { try TrainingConfig(overrides: model.overrides) }
        let modelConfig = try CLIError.wrap {
            try config.model(timesteps: timesteps, features: features, classes: classes)
        }
        let classifier = try CLIError.wrap { try SequenceClassifier(config: modelConfig, maxBatch: 1, seed: 1) }
        print(classifier.summary())
    }
}
