/// One row of a Keras-style model summary.
public struct LayerSummary: Sendable, Equatable {
    public let name: String
    public let type: String
    public let outputShape: String
    public let parameters: Int
}

extension SequenceModel {
    /// The Keras `model.summary()` table (the layout of the book's listing 1.5.2, with thousands separators).
    public func summary() -> String {
        let widths = [29, 26, 10]
        func pad(_ s: String, _ w: Int) -> String {
            s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count)
        }
        var lines: [String] = []
        let rule = String(repeating: "_", count: widths.reduce(0, +))
        let double = String(repeating: "=", count: widths.reduce(0, +))
        lines.append(rule)
        lines.append(pad("Layer (type)", widths[0]) + pad("Output Shape", widths[1]) + "Param #")
        lines.append(double)
        for (i, row) in summaryRows.enumerated() {
            lines.append(
                pad("\(row.name) (\(row.type))", widths[0]) + pad(row.outputShape, widths[1])
                    + groupedThousands(row.parameters))
            lines.append(i == summaryRows.count - 1 ? double : rule)
        }
        lines.append("Total params: \(groupedThousands(parameterCount))")
        lines.append("Trainable params: \(groupedThousands(parameterCount))")
        lines.append("Non-trainable params: 0")
        return lines.joined(separator: "\n")
    }
}

/// 75530 → "75,530".
func groupedThousands(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return out
}
