import Foundation
import GRDB
import Testing

extension EndToEnd {
    /// The "The search" section of a real successive-halving search, opened in headless Chromium: each chart is
    /// there with one mark per configuration (one bar per parameter), and a hostile choice value stays text.
    @Suite(.enabled(if: Chromium.testsEnabled, Chromium.skipReason))
    struct SearchChartsBrowserTests {
        /// 9 sampled configurations, rungs at epochs 1 and 3: all 9 reach rung 1, 3 go on, 1 completes.
        static let yaml = """
            name: charts
            description: search charts browser test
            dataset: sum-sign
            sequence_length: 12
            samples: 400
            validation_split: 0.25
            defaults:
              optimizer: adam
              epochs: 3
              batch_size: 32
            search:
              samples: 9
              seed: 11
              space:
                cell: {choice: [gru, simple_rnn]}
                units: {choice: [4, 8, 16]}
                learning_rate: {log_uniform: [1.0e-3, 3.0e-2]}
            early_stopping: {method: successive_halving, metric: val_accuracy, min_epochs: 1, reduction_factor: 3}
            seeds: [1]

            """

        /// Would add an element or change the title if it parsed as markup.
        static let hostile = #"<script>document.title="pwned"</script><b id="injected">"#

        @Test func theSearchSectionDrawsEveryConfigurationAndEscapesParameterValues() throws {
            _ = try Chromium.require()
            let workspace = try SweepWorkspace()
            let run = try workspace.run(["run", try workspace.write("charts.yaml", Self.yaml), "--workers", "2"])
            try #require(run.status == 0, "\(run)")
            // A choice value no schema would accept, written as a database from elsewhere could hold it.
            let quoted = String(decoding: try JSONEncoder().encode(Self.hostile), as: UTF8.self)
            let queue = try DatabaseQueue(path: workspace.database.path)
            try queue.write { db in
                try db.execute(
                    sql: "UPDATE trials SET params = replace(params, '\"simple_rnn\"', ?)", arguments: [quoted])
                try db.execute(
                    sql: "UPDATE sweeps SET experiment = replace(experiment, '\"simple_rnn\"', ?)", arguments: [quoted])
                let changed = try Int.fetchOne(db, sql: "SELECT count(*) FROM trials WHERE params LIKE '%pwned%'") ?? 0
                try #require(changed > 0, "the search must have drawn simple_rnn for some configuration")
            }
            try queue.close()

            let page = workspace.directory.appendingPathComponent("report.html")
            let report = try workspace.run(["report", "charts", "--format", "html", "--output", page.path])
            try #require(report.status == 0, "\(report)")
            let again = workspace.directory.appendingPathComponent("again.html")
            _ = try workspace.run(["report", "charts", "--format", "html", "--output", again.path])
            #expect(try Data(contentsOf: page) == Data(contentsOf: again), "the same database gives the same page")

            let dom = try Chromium.dumpDOM(page)
            let search = try #require(dom.components(separatedBy: "<section id=\"search\">").dropFirst().first)
                .components(separatedBy: "</section>")[0]
            let configurations = Set(0..<9)
            #expect(configs(search, mark: "class=\"search-curve ") == configurations.sorted())
            // One scatter per searched parameter, each with a point per configuration.
            #expect(search.components(separatedBy: "<svg class=\"chart scatter\"").count == 1 + 3)
            #expect(
                configs(search, mark: "class=\"search-point ")
                    == configurations.sorted().flatMap { Array(repeating: $0, count: 3) })
            #expect(configs(search, mark: "class=\"search-line\"") == configurations.sorted())
            #expect(search.components(separatedBy: "class=\"importance-bar\"").count == 1 + 3, "a bar per parameter")
            #expect(search.contains("rung 1") && search.contains("rung 2"))
            #expect(search.contains("(log scale)"), "the learning rate was drawn log-uniformly")
            #expect(search.contains("at epoch 1, fANOVA over a random forest of 64 trees, 9 configurations"))
            #expect(search.contains("search-curve winner"))

            // The hostile value is text in labels and titles, never markup.
            #expect(dom.contains("<title>rnnsweep report: charts</title>"))
            #expect(!dom.contains("<b id=\"injected\"") && !dom.contains("pwned</title>"))
            #expect(search.contains("&lt;script&gt;document.title=\"pwned\"&lt;/script&gt;"))
        }

        /// The `data-config` of each element whose attributes contain `mark` (the class precedes it), sorted.
        private func configs(_ html: String, mark: String) -> [Int] {
            html.components(separatedBy: mark).dropFirst().compactMap { element -> Int? in
                guard let range = element.range(of: "data-config=\"") else { return nil }
                return Int(element[range.upperBound...].prefix { $0.isNumber })
            }.sorted()
        }
    }
}
