/// The Markdown leaderboard a search report opens with (``Leaderboard``).
extension MarkdownRenderer {
    /// `## Leaderboard`, a line naming the ranking and the winner's test metrics, and the ranked table (Rank, the
    /// parameter columns, what the sweep decided on each configuration); nil for a grid.
    func leaderboardSection(_ table: ReportTable) -> String? {
        guard let board = table.leaderboard else { return nil }
        let rows = board.order.map { table.rows[$0] }
        var columns: [(title: String, rightAligned: Bool, cells: [String])] = [
            ("Rank", true, rows.map { $0.rank.map(String.init) ?? "" })
        ]
        for column in table.parameterColumns { columns.append(parameterColumn(column, rows: rows)) }
        columns.append((board.columnTitle, false, rows.map { Self.escaped(board.decisionText($0)) }))
        var text = "## Leaderboard\n\n" + leaderboardLine(table, board: board) + "\n\n" + Self.grid(columns)
        text += "\n"
        return text
    }

    /// The ranking sentence and the winner with its test metrics.
    private func leaderboardLine(_ table: ReportTable, board: Leaderboard) -> String {
        var text = board.rankingSentence(table.epochChoice)
        if let winner = board.winnerText(table) { text += " **Winner:** " + Self.escaped(winner) }
        return text
    }
}
