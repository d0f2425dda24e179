import RNNTraining

/// `evaluate`'s output: the split and its size, the task's metrics at full precision (shortest exact form, so they
/// compare with the database's to the bit), and a classifier's confusion matrix with its classes named.
public enum EvaluationText {
    public static func render(
        _ evaluation: ModelEvaluation, split: InferenceSplit, classNames: [String]?, dataNote: String?
    ) -> String {
        var lines = ["split: \(split.rawValue), \(evaluation.sums.count) examples"]
        if let dataNote { lines.append(dataNote) }
        for metric in evaluation.metrics.keys.sorted() {
            var line = "\(metric.rawValue): \(evaluation.metrics[metric]!)"
            if metric == .accuracy { line += " (\(evaluation.sums.correct) of \(evaluation.sums.count) correct)" }
            lines.append(line)
        }
        if let confusion = evaluation.confusion {
            let names = confusion.indices.map { classNames?[$0] ?? String($0) }
            lines.append("confusion matrix (rows: true class, columns: predicted class):")
            let cells = confusion.map { $0.map(String.init) }
            let labelWidth = names.map(\.count).max() ?? 0
            let columnWidths = names.indices.map { c in max(names[c].count, cells.map { $0[c].count }.max() ?? 0) }
            func pad(_ text: String, _ width: Int) -> String {
                String(repeating: " ", count: width - text.count) + text
            }
            lines.append(
                pad("", labelWidth) + "  "
                    + names.indices.map { pad(names[$0], columnWidths[$0]) }.joined(separator: "  "))
            for (r, row) in cells.enumerated() {
                lines.append(
                    pad(names[r], labelWidth) + "  "
                        + row.indices.map { pad(row[$0], columnWidths[$0]) }.joined(separator: "  "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
