import RNNTraining

/// `predict`'s output: one CSV record per example, in the data's order — `index`, then for a classifier the
/// predicted class (its name where the data names classes) and the probability of each class, for a regression
/// model each predicted target. Numbers in their shortest exact form, so the same model and data give the same bytes.
public enum PredictionCSV {
    public static func render(_ evaluation: ModelEvaluation, classNames: [String]?) -> String {
        let width = evaluation.width
        var text: String
        let classifier = evaluation.confusion != nil
        if classifier {
            let names = (0..<width).map { classNames?[$0] ?? String($0) }
            text = CSVFormat.record(["index", "predicted"] + names.map { "p_\($0)" })
        } else {
            text = CSVFormat.record(["index"] + (0..<width).map { "target_\($0)" })
        }
        let count = width > 0 ? evaluation.outputs.count / width : 0
        for row in 0..<count {
            let values = evaluation.outputs[(row * width)..<((row + 1) * width)].map { "\($0)" }
            if classifier {
                let predicted = Int(evaluation.predictedClasses[row])
                text += CSVFormat.record([String(row), classNames?[predicted] ?? String(predicted)] + values)
            } else {
                text += CSVFormat.record([String(row)] + values)
            }
        }
        return text
    }
}
