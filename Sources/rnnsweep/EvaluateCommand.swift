import ArgumentParser
import RNNSweep
import RNNTraining

/// `rnnsweep evaluate`: a trained model's metrics and confusion matrix on data.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Loss and accuracy (MAE, RMSE for regression) and the confusion matrix of a checkpoint or export.")

    @OptionGroup var options: ModelDataOptions

    func run() throws {
        let model = try CLIError.runtime { try TrainedModel.load(options.model) }
        if let note = model.unfinishedNote { printError("warning: \(note)") }
        let data = try CLIError.runtime { try model.loadData(at: options.data) }
        let evaluation = try CLIError.runtime {
            try model.evaluate(data: data, split: options.split, keepOutputs: false, threads: options.threads)
        }
        var note: String?
        if let trained = model.dataFingerprint, let fingerprint = try? data.fingerprint(cache: nil) {
            note =
                fingerprint == trained
                ? "data: the files the model was trained on" : "data: other files than the model was trained on"
        }
        Output.print(
            EvaluationText.render(evaluation, split: options.split, classNames: data.classNames, dataNote: note),
            terminator: "")
    }
}
