/// Renders a ``SearchComparison`` as a caption, a Markdown table (one row per method, then the baselines) and the
/// rules the numbers follow. Accuracies in percent, as every report shows them.
public struct SearchComparisonMarkdown: Sendable {
    public init() {}

    public func render(_ comparison: SearchComparison) -> String {
        let columns = SearchComparisonText.columns(comparison)
        let cells = columns.map { column in column.cells.map { $0.replacingOccurrences(of: "|", with: "\\|") } }
        let titles = columns.map { $0.title.replacingOccurrences(of: "|", with: "\\|") }
        let widths = columns.indices.map { index in
            max(3, cells[index].reduce(titles[index].count) { max($0, $1.count) })
        }
        func line(_ row: [String]) -> String {
            let padded = row.indices.map { index in
                let padding = String(repeating: " ", count: widths[index] - row[index].count)
                return columns[index].numeric ? padding + row[index] : row[index] + padding
            }
            return "| " + padded.joined(separator: " | ") + " |\n"
        }
        var text = escaped(SearchComparisonText.caption(comparison)) + "\n\n" + line(titles)
        text += line(
            columns.indices.map { index in
                columns[index].numeric
                    ? String(repeating: "-", count: widths[index] - 1) + ":"
                    : ":" + String(repeating: "-", count: widths[index] - 1)
            })
        for row in cells[0].indices { text += line(cells.map { $0[row] }) }
        text += "\n" + SearchComparisonText.rules(comparison).map { "- " + escaped($0) }.joined(separator: "\n")
        return text + "\n"
    }

    private func escaped(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
