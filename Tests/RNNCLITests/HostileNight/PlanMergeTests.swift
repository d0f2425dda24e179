import Foundation
import Testing

extension EndToEnd {
    /// Issue 25, items 7, 8 and 9 and plan's control characters, with the real binary on real files: huge values
    /// that once crashed `plan`, a merge that mixed two experiments, an edited file whose old trials mixed with the
    /// new, and a description that drove the terminal.
    @Suite struct PlanMergeTests {
        /// Item 7: the two huge shapes beside two small ones. 8192 units × 16 layers at batch 65536 (and at
        /// batch 8, or 8 units at batch 65536) and 10⁷ samples of 10⁵ steps would need GB to TB.
        let huge = """
            name: huge
            dataset: sum-sign
            sequence_length: 20
            samples: 200
            defaults:
              cell: lstm
              layers: 16
              epochs: 1
            grid:
              units: [8192, 8]
              batch_size: [65536, 8]
            seeds: [1]

            """
        let hugeData = """
            name: huge-data
            dataset: sum-sign
            defaults:
              units: 8
              batch_size: 8
              epochs: 1
            grid:
              samples: [10000000, 200]
              sequence_length: [100000, 10]
            seeds: [1]

            """

        @Test func planShowsEachTrialsMemoryAndNeverAllocatesWhatCannotFit() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("huge.yaml", huge)
            let plan = try workspace.run(["plan", file, "--memory", "1G"])
            #expect(plan.status == 0, "\(plan)")
            let rows = plan.stdout.split(separator: "\n").filter { $0.first?.isNumber == true && $0.contains("  ") }
            #expect(rows.count == 4, "\(plan)")
            // Trials 1–3 exceed 1 GiB, trial 4 (8 units, batch 8) does not.
            #expect(rows.prefix(3).allSatisfy { $0.hasSuffix(" !") }, "\(plan)")
            #expect(!rows[3].hasSuffix("!"), "\(plan)")
            #expect(plan.stdout.contains(" TB !"), "the 8192-unit, batch-65536 trial is terabytes: \(plan)")
            #expect(plan.stderr.contains("warning: 3 trial(s) need more memory than 1.07 GB, --memory 1G"), "\(plan)")
            #expect(plan.stderr.contains("needs ≈ "), "\(plan)")
            // Only the fitting shape was calibrated.
            #expect(plan.stdout.contains("a calibration of 1 shape(s)"), "\(plan)")
            #expect(plan.stdout.contains("3 trial(s) left out: more memory than there is"), "\(plan)")

            let json = try workspace.run(["plan", file, "--json", "--memory", "1G"])
            #expect(json.status == 0, "\(json)")
            #expect(json.stdout.components(separatedBy: "\"memory_bytes\":").count == 5, "\(json)")

            let data = try workspace.write("huge-data.yaml", hugeData)
            let dataPlan = try workspace.run(["plan", data, "--memory", "1G"])
            #expect(dataPlan.status == 0, "\(dataPlan)")
            #expect(dataPlan.stderr.contains("the generated data of 1 of them was not generated"), "\(dataPlan)")
            #expect(dataPlan.stdout.contains("5.00 TB !"), "10⁷ + 2.5·10⁶ examples × 10⁵ steps × 4 bytes: \(dataPlan)")
        }

