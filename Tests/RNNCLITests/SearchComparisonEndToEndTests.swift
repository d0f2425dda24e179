import Foundation
import Testing

extension EndToEnd {
    /// `report --searches` on real sweeps: the sampled search of ``SuccessiveHalvingEndToEndTests`` run to the end
    /// (`random`, sampler seed 3) and with successive halving (`halving`, sampler seeds 3 and 4), in one database.
    @Suite struct SearchComparisonEndToEndTests {
        /// Runs the three sweeps (smaller than the halving test's: 4 epochs, 400 examples), each in a database of its
        /// own — in one database a sweep would take over the others' completed trials (same trial ids) instead of
        /// running them — and merges them into the workspace's database.
        static func runSweeps(in workspace: SweepWorkspace) throws {
            var databases: [String] = []
            for (name, halving, seed) in [("random-3", false, 3), ("halving-3", true, 3), ("halving-4", true, 4)] {
                let database = workspace.directory.appendingPathComponent("\(name).sqlite").path
                let run = try rnnsweep(
                    [
                        "run", try workspace.write("\(name).yaml", yaml(name, halving: halving, seed: seed)),
                        "--workers",
                        "2", "--db", database,
                    ], in: workspace.directory)
                try #require(run.status == 0, "\(run)")
                databases.append(database)
            }
            let merge = try rnnsweep(
                ["merge"] + databases + ["--into", workspace.database.path], in: workspace.directory)
            try #require(merge.status == 0, "\(merge)")
        }

        /// ``SuccessiveHalvingEndToEndTests``'s search, named `name`, with sampler seed `seed`.
        static func yaml(_ name: String, halving: Bool, seed: Int) -> String {
            SuccessiveHalvingEndToEndTests.yaml(halving: halving)
                .replacingOccurrences(of: "name: halving", with: "name: \(name)")
                .replacingOccurrences(of: "seed: 3", with: "seed: \(seed)")
                .replacingOccurrences(of: "samples: 2000", with: "samples: 400")
                .replacingOccurrences(of: "epochs: 6", with: "epochs: 4")
        }

        static let searches = ["--searches", "random=random-3", "--searches", "halving=halving-3, halving-4"]

        @Test func comparesTheMethodsInEveryFormatTheSameWayTwice() throws {
            let workspace = try SweepWorkspace()
            try Self.runSweeps(in: workspace)
            for format in ["markdown", "csv", "json", "html"] {
                let first = try workspace.run(["report"] + Self.searches + ["--format", format])
                try #require(first.status == 0, "\(first)")
                let second = try workspace.run(["report"] + Self.searches + ["--format", format])
                #expect(first.stdout == second.stdout, "\(format) must not change between renders")
            }
            let markdown = try workspace.run(["report"] + Self.searches + ["--top-k", "2"]).stdout
            let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }
            #expect(rows.count == 5, "\(markdown)")
            #expect(rows[2].hasPrefix("| random ") && rows[3].hasPrefix("| halving "), "\(markdown)")
            #expect(rows[4].hasPrefix("| top-2 after epoch 1 (random) "), "\(markdown)")

