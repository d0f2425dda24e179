import Foundation
import Testing

extension EndToEnd {
    /// `rnnsweep report --format html` of a real sweep, opened in headless Chromium: the DOM after the page's
    /// script ran, a sort driven through the URL fragment, a hostile description that must stay text, and a
    /// screenshot.
    @Suite(.enabled(if: Chromium.testsEnabled, Chromium.skipReason))
    struct HTMLReportBrowserTests {
        /// Would change the title or add an element if any of it ran or parsed as markup.
        static let hostile =
            #"<script>alert(1)</script><script>document.title="pwned"</script><img id="injected" src="x" "#
            + #"onerror="document.title='pwned'">"#

        @Test func theReportWorksInARealBrowser() throws {
            _ = try Chromium.require()
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(
                name: "browser", sequenceLength: 12, samples: 400, epochs: 3, seeds: [1, 2], description: Self.hostile)
            let run = try workspace.run(["run", try workspace.write("browser.yaml", sweep.yaml), "--workers", "2"])
            try #require(run.status == 0, "\(run)")
            let page = workspace.directory.appendingPathComponent("report.html")
            let report = try workspace.run(["report", "browser", "--format", "html", "--output", page.path])
            try #require(report.status == 0, "\(report)")
            let csv = try workspace.run(["report", "browser", "--format", "csv"])
            let records = try CSVReader.records(csv.stdout)
            let column = try #require(records[0].firstIndex(of: "test_accuracy_mean"))
            let means = records.dropFirst().map { Double($0[column])! }
            try #require(means.count == 4 && Set(means).count > 1, "the sort must have something to reorder: \(means)")

            // The DOM after scripts ran: one table row and one chart per grid point, the title untouched.
            let dom = try Chromium.dumpDOM(page)
            #expect(rowOrder(dom) == [0, 1, 2, 3])
            // A grid (no search block, no halving) has no leaderboard: the table comes first.
            #expect(!dom.contains("id=\"leaderboard\"") && !dom.contains("leaderboard-table"))
            #expect(dom.components(separatedBy: "<svg class=\"chart curves\"").count == 1 + 4)
            #expect(dom.contains("<title>rnnsweep report: browser</title>"))
            // An element made from the description would serialize as `<img id="injected"`; as text it is `&lt;img`.
            #expect(!dom.contains("pwned</title>") && !dom.contains("<img"))
            #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the description shows as text")
            // The command that ran the sweep and the experiment file as written are on the page.
            #expect(dom.contains("browser.yaml --workers 2 --db "))
            #expect(dom.contains("sequence_length: 12"))

            // Sorting through the fragment: ascending, then descending, by the mean test accuracy.
            let ascending = means.indices.sorted { (means[$0], $0) < (means[$1], $1) }
            let descending = means.indices.sorted { (-means[$0], $0) < (-means[$1], $1) }
            let up = try Chromium.dumpDOM(page, fragment: "sort=test_accuracy")
            #expect(rowOrder(up) == ascending, "\(means)")
            #expect(up.contains("data-key=\"test_accuracy\" data-type=\"number\" aria-sort=\"ascending\""))
            let down = try Chromium.dumpDOM(page, fragment: "sort=-test_accuracy")
            #expect(rowOrder(down) == descending, "\(means)")
            #expect(rowOrder(down) != rowOrder(up))
            // An unknown key leaves the grid order.
            #expect(rowOrder(try Chromium.dumpDOM(page, fragment: "sort=nope")) == [0, 1, 2, 3])

            let shot = workspace.directory.appendingPathComponent("report.png")
            try Chromium.screenshot(page, to: shot)
            let png = try Data(contentsOf: shot)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000, "\(png.count) bytes")
            if let keep = ProcessInfo.processInfo.environment["RNNSWEEP_KEEP_SCREENSHOT"] {
                try? FileManager.default.removeItem(atPath: keep)
                try FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep))
            }
        }

        /// A successive-halving search (``SuccessiveHalvingEndToEndTests``: 6 sampled configurations × 2 seeds) in
        /// Chromium: the page opens with the leaderboard, one row per configuration, the winner on top and highlighted
        /// — the configuration the JSON report ranks first, the one that completed with the best validation accuracy.
        @Test func aSearchOpensWithItsLeaderboard() throws {
            _ = try Chromium.require()
            let workspace = try SweepWorkspace()
            let yaml = SuccessiveHalvingEndToEndTests.yaml(halving: true).replacingOccurrences(
                of: "description: successive halving end-to-end test",
                with: "description: \"<b id='bold'>halving</b> & co\"")
            let run = try workspace.run(["run", try workspace.write("h.yaml", yaml), "--workers", "2"])
            try #require(run.status == 0, "\(run)")
            let page = workspace.directory.appendingPathComponent("search.html")
            let report = try workspace.run(["report", "halving", "--format", "html", "--output", page.path])
            try #require(report.status == 0, "\(report)")
            let json = try workspace.run(["report", "halving", "--format", "json"])
            let rows = try #require(
                try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(json)")
            let first = try #require(rows.first { $0["rank"] as? Int == 1 })
            #expect(first["status"] as? String == "completed" && first["stopped_at_rung"] is NSNull)
            let units = try #require(first["units"] as? Int)
            let rate = try #require(first["learning_rate"] as? Double)

            let dom = try Chromium.dumpDOM(page)
            let board = try #require(dom.range(of: "<section id=\"leaderboard\">"), "\(dom)")
            let results = try #require(dom.range(of: "<section id=\"results\">"))
            // First: no section before it, and it comes before the grid table.
            #expect(!dom[..<board.lowerBound].contains("<section") && board.upperBound < results.lowerBound)
            let section = String(dom[board.lowerBound..<results.lowerBound])
            #expect(section.components(separatedBy: "<tr data-config=").count - 1 == 6)
            #expect(section.components(separatedBy: "class=\"winner\"").count - 1 == 1)
            // The winner is the first row, with the JSON's rank-1 parameters and a completed value.
            let winnerRow = try #require(section.components(separatedBy: "<tr data-config=").dropFirst().first)
            #expect(winnerRow.contains("class=\"winner\"") && winnerRow.contains(">1</td>"), "\(winnerRow)")
            #expect(winnerRow.contains(">\(units)</td>") && winnerRow.contains(">\(rate)</td>"), "\(winnerRow)")
            #expect(winnerRow.contains("at epoch 6<") && !winnerRow.contains("stopped"), "\(winnerRow)")
            #expect(section.contains("stopped (rung 1)") && section.contains("stopped (rung 2)"))
            // The description stays text (no element made from it).
            #expect(!dom.contains("<b id=\"bold\">") && dom.contains("&lt;b id='bold'&gt;halving&lt;/b&gt; &amp; co"))
        }

        /// The `data-row` of the table's rows in document order.
        private func rowOrder(_ dom: String) -> [Int] {
            dom.components(separatedBy: "<tr data-row=\"").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        }
    }
}
