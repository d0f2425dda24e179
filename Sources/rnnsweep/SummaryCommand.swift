import ArgumentParser
import RNNData
import RNNEngine
import RNNTraining

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a Keras-style model summary (layers, output shapes, parameter counts).",
        discussion: "The data's shape comes from --dataset/--data-dir (read from the files) or from --timesteps, "
            + "--features and --classes (or --targets for task regression).\n\n"
            + ParameterArguments.help(groups: [.model, .data]))

    @Option(help: "Timesteps per sequence (without --dataset or --data-dir).") var timesteps = 28
    @Option(help: "Features per timestep (without --dataset or --data-dir; token input has 1).") var features = 28
    @Option(help: "Output classes (task classification, without --dataset or --data-dir).") var classes = 10
    @Option(help: "Regression targets per example (task regression, without --dataset or --data-dir).")
    var targets = 1
    @OptionGroup var parameters: ParameterArguments

    func run() throws {
        let groups: Set<ParameterGroup> = [.model, .data]
        let given = try ParameterArguments.parse(parameters.tokens, groups: groups)
        let resolved = try parameters.parameters(groups: groups)
        let shape: InputShape
        if given["dataset"] != nil || given["data_dir"] != nil {
            let config = try CLIError.wrap { try TrainingConfig(parameters: resolved) }
            shape = try CLIError.wrap { try DatasetLoader.load(config.dataset) }.inputShape
        } else {
            let tokens = resolved.value("input")?.stringValue == InputKind.tokens.rawValue
            if tokens && resolved.value("vocabulary_size") == nil {
                throw ValidationError("token input needs --vocabulary-size (or --dataset/--data-dir to read it)")
            }
            let task = Task(rawValue: resolved.string("task")) ?? .classification
            shape = InputShape(
                timesteps: timesteps, features: tokens ? 1 : features,
                outputs: task == .classification ? classes : targets, task: task)
        }
        let model = try CLIError.wrap { try resolved.model(shape: shape).makeModel(maxBatch: 1, seed: 1) }
        Output.print(model.summary())
    }
}
