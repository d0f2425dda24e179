import Plot

/// The leaderboard a search's page opens with (``Leaderboard``): a line naming the ranking and the winner's test
/// metrics, then one row per configuration best first — rank, parameters, what the sweep decided on it — with the
/// winner's row highlighted and each unfinished row's status badge. Not sortable: its order is the answer.
enum HTMLLeaderboard {
    static func section(_ table: ReportTable) -> Node<HTML.BodyContext> {
        guard let board = table.leaderboard else { return .empty }
        let winner = board.winner(in: table.rows)
        var headers: [Node<HTML.TableRowContext>] = [.th(.class("num"), .text("Rank"))]
        headers += table.parameterColumns.map { .th(.safe($0.title)) }
        headers.append(.th(.safe(board.columnTitle)))
        let rows = board.order.map { index -> Node<HTML.TableContext> in
            let row = table.rows[index]
            var cells: [Node<HTML.TableRowContext>] = [.td(.class("num"), .safe(row.rank.map(String.init) ?? ""))]
            for column in table.parameterColumns {
                cells.append(
                    .td(.class(column.isNumeric(table.rows) ? "num" : "text"), .safe(column.text(for: row.parameters))))
            }
            let decided = board.decisionText(row)
            if row.objective?.value == nil, let problem = row.worstProblem {
                cells.append(.td(.span(.class("badge tone-\(problem.reportTone.rawValue)"), .safe(decided))))
            } else {
                cells.append(.td(.class(row.objective?.isStopped == true ? "stopped" : "decided"), .safe(decided)))
            }
            return .tr(
                .attr("data-config", String(index)), .class(index == winner ? "winner" : "ranked"), .group(cells))
        }
        var line = board.rankingSentence(table.epochChoice)
        let winnerText = board.winnerText(table)
        if winnerText == nil { line += " No configuration has a finite value yet." }
        return .section(
            .id("leaderboard"), .h2("Leaderboard"),
            .p(
                .class("caption"), .safe(line),
                .unwrap(winnerText) { .group(.text(" "), .strong("Winner: "), .safe($0)) }),
            .table(
                .id("leaderboard-table"), .class("report leaderboard"), .thead(.tr(.group(headers))),
                .tbody(.group(rows))))
    }
}
