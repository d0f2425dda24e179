import Foundation
import GRDB
import RNNSweep
import Testing

extension EndToEnd {
    /// `--version`, and where every trial ran: recorded by real workers, warned about when a merged database or a
    /// resume mixes CPU kinds.
    @Suite struct ProvenanceEndToEndTests {
        /// `rnnsweep --version`, split into version and commit (nil: "commit unknown") and dirty flag.
        static func version() throws -> (version: String, commit: String?, dirty: Bool) {
            let result = try rnnsweep(["--version"], in: GitCheckout.packageRoot)
            let line = result.stdout.trimmingCharacters(in: .newlines)
            let match = try #require(
                line.wholeMatch(of: /rnnsweep (\d+\.\d+\.\d+) \(commit ([0-9a-f]{7,40}|unknown)(, dirty)?\)/),
                "\(result)")
            let commit = String(match.output.2)
            return (String(match.output.1), commit == "unknown" ? nil : commit, match.output.3 != nil)
        }

        @Test func versionNamesTheCommitOfTheBuild() throws {
            let (version, commit, _) = try Self.version()
            #expect(version == "0.6.0")
            guard GitCheckout.packageIsCheckout, let head = GitCheckout.git(["rev-parse", "--short", "HEAD"]) else {
                #expect(commit == nil, "outside a git checkout the build knows no commit")
                return
            }
            #expect(
                commit == head,
                "the binary was built at \(commit ?? "unknown"), HEAD is \(head): rebuild (swift build) before testing")
        }

        @Test func everyTrialRecordsWhereItRan() throws {
            let sweep = TinySweep(
                name: "where", sequenceLength: 8, samples: 400, epochs: 2, cells: ["simple_rnn", "gru"], units: [8])
            let workspace = try SweepWorkspace()
            let result = try workspace.run(["run", try workspace.write("w.yaml", sweep.yaml), "--workers", "2"])
            try #require(result.status == 0, "\(result)")
            let (version, commit, dirty) = try Self.version()
            let trials = try #require(workspace.sweepDatabase(sweep.name).trials())
            #expect(trials.count == 2)
            for trial in trials {
                let p = try #require(trial.provenance, "\(trial.id)")
                #expect(p.build.version == version && p.build.commit == commit && p.build.dirty == dirty)
                #expect(p.host == ThisMachine.host)
                #expect(p.cpuModel == ThisMachine.cpuModel)
                #expect(p.kernels == ThisMachine.kernels)
                #expect(p.backend.wholeMatch(of: /oneDNN \d+\.\d+\.\d+/) != nil, "\(p.backend)")
                #expect(p.threads == 1)
                #expect(trial.resumedOn.isEmpty && trial.notes == nil)
            }
            // The columns, as the sqlite3 shell sees them.
            let rows = try DatabaseQueue(path: workspace.database.path).read { db in
                try Row.fetchAll(db, sql: "SELECT host, kernels, threads, rnnsweep_version FROM trials")
            }
            #expect(rows.allSatisfy { $0["host"] == ThisMachine.host && $0["threads"] == 1 }, "\(rows)")

            // `train` reports the same in its started event.
            let train = try rnnsweep(
                [
                    "train", "--json", "--dataset", "sum-sign", "--samples", "100", "--sequence-length", "5",
                    "--units", "4", "--epochs", "1", "--threads", "2",
                ], in: workspace.directory)
            #expect(train.status == 0, "\(train)")
            let started = train.stdout.split(separator: "\n").first { $0.contains(#""event":"started""#) } ?? ""
            #expect(
                started.contains(#""host":"\#(ThisMachine.host)""#) && started.contains(#""threads":2"#), "\(train)")
        }

        /// Two machines' shards merged: every report format and `status` name both CPU kinds and their trials.
        @Test func aMergedDatabaseOfTwoMachinesWarns() throws {
            let sweep = TinySweep(
                name: "shards", sequenceLength: 8, samples: 400, epochs: 2, cells: ["simple_rnn", "gru"],
                units: [8, 16])
            let workspace = try SweepWorkspace()
            let result = try workspace.run(["run", try workspace.write("s.yaml", sweep.yaml), "--workers", "2"])
            try #require(result.status == 0, "\(result)")
            // Shard A keeps ordinals 1–2 as this machine ran them; shard B keeps 3–4, "run" on an EPYC.
            let a = workspace.directory.appendingPathComponent("a.sqlite")
            let b = workspace.directory.appendingPathComponent("b.sqlite")
            let original = try DatabaseQueue(path: workspace.database.path)
            for copy in [a, b] {
                try original.writeWithoutTransaction { db in
                    try db.execute(sql: "VACUUM INTO ?", arguments: [copy.path])
                }
            }
            try DatabaseQueue(path: a.path).write { db in try db.execute(sql: "DELETE FROM trials WHERE ordinal > 2") }
            try DatabaseQueue(path: b.path).write { db in
                try db.execute(sql: "DELETE FROM trials WHERE ordinal <= 2")
                try db.execute(
                    sql: "UPDATE trials SET cpu_model = 'AMD EPYC 7763 64-Core Processor', kernels = 'AVX2', "
                        + "host = 'epyc-node'")
            }
            let merged = workspace.directory.appendingPathComponent("merged.sqlite").path
            let merge = try rnnsweep(["merge", a.path, b.path, "--into", merged], in: workspace.directory)
            try #require(merge.status == 0, "\(merge)")

            let here = "\(try #require(ThisMachine.cpuModel)) (\(ThisMachine.kernels) kernels)"
            let epyc = "AMD EPYC 7763 64-Core Processor (AVX2 kernels)"
            let warning =
                "trials from 2 CPU kinds: \(here): 2 trials, \(epyc): 2 trials — the same seed gives other "
                + "last digits on each; `report --rows cell,units,cpu` splits the rows by it"
            func run(_ arguments: [String]) throws -> CommandResult {
                let result = try rnnsweep(arguments + ["--db", merged], in: workspace.directory)
                #expect(result.status == 0, "\(result)")
                return result
            }
            let status = try run(["status", "shards"])
            #expect(status.stdout.contains("\nwarning: \(warning)\n"), "\(status)")
            #expect(status.stdout.contains("hosts \(ThisMachine.host): 2 trials, epyc-node: 2 trials"), "\(status)")
            let markdown = try run(["report", "shards"])
            #expect(markdown.stdout.contains("\n**Warning:** \(warning)\n"), "\(markdown)")
            #expect(markdown.stderr.isEmpty, "Markdown carries the warning itself")
            let csv = try run(["report", "shards", "--format", "csv"])
            #expect(csv.stderr.contains("warning: \(warning)\n"), "\(csv)")
            let header = csv.stdout.split(separator: "\r\n").first ?? ""
            #expect(header.hasSuffix(",tied_with_best,cpu"), "\(csv)")
            #expect(csv.stdout.contains(",\(epyc)\r\n") && csv.stdout.contains(",\(here)\r\n"), "\(csv)")
            let json = try run(["report", "shards", "--format", "json"])
            #expect(json.stderr.contains("warning: \(warning)\n") && json.stdout.contains(#""cpu" : "\#(epyc)""#))
            let page = try run(["report", "shards", "--format", "html"])
            #expect(page.stdout.contains("<p class=\"warning\"><strong>Warning: </strong>trials from 2 CPU kinds"))
            #expect(page.stdout.contains("<dd id=\"machine\">CPU \(here): 2 trials, \(epyc): 2 trials; build"))
            // Split by CPU kind, the table says it in a column and warns no more.
            let split = try run(["report", "shards", "--rows", "cell,units,cpu"])
            #expect(!split.stdout.contains("Warning") && split.stdout.contains("| CPU "), "\(split)")
            let byKind = try run(["report", "shards", "--rows", "cpu", "--format", "csv"])
            let records = byKind.stdout.split(separator: "\r\n")
            #expect(records.first?.hasPrefix("cpu,") == true && records.count == 5, "\(byKind)")
            #expect(records.filter { $0.hasPrefix("\(epyc),") }.count == 2, "\(byKind)")
        }

        /// An interrupted trial "started on another CPU kind" (its stored provenance edited) and resumed here keeps
        /// both and says so; the trials resumed on the kind they started on get no note.
        @Test func aResumeOnAnotherCPUKindRecordsBoth() throws {
            let sweep = TinySweep(name: "moved", epochs: 8, cells: ["simple_rnn", "gru", "lstm"], units: [16])
            let workspace = try SweepWorkspace()
            let file = try workspace.write("m.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "2"])
            let database = workspace.sweepDatabase(sweep.name)
            guard waitFor("a trial in the middle of training", { database.trialMidway(epochs: 8, remaining: 4) }) != nil
            else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            coordinator.send(SIGINT)
            let stopped = coordinator.wait()
            try #require(stopped.status == 130, "\(stopped)")
            let interrupted = try #require(database.trials()).filter {
                $0.status == .interrupted && $0.lastEpoch != nil
            }
            let moved = try #require(interrupted.first, "a trial interrupted after an epoch")
            try DatabaseQueue(path: workspace.database.path).write { db in
                try db.execute(
                    sql: "UPDATE trials SET cpu_model = 'Fabricated CPU (test)', kernels = 'AVX2', host = 'old-node' "
                        + "WHERE id = ?", arguments: [moved.id])
            }

            let resumed = try workspace.run(["run", file, "--workers", "2"])
            #expect(resumed.status == 0, "\(resumed)")
            let here = "\(try #require(ThisMachine.cpuModel)) (\(ThisMachine.kernels) kernels)"
            let trials = try #require(database.trials())
            let row = try #require(trials.first { $0.id == moved.id })
            #expect(row.status == .completed)
            #expect(row.provenance?.cpuModel == "Fabricated CPU (test)" && row.provenance?.host == "old-node")
            let resume = try #require(row.resumedOn.first, "\(row)")
            #expect(row.resumedOn.count == 1)
            #expect(resume.fromEpoch >= moved.lastEpoch!, "resumed from its checkpoint")
            #expect(resume.provenance.cpuModel == ThisMachine.cpuModel && resume.provenance.host == ThisMachine.host)
            let note = try #require(row.notes)
            #expect(
                note
                    == "resumed after epoch \(resume.fromEpoch) on \(ThisMachine.host) (before: old-node) with other "
                    + "result bits: CPU Fabricated CPU (test) (AVX2 kernels) → \(here)")
            #expect(resumed.stdout.contains("warning: #\(row.ordinal) \(row.id): \(note)"), "\(resumed)")
            // The others resumed (or ran) on this one kind: nothing added.
            for other in trials where other.id != moved.id {
                #expect(other.resumedOn.isEmpty && other.notes == nil, "\(other.id)")
            }

            let status = try workspace.run(["status"])
            #expect(status.stdout.contains("#\(row.ordinal) \(row.id) note: \(note)\n"), "\(status)")
            #expect(
                status.stdout.contains(
                    "warning: trials from 2 CPU kinds: \(here): \(trials.count - 1) trials, Fabricated CPU (test) "
                        + "(AVX2 kernels) → \(here): 1 trial — "), "\(status)")
            let byKind = try workspace.run(["report", "--rows", "cpu", "--format", "csv"])
            #expect(byKind.stdout.contains("Fabricated CPU (test) (AVX2 kernels) → \(here)"), "\(byKind)")
        }
    }
}
