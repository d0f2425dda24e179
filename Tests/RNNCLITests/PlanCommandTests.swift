import Foundation
import Testing

extension EndToEnd {
    /// `rnnsweep plan` shows the expansion and writes nothing.
    @Suite struct PlanCommandTests {
        @Test func planPrintsTheTrialsAndWritesNoDatabase() throws {
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(name: "plan", units: [8, 16, 32], seeds: [1, 2])
            try workspace.write("plan.yaml", sweep.yaml)
            // No --db: `plan` has none, and the default `Results/rnnsweep.sqlite` must not appear in the cwd.
            let result = try rnnsweep(["plan", "plan.yaml"], in: workspace.directory)
            #expect(result.status == 0, "\(result)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines[lines.count - 2] == "12 trials (6 grid points × 2 seeds)", "\(result.stdout)")
            #expect(lines.first == "plan: end-to-end test sweep")
            #expect(lines.count == 1 + 2 + 1 + 12 + 1 + 1, "title, data, header, one line per trial, count, time")
            #expect(lines[1] == "data: sum-sign: 3000 train / 750 test, 30 steps × 1 feature, 2 classes")
            #expect(lines[2] == "  scaling: values as stored (input_scale: auto)")
            #expect(
                lines.last?.hasPrefix("time: ≈ ") == true
                    && lines.last?.contains("(estimate from a calibration of 6 shape(s), 5 batches each)") == true
                    && lines.last?.contains("; each worker ≈ ") == true
                    && lines.last?.contains("; the run's own calibration ≈ ") == true
                    && lines.last?.contains(
                        " ms beyond its steps (its event, its checkpoint's copy, its record); each trial ≈ ")
                        == true
                    && lines.last?.contains(
                        "beyond its epochs (start-up, data, checkpoints, test; from short real trials on this machine); ≈ "
                    ) == true
                    && lines.last?.contains("; the run's own start ≈ ") == true
                    && lines.last?.hasSuffix(" between two trials (the coordinator's records)") == true,
                "no database: every shape is calibrated: \(lines.last ?? "")")
            #expect(lines[3].split(separator: " ") == ["#", "id", "cell", "units", "seed", "memory"])
            #expect(try workspace.contents() == ["plan.yaml"])
        }

        /// With a database that has run the sweep, the estimate comes from its recorded epochs and is close to
        /// what the run took (no timing is asserted: only that it is the history's).
        @Test func theEstimateUsesTheDatabasesHistory() throws {
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(name: "history", samples: 600, epochs: 2, cells: ["gru"], units: [8, 16])
            let file = try workspace.write("history.yaml", sweep.yaml)
            #expect(try workspace.run(["run", file]).status == 0)
            let plan = try workspace.run(["plan", file, "--workers", "1"])
            let time = try #require(plan.stdout.split(separator: "\n").last.map(String.init))
            #expect(time.hasPrefix("time: ≈ ") && time.contains("on 1 worker(s)"), "\(time)")
            #expect(time.contains("(estimate from 4 recorded epochs of 2 shape(s) in \(workspace.database.path))"))
            // The overhead of a trial beyond its epochs, learned from the two completed trials (``TrialCost``).
            // And the wait between the two, on the one worker (no calibration).
            #expect(
                time.contains("(start-up, data, checkpoints, test; from 2 recorded trial(s)); ≈ ")
                    && time.hasSuffix(" between two trials (the coordinator's records)"), "\(time)")
            // The recorded overheads hold each epoch's bookkeeping: no calibrated figure per epoch on top.
            #expect(!time.contains("each epoch ≈"), "\(time)")
            // Nothing to calibrate: the run starts its first trial at once.
            #expect(!time.contains("the run's own calibration"), "\(time)")
            let none = try workspace.run(["plan", file, "--no-estimate"])
            #expect(!none.stdout.contains("time:"), "\(none)")
        }

        /// `plan --json` lists the trials `run` registers: the same ordinals, ids, grid points, seeds and the params
        /// text the database stores, character for character.
        @Test func jsonPlanIsWhatTheDatabaseStores() throws {
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(
                name: "json", sequenceLength: 6, samples: 100, epochs: 1, cells: ["gru"], units: [4], seeds: [1, 2])
            try workspace.write("json.yaml", sweep.yaml)
            let result = try rnnsweep(["plan", "json.yaml", "--json"], in: workspace.directory)
            #expect(result.status == 0, "\(result)")
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(document["name"] as? String == "json")
            #expect(document["description"] as? String == "end-to-end test sweep")
            let trials = try #require(document["trials"] as? [[String: Any]])
            #expect(trials.count == 2)
            // The params object as printed: one trial per line, `"params":{…}}` at its end.
            let paramsTexts = result.stdout.split(separator: "\n").compactMap { line -> String? in
                guard let start = line.range(of: "\"params\":") else { return nil }
                let rest = line[start.upperBound...]
                return String(rest.dropLast(rest.hasSuffix("},") ? 2 : 1))
            }
            try #require(try workspace.run(["run", "json.yaml", "--workers", "1"]).status == 0)
            let rows = try #require(workspace.sweepDatabase("json").trials())
            #expect(rows.map(\.id) == trials.map { $0["id"] as? String })
            #expect(rows.map(\.ordinal) == trials.map { $0["ordinal"] as? Int })
            #expect(rows.map(\.gridPoint) == trials.map { $0["grid_point"] as? Int })
            #expect(rows.map(\.seed) == trials.map { $0["seed"] as? Int })
            #expect(rows.map(\.paramsJSON) == paramsTexts)
            #expect(paramsTexts.allSatisfy { $0.hasPrefix("{\"activation\":") && $0.contains("\"network\":\"rnn\"") })
        }

        /// Parameters after the file replace the file's value in every trial (and so change the ids); the seed and
        /// options of another network are refused.
        @Test func overridesReplaceTheFilesValues() throws {
            let workspace = try SweepWorkspace()
            try workspace.write("o.yaml", TinySweep(name: "o", units: [8, 16]).yaml)
            func plan(_ extra: [String]) throws -> (CommandResult, [[String: Any]]) {
                let result = try rnnsweep(["plan", "o.yaml", "--json"] + extra, in: workspace.directory)
                let document = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
                return (result, document?["trials"] as? [[String: Any]] ?? [])
            }
            let (_, plain) = try plan([])
            let (result, quick) = try plan(["--epochs", "1", "--limit", "50"])
            #expect(result.status == 0, "\(result)")
            #expect(quick.count == plain.count && quick.count == 4)
            for trial in quick {
                let params = try #require(trial["params"] as? [String: Any])
                #expect(params["epochs"] as? Int == 1)
                #expect(params["limit"] as? Int == 50)
            }
            #expect(
                Set(quick.compactMap { $0["id"] as? String }).isDisjoint(with: plain.compactMap { $0["id"] as? String })
            )
            let (seed, _) = try plan(["--seed", "3"])
            #expect(seed.status == 2 && seed.stderr.contains("--seed cannot be overridden"), "\(seed)")
            let (mlp, _) = try plan(["--network", "mlp"])
            #expect(mlp.status == 2, "\(mlp)")
            #expect(mlp.stderr.contains("cell: 'simple_rnn' does not apply to network mlp"), "\(mlp)")
        }
    }
}
