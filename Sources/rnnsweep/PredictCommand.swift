import ArgumentParser
import RNNSweep
import RNNTraining

/// `rnnsweep predict`: a trained model's prediction for every example of data, as CSV.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a checkpoint or export: one CSV row per example (class and probabilities, or targets).")

    @OptionGroup var options: ModelDataOptions
    @Option(help: "Write the CSV to this file instead of standard output.") var output: String?

    func run() throws {
        let model = try CLIError.runtime { try TrainedModel.load(options.model) }
        if let note = model.unfinishedNote { printError("warning: \(note)") }
        let data = try CLIError.runtime { try model.loadData(at: options.data) }
        let evaluation = try CLIError.runtime {
            try model.evaluate(data: data, split: options.split, keepOutputs: true, threads: options.threads)
        }
        let csv = PredictionCSV.render(evaluation, classNames: data.classNames)
        if let output {
            try CLIError.runtime { try Output.save(csv, to: output) }
        } else {
            Output.print(csv, terminator: "")
        }
    }
}
