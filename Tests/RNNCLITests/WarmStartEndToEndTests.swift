import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

extension EndToEnd {
    /// A TPE sweep warm-started from an earlier sweep of the same database: `plan` and `run` say which trials it
    /// takes, the sweep row keeps their ids, the TPE scheduler learns from them, and a resumed run takes the same
    /// ones although the earlier sweep gained a configuration since.
    @Suite struct WarmStartEndToEndTests {
        static func yaml(name: String, samples: Int, seed: Int, tpe: Bool) -> String {
            """
            name: \(name)
            dataset: sum-sign
            sequence_length: 10
            samples: 200
            validation_split: 0.25
            defaults:
              optimizer: adam
              epochs: 1
              batch_size: 32
              cell: simple_rnn
              units: 4
            seeds: [1]
            search:
              samples: \(samples)
              seed: \(seed)

            """
                + (tpe ? "  method: tpe\n  startup: 2\n  warm_start: [earlier]\n" : "")
                    + """
                      space:
                        learning_rate: {log_uniform: [0.001, 0.1]}
                        dropout: {uniform: [0.0, 0.5]}

                    """
        }

        /// Runs `path` in process with the TPE scheduler over the file's order (the factory's wiring is another
        /// branch's), so the warm start the run read reaches the sampler through its facts.
        func runTPE(_ workspace: SweepWorkspace, _ path: String, lines: LineBox) throws -> SweepSummary {
            let (experiment, expanded) = try ExperimentFile.loadSweep(path: path)
            var definition = SweepDefinition(experiment: experiment, sweep: expanded)
            let space = try #require(experiment.search)
            definition.scheduler = { facts, make in
                TPEScheduler(
                    inner: GridScheduler(facts: facts), space: space, metric: .valAccuracy, facts: facts, make: make!)
            }
            let options = SweepRunOptions(
                databaseURL: workspace.database, workers: 1, threadsPerWorker: 1, retries: 0,
                workerExecutable: RNNSweepBinary.url)
            return try SweepRunner(
                definition: definition, options: options, reporter: SweepReporter(terminal: false) { lines.append($0) }
            ).run()
        }

        final class LineBox: @unchecked Sendable {
            private let lock = NSLock()
            private var stored: [String] = []
            func append(_ line: String) { lock.withLock { stored.append(line) } }
            var lines: [String] { lock.withLock { stored } }
        }

        @Test func plansRunsAndResumesWithTheSameEarlierTrials() throws {
            let workspace = try SweepWorkspace()
            let earlier = try workspace.write(
                "earlier.yaml", Self.yaml(name: "earlier", samples: 3, seed: 11, tpe: false))
            let first = try workspace.run(["run", earlier])
            #expect(first.status == 0, "\(first)")
            let path = try workspace.write("later.yaml", Self.yaml(name: "later", samples: 3, seed: 5, tpe: true))
            let expected = "warm start: 3 configurations (3 trials) of sweep earlier"

            let plan = try workspace.run(["plan", path, "--no-estimate"])
            #expect(plan.status == 0, "\(plan)")
            #expect(plan.stdout.contains(expected + "\n"), "\(plan)")
            #expect(plan.stdout.contains("the random start-up stays 2 samples"), "\(plan)")

            let lines = LineBox()
            let summary = try runTPE(workspace, path, lines: lines)
            #expect(summary.completed == 3 && summary.failed == 0, "\(summary)")
            #expect(lines.lines.contains { $0.contains(expected) }, "\(lines.lines)")

            let store = try MetricsStore.openExisting(at: workspace.database)
            let earlierRows = try store.trials(sweep: try #require(try store.sweep(named: "earlier")).id)
            let row = try #require(try store.sweep(named: "later"))
            let stored = try #require(WarmStart.Stored(experimentJSON: row.experimentJSON))
            #expect(stored.sweeps == ["earlier"])
            #expect(stored.trials == earlierRows.sorted { $0.ordinal < $1.ordinal }.map(\.id))
            // The configuration TPE added learned from the warm start's three results and the two start-up ones.
            let added = try store.trials(sweep: row.id).filter { AddedTrials.isAdded($0) }
            #expect(added.count == 1)
            #expect(
                added.first?.notes?.contains("TPE generation 1 from 5 results (3 of them from the warm start)") == true,
                "\(added.first?.notes ?? "")")

            // The earlier sweep gains a configuration; the later one, run again, still takes the three it took.
            let more = try workspace.write("earlier.yaml", Self.yaml(name: "earlier", samples: 4, seed: 11, tpe: false))
            let second = try workspace.run(["run", more])
            #expect(second.status == 0, "\(second)")
            let resumedLines = LineBox()
            _ = try runTPE(workspace, path, lines: resumedLines)
            #expect(
                resumedLines.lines.contains {
                    $0.contains(expected + "; 1 skipped: not used when this sweep first ran (1)")
                }, "\(resumedLines.lines)")
            let again = try MetricsStore.openExisting(at: workspace.database)
            let resumed = try #require(try again.sweep(named: "later"))
            #expect(resumed.experimentJSON == row.experimentJSON)
            let replan = try workspace.run(["plan", path, "--no-estimate"])
            #expect(
                replan.stdout.contains(expected + "; 1 skipped: not used when this sweep first ran (1)"), "\(replan)")

            // The report's provenance names them.
            let report = try workspace.run(["report", "later", "--format", "html"])
            #expect(report.status == 0, "\(report.stderr)")
            #expect(report.stdout.contains("Warm start"), "provenance line missing")
            #expect(report.stdout.contains(stored.trials[0]))

            // An unknown sweep stops plan and run before anything is registered.
            let wrong = try workspace.write(
                "wrong.yaml",
                Self.yaml(name: "wrong", samples: 3, seed: 5, tpe: true).replacingOccurrences(
                    of: "[earlier]", with: "[earlier, nope]"))
            for command in ["plan", "run"] {
                let result = try workspace.run([command, wrong] + (command == "plan" ? ["--no-estimate"] : []))
                #expect(result.status != 0)
                #expect(result.stderr.contains("no sweep named 'nope'"), "\(result)")
            }
            #expect(try MetricsStore.openExisting(at: workspace.database).sweep(named: "wrong") == nil)
        }
    }
}