        @Test func runRefusesTrialsThatCannotFitBeforeAnythingIsWritten() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("huge.yaml", huge)
            let run = try workspace.run(["run", file, "--memory", "1G"])
            #expect(run.status == 1, "\(run)")
            #expect(run.stderr.contains("3 trial(s) need more memory than 1.07 GB, --memory 1G; nothing was started"))
            #expect(run.stderr.contains("#1 ") && run.stderr.contains("#2 ") && run.stderr.contains("#3 "), "\(run)")
            #expect(!run.stderr.contains("#4 "), "\(run)")
            #expect(!FileManager.default.fileExists(atPath: workspace.database.path), "nothing registered")
        }

        /// Control characters in a description are shown escaped, never sent raw to the terminal.
        @Test func planEscapesControlCharactersOfTheDescription() throws {
            let workspace = try SweepWorkspace()
            // Double-quoted YAML escapes: ESC (clear screen, retitle the window), BEL, CR and a direction override.
            let file = try workspace.write(
                "ctl.yaml",
                """
                name: ctl
                description: "clear \\e[2J title \\e]0;pwned\\a back\\r over \\u202Ertl"
                dataset: sum-sign
                sequence_length: 10
                samples: 200
                defaults:
                  epochs: 1
                seeds: [1]

                """)
            let plan = try workspace.run(["plan", file, "--no-estimate"])
            #expect(plan.status == 0, "\(plan)")
            let all = plan.stdout + plan.stderr
            #expect(!all.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\r" || $0 == "\u{202E}" })
            #expect(
                plan.stdout.hasPrefix(
                    "ctl: clear \\u{1B}[2J title \\u{1B}]0;pwned\\u{7} back\\u{D} over \\u{202E}rtl\n"), "\(plan)")
        }

        /// Item 8: two databases with a sweep `same` of different epochs. The merge refuses, names the difference and
        /// writes nothing; `--rename` keeps them apart.
        @Test func mergeRefusesADifferentExperimentOfTheSameName() throws {
            let workspace = try SweepWorkspace()
            var sweep = TinySweep(name: "same", sequenceLength: 10, samples: 200, epochs: 2, cells: ["gru"], units: [8])
            let a = try workspace.write("a.yaml", sweep.yaml)
            sweep.epochs = 3
            let b = try workspace.write("b.yaml", sweep.yaml)
            let first = workspace.directory.appendingPathComponent("a.sqlite").path
            let second = workspace.directory.appendingPathComponent("b.sqlite").path
            #expect(try rnnsweep(["run", a, "--db", first], in: workspace.directory).status == 0)
            #expect(try rnnsweep(["run", b, "--db", second], in: workspace.directory).status == 0)

            let target = workspace.database.path
            func mergeInto(_ arguments: [String]) throws -> CommandResult {
                try rnnsweep(["merge"] + arguments + ["--into", target], in: workspace.directory)
            }
            let merge = try mergeInto([first, second])
            #expect(merge.status == 1, "\(merge)")
            #expect(merge.stderr.contains("sweep same in \(second) is a different experiment"), "\(merge)")
            #expect(merge.stderr.contains("defaults.epochs: 2 vs 3"), "\(merge)")
            #expect(!FileManager.default.fileExists(atPath: workspace.database.path), "nothing written")

            // Into a database that has the first: it keeps exactly its one trial.
            #expect(try mergeInto([first]).status == 0)
            #expect(try mergeInto([second]).status == 1)
            #expect(workspace.sweepDatabase("same").trials()?.count == 1)

            let renamed = try mergeInto([second, "--rename", "same-3"])
            #expect(renamed.status == 0, "\(renamed)")
            let list = try workspace.run(["ls"])
            #expect(list.stdout.contains("\nsame ") && list.stdout.contains("\nsame-3 "), "\(list)")
            #expect(workspace.sweepDatabase("same-3").trials()?.count == 1)
        }

        /// Item 9: a sweep re-run after its file was edited (8 → more epochs, a unit count removed). Reports and
        /// status show the current trials; `--all-trials` shows the others, marked superseded.
        @Test func anEditedSweepShowsItsCurrentTrialsAndKeepsTheSuperseded() throws {
            let workspace = try SweepWorkspace()
            var sweep = TinySweep(
                name: "edit", sequenceLength: 10, samples: 200, epochs: 2, cells: ["gru"], units: [8, 64])
            let file = try workspace.write("edit.yaml", sweep.yaml)
            #expect(try workspace.run(["run", file]).status == 0)
            sweep.epochs = 3
            sweep.units = [8]
            try workspace.write("edit.yaml", sweep.yaml)
            #expect(try workspace.run(["run", file]).status == 0)
            #expect(workspace.sweepDatabase("edit").trials()?.count == 3, "every trial is kept")

            let status = try workspace.run(["status"])
            #expect(status.stdout.hasPrefix("sweep edit: 1 trials — "), "\(status)")
            #expect(status.stdout.contains("2 superseded trial(s) not shown"), "\(status)")
            let ordinals = status.stdout.split(separator: "\n").filter { $0.hasPrefix("1 ") }
            #expect(ordinals.count == 1, "one trial per ordinal: \(status)")
            let all = try workspace.run(["status", "--all-trials"])
            #expect(all.stdout.components(separatedBy: "completed (superseded)").count == 3, "\(all)")

            let report = try workspace.run(["report", "--format", "csv"])
            #expect(report.status == 0, "\(report)")
            #expect(
                report.stdout.split(whereSeparator: \.isNewline).count == 2, "a header and the current trial: \(report)"
            )
            let everything = try workspace.run(["report", "--all-trials"])
            #expect(everything.stdout.contains("| Definition |"), "\(everything)")
            #expect(everything.stdout.components(separatedBy: "| superseded |").count == 3, "\(everything)")
            #expect(everything.stdout.components(separatedBy: "| current    |").count == 2, "\(everything)")
        }
    }
}
