import Foundation
import GRDB
import RNNSweep
import RNNTraining
import Testing

extension EndToEnd {
    /// `run --budget`: what the cost model says cannot finish does not start and stays pending; trials running at
    /// the deadline are stopped and left interrupted; a later run without the deadline finishes the sweep exactly as
    /// an undisturbed one. No timing thresholds: which trials fit comes from a history written into the database
    /// (an epoch of one shape "took" 1000 s), and the trial the deadline interrupts is long by construction.
    @Suite struct DeadlineEndToEndTests {
        /// A history sweep of the same shapes, one epoch each, whose recorded epoch seconds are then set by `edit`.
        static func history(_ workspace: SweepWorkspace, cells: [String], edit: String) throws {
            var history = TinySweep(name: "history", epochs: 1, cells: cells, units: [16])
            history.samples = 300
            let run = try workspace.run(["run", try workspace.write("h.yaml", history.yaml), "--workers", "2"])
            try #require(run.status == 0, "\(run)")
            try DatabaseQueue(path: workspace.database.path).write { db in try db.execute(sql: edit) }
        }

        @Test func aBudgetStartsOnlyWhatFitsAndALaterRunFinishesTheSweepExactly() throws {
            var sweep = TinySweep(name: "deadline", epochs: 3, cells: ["simple_rnn", "gru", "lstm"], units: [16])
            sweep.samples = 300
            let workspace = try SweepWorkspace()
            // A GRU epoch "takes" 1000 s in the history: 3 of them cannot fit in 10 minutes; the others take their
            // real (short) time.
            try Self.history(
                workspace, cells: sweep.cells,
                edit: """
                    UPDATE epochs SET seconds = 1000 WHERE trial_id IN
                        (SELECT id FROM trials WHERE params LIKE '%"cell":"gru"%')
                    """)
            let file = try workspace.write("s.yaml", sweep.yaml)
            let planned = try workspace.run(["plan", file, "--budget", "10m", "--workers", "2"])
            #expect(planned.status == 0, "\(planned)")
            #expect(planned.stdout.contains("2 of 3 trial(s) fit on 2 worker(s), 1 do not"), "\(planned)")

            let limited = try workspace.run(["run", file, "--workers", "2", "--budget", "10m"])
            #expect(limited.status == 0, "\(limited)")
            #expect(
                limited.stdout.contains(
                    "deadline budget 10 min: 2 trial(s) done, 0 interrupted, 1 not started (1 would not fit)"),
                "\(limited)")
            // The Markdown report of what was done, as --report writes it.
            #expect(limited.stdout.contains("Sweep deadline — dataset sum-sign"), "\(limited)")
            #expect(limited.stdout.contains("not started: it would take"), "\(limited)")
            let database = workspace.sweepDatabase(sweep.name)
            let statuses = try #require(database.trials()).map(\.status)
            #expect(statuses == [.completed, .pending, .completed])

            let finished = try workspace.run(["run", file, "--workers", "2"])
            #expect(finished.status == 0, "\(finished)")
            let reference = try SweepWorkspace()
            let fresh = try reference.run(["run", try reference.write("s.yaml", sweep.yaml), "--workers", "2"])
            try #require(fresh.status == 0, "\(fresh)")
            try expectSameResults(database, as: reference.sweepDatabase(sweep.name))
        }

        @Test func aDeadlineDuringATrialLeavesItInterruptedAndResumable() throws {
            // 10,000 epochs of 3,000 sequences of 100 steps: longer than the budget on any machine. The history says
            // an epoch takes a microsecond and a trial's overhead 10 ms, so the model lets it start.
            var sweep = TinySweep(name: "long", epochs: 10_000, cells: ["simple_rnn"], units: [16])
            sweep.sequenceLength = 100
            let workspace = try SweepWorkspace()
            var history = TinySweep(name: "history", epochs: 1, cells: ["simple_rnn"], units: [16])
            history.sequenceLength = 100
            let run = try workspace.run(["run", try workspace.write("h.yaml", history.yaml)])
            try #require(run.status == 0, "\(run)")
            try DatabaseQueue(path: workspace.database.path).write { db in
                try db.execute(sql: "UPDATE epochs SET seconds = 0.000001")
                try db.execute(
                    sql: "UPDATE trials SET finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', started_at, '+0.011 seconds')")
            }
            let file = try workspace.write("s.yaml", sweep.yaml)
            let limited = try workspace.run(["run", file, "--budget", "10s"])
            #expect(limited.status == 0, "\(limited)")
            #expect(limited.stdout.contains("deadline budget 10 s reached: stopping 1 running trial(s)"), "\(limited)")
            #expect(
                limited.stdout.contains("deadline budget 10 s: 0 trial(s) done, 1 interrupted, 0 not started"),
                "\(limited)")
            let trial = try #require(workspace.sweepDatabase(sweep.name).trials()?.first)
            #expect(trial.status == .interrupted)
            #expect(trial.signal == Int(SIGTERM), "stopped as a user's Ctrl-C stops it")
            // The run's own epochs are history now: at their real speed the trial no longer fits in 10 s.
            let refused = try workspace.run(["run", file, "--budget", "10s"])
            #expect(
                refused.stdout.contains("deadline budget 10 s: 0 trial(s) done, 0 interrupted, 1 not started"),
                "\(refused)")
            // Resumable: with a history that lets it start, the next run takes it up again from its checkpoint
            // (and its budget stops it again).
            try DatabaseQueue(path: workspace.database.path).write { db in
                try db.execute(sql: "UPDATE epochs SET seconds = 0.000001")
            }
            let again = try workspace.run(["run", file, "--budget", "10s"])
            #expect(again.status == 0, "\(again)")
            if (trial.lastEpoch ?? 0) > 0 {
                #expect(again.stdout.contains("resuming from the checkpoint after epoch"), "\(again)")
            }
            #expect(try #require(workspace.sweepDatabase(sweep.name).trials()?.first).status == .interrupted)
        }
    }
}