            // Every epoch row counts: the random search spent 6 configurations × 2 seeds × 4 epochs.
            let json = try workspace.run(["report"] + Self.searches + ["--format", "json"])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json)")
            let methods = try #require(object["methods"] as? [[String: Any]])
            let random = try #require((methods[0]["sweeps"] as? [[String: Any]])?.first)
            #expect(random["total_epochs"] as? Int == 48)
            let halving = try #require(methods[1]["sweeps"] as? [[String: Any]])
            for sweep in halving {
                let name = try #require(sweep["name"] as? String)
                let recorded = try #require(workspace.sweepDatabase(name).epochs()).values.reduce(0) { $0 + $1.count }
                #expect(sweep["total_epochs"] as? Int == recorded && recorded < 48, "\(name)")
            }
            #expect((object["baselines"] as? [[String: Any]])?.map { $0["method"] as? String } == ["random"])
        }

        @Test func refusesWhatItCannotCompare() throws {
            let workspace = try SweepWorkspace()
            try Self.runSweeps(in: workspace)
            let unknown = try workspace.run(["report", "--searches", "random=random-3,nope"])
            #expect(unknown.status == 1 && unknown.stderr.contains("no sweep named nope"), "\(unknown)")
            let twice = try workspace.run(["report", "--searches", "a=random-3", "--searches", "a=halving-3"])
            #expect(twice.status == 1 && twice.stderr.contains("the label a is given twice"), "\(twice)")
            let shape = try workspace.run(["report", "--searches", "random"])
            #expect(shape.status == 2 && shape.stderr.contains("expected LABEL=SWEEP"), "\(shape)")
            let alone = try workspace.run(["report", "random-3", "--top-k", "2"])
            #expect(alone.status != 0 && alone.stderr.contains("--metric and --top-k apply to --searches"))
            let mixed = try workspace.run(["report", "--searches", "random=random-3", "--compare", "halving-3"])
            #expect(mixed.status != 0 && mixed.stderr.contains("--compare"), "\(mixed)")
            let metric = try workspace.run(["report", "--searches", "random=random-3", "--metric", "test_accuracy"])
            #expect(metric.status == 2 && metric.stderr.contains("choose a validation metric"), "\(metric)")
            #expect(unknown.stdout.isEmpty && twice.stdout.isEmpty)
            // Run in the same database, the halving search takes the random search's completed trials over.
            let rerun = try workspace.run(
                ["run", try workspace.write("again.yaml", Self.yaml("halving-again", halving: true, seed: 3))])
            try #require(rerun.status == 0, "\(rerun)")
            let reused = try workspace.run(["report", "--searches", "r=random-3", "--searches", "h=halving-again"])
            #expect(reused.status == 1 && reused.stderr.contains("halving-again (12 trials) took completed trials"))
        }
    }

    /// The search comparison's HTML page in headless Chromium: the chart (a line per method, the band of the
    /// method with two sweeps, the baseline's point) and the table render, and the page logs nothing to the console.
    @Suite(.enabled(if: Chromium.testsEnabled, Chromium.skipReason))
    struct SearchComparisonBrowserTests {
        @Test func theComparisonPageRendersInARealBrowser() throws {
            _ = try Chromium.require()
            let workspace = try SweepWorkspace()
            try SearchComparisonEndToEndTests.runSweeps(in: workspace)
            let page = workspace.directory.appendingPathComponent("searches.html")
            let report = try workspace.run(
                ["report"] + SearchComparisonEndToEndTests.searches + ["--format", "html", "--output", page.path])
            try #require(report.status == 0, "\(report)")
            let dom = try Chromium.dumpDOM(page)
            #expect(dom.contains("<svg class=\"chart search-comparison\""))
            #expect(dom.contains("class=\"method-0\"") && dom.contains("class=\"method-1\""))
            #expect(dom.contains("class=\"method-1-band\""), "two halving sweeps: a band")
            #expect(dom.contains("class=\"baseline-dot\"") && dom.contains("top-3 after epoch 1 (random)"))
            #expect(dom.components(separatedBy: "<tr data-row=\"").count - 1 == 3)
            #expect(dom.contains("<title>rnnsweep search comparison: Search methods: random, halving</title>"))
            let console = try Chromium.consoleMessages(page)
            #expect(console.isEmpty, "\(console)")
            // The sort script works on this table too.
            let sorted = try Chromium.dumpDOM(page, fragment: "sort=-epochs")
            #expect(sorted.contains("data-key=\"epochs\" data-type=\"number\" aria-sort=\"descending\""))

            let shot = workspace.directory.appendingPathComponent("searches.png")
            try Chromium.screenshot(page, to: shot)
            let png = try Data(contentsOf: shot)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000, "\(png.count) bytes")
        }
    }
}
