import Foundation
import GRDB
import RNNSweep
import Testing

extension EndToEnd {
    /// Issue 25, Slurm: a coordinator that always answers while the controller does not (item 10), and events files
    /// truncated or replaced under a running task (item 11). A real loopback cluster, a real `slurmctld` stopped with
    /// SIGSTOP (its calls then hang as on a wedged controller), real `truncate` and `rename`.
    @Suite(.enabled(if: SlurmCluster.enabled, SlurmCluster.skipComment), SlurmCluster())
    struct SlurmTests {
        /// The executor tests' sweep, settings, reference run and probes: the same trials must end bit-identical.
        let executor = SlurmExecutorTests()
        var sweep: TinySweep { SlurmExecutorTests.sweep }

        /// The loopback cluster's slurmctld (its pid file lies beside the `SLURM_CONF` the cluster trait set).
        func controllerPID() -> Int32? {
            guard let conf = ProcessInfo.processInfo.environment["SLURM_CONF"] else { return nil }
            let file = URL(fileURLWithPath: conf).deletingLastPathComponent().appendingPathComponent("slurmctld.pid")
            return (try? String(contentsOf: file, encoding: .utf8)).flatMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }

        /// Item 10: an attached `sync` while slurmctld hangs. The coordinator says since when the controller is
        /// silent, SIGTERM ends it within a bounded wait (no scancel can reach a silent controller: the tasks stay
        /// in flight, recorded), the database is consistent, `status` says so, and a later `sync` finishes the sweep
        /// with every trial trained once.
        @Test func aSyncStopsOnSIGTERMWhileTheControllerHangs() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", sweep.yaml)
            let quick = ["--command-timeout", "3"]
            let detached = try workspace.run(["run", file, "--detach"] + SlurmExecutorTests.slurm + quick)
            try #require(detached.status == 0, "\(detached)")
            let database = workspace.sweepDatabase(sweep.name)
            let sync = try workspace.start(["sync", sweep.name, "--log", "--poll-interval", "0.5"] + quick)
            _ = waitFor("the sync to record an epoch") { database.trials()?.first { ($0.lastEpoch ?? 0) >= 1 } }

            let controller = try #require(controllerPID())
            try #require(kill(controller, SIGSTOP) == 0)
            defer { kill(controller, SIGCONT) }
            let folder = try #require(database.slurmTasks()?.first?.folder)
            let record = URL(fileURLWithPath: folder).deletingLastPathComponent().appendingPathComponent(
                "controller.json")
            let noticed = waitFor("the coordinator to record that the controller is not answering") {
                (try? String(contentsOf: record, encoding: .utf8))?.contains("not_answering_since") == true ? true : nil
            }
            try #require(noticed == true)

            sync.send(SIGTERM)
            // Bounded: before, each squeue blocked for about a minute and the coordinator never stopped.
            let stopped = sync.wait(limit: .seconds(120))
            #expect(stopped.status == 130, "\(stopped)")
            #expect(stopped.stdout.contains("the Slurm controller not answering since"), "\(stopped)")
            #expect(stopped.stdout.contains("in flight on Slurm as they are"), "\(stopped)")

            let status = try workspace.run(["status", sweep.name])
            #expect(status.stdout.contains("slurm: controller not answering since"), "\(status)")

            try expectConsistent(workspace)
            try finishOnceTheControllerAnswers(workspace, controller: controller)
        }

        /// Item 10, with the default command timeout (20 s): SIGTERM while the coordinator's `squeue` hangs on the
        /// stopped controller. The signal cuts that call short (the `squeue` is killed, not left behind), and the
        /// coordinator ends within a bounded wait with its trials resumable.
        @Test func aSIGTERMCutsAHangingSqueueShort() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", sweep.yaml)
            let detached = try workspace.run(["run", file, "--detach"] + SlurmExecutorTests.slurm)
            try #require(detached.status == 0, "\(detached)")
            let database = workspace.sweepDatabase(sweep.name)
            let sync = try workspace.start(["sync", sweep.name, "--log", "--poll-interval", "0.5"])
            _ = waitFor("the sync to record an epoch") { database.trials()?.first { ($0.lastEpoch ?? 0) >= 1 } }

            let controller = try #require(controllerPID())
            try #require(kill(controller, SIGSTOP) == 0)
            defer { kill(controller, SIGCONT) }
            let squeue = waitFor("the coordinator to wait on squeue") { child(of: sync.pid, named: "squeue") }
            try #require(squeue != nil)
            sync.send(SIGTERM)
            let stopped = sync.wait(limit: .seconds(120))
            #expect(stopped.status == 130, "\(stopped)")
            #expect(stopped.stdout.contains("received signal 15"), "\(stopped)")
            #expect(ProcessProbe.isDead(squeue!), "the squeue the coordinator waited on was killed")

            try expectConsistent(workspace)
            // The stop's scancel reached the controller only once it went on: a task it cancelled before it started
            // is submitted again, and still no trial trains twice.
            try finishOnceTheControllerAnswers(workspace, controller: controller, resubmissions: true)
        }

        /// Item 10, at submission: a `run` started while the controller hangs cannot submit. It stops within a bounded
        /// wait and says why; no trial is failed for it (before: `sbatch` and `scontrol` hung, and a refusal failed
        /// every trial), and the same run once the controller answers trains them all.
        @Test func aRunStartedWhileTheControllerHangsFailsNoTrial() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", sweep.yaml)
            let controller = try #require(controllerPID())
            try #require(kill(controller, SIGSTOP) == 0)
            defer { kill(controller, SIGCONT) }
            let run = try workspace.start(["run", file, "--command-timeout", "3"] + SlurmExecutorTests.slurm)
            let result = run.wait(limit: .seconds(120))
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.contains("not answering since"), "\(result)")
            let database = workspace.sweepDatabase(sweep.name)
            try expectConsistent(workspace)

            kill(controller, SIGCONT)
            let again = try workspace.run(["run", file] + SlurmExecutorTests.slurm)
            #expect(again.status == 0, "\(again)")
            executor.expectReferenceMetrics(database)
        }

        /// A child process of `parent` running `name`, from /proc.
        func child(of parent: Int32, named name: String) -> Int32? {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry), ProcessProbe.parent(of: pid) == parent,
                    let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                    let first = cmdline.split(separator: 0).first,
                    String(decoding: first, as: UTF8.self).hasSuffix("/" + name)
                else { continue }
                return pid
            }
            return nil
        }

        /// Nothing failed, no hole in any trial's epochs, every unfinished trial still has its task in flight.
        func expectConsistent(_ workspace: SweepWorkspace) throws {
            let database = workspace.sweepDatabase(sweep.name)
            let integrity = try DatabaseQueue(path: workspace.database.path).read { db in
                try String.fetchOne(db, sql: "PRAGMA integrity_check")
            }
            #expect(integrity == "ok")
            let trials = try #require(database.trials())
            let epochs = try #require(database.epochs())
            let open = Set((database.slurmTasks() ?? []).filter { $0.endedAt == nil }.map(\.trialID))
            for trial in trials {
                #expect(trial.status != .failed && trial.status != .diverged, "\(trial.id): \(trial.status)")
                let numbers = (epochs[trial.id] ?? []).map(\.epoch)
                #expect(numbers == Array(stride(from: 1, through: trial.lastEpoch ?? 0, by: 1)), "\(trial.id)")
                if trial.status == .running { #expect(open.contains(trial.id), "\(trial.id) has no task in flight") }
            }
        }

        /// Lets the controller go on and re-attaches: every trial ends as on the local executor, trained once.
        func finishOnceTheControllerAnswers(
            _ workspace: SweepWorkspace, controller: Int32, resubmissions: Bool = false
        ) throws {
            let database = workspace.sweepDatabase(sweep.name)
            kill(controller, SIGCONT)
            let resumed = try workspace.run(["sync", sweep.name, "--poll-interval", "0.5"])
            #expect(resumed.status == 0, "\(resumed)")
            executor.expectReferenceMetrics(database)
            let tasks = database.slurmTasks()?.count ?? 0
            #expect(
                resubmissions ? tasks >= sweep.trialCount : tasks == sweep.trialCount,
                "nothing was submitted twice: \(resumed)")
            #expect(executor.count("started", in: executor.eventLines(database)) == sweep.trialCount)
        }

        /// Item 11: `truncate -s 0` on the events file of a running task. The coordinator reads the file again from
        /// its start and the trial completes with every epoch (before: it read on past the new end and failed the
        /// trial as killed by Slurm, its last epochs missing).
        @Test func aTruncatedEventsFileLosesNoEpoch() throws {
            try trainThrough("truncated") { events in
                let result = try SlurmCluster.shell(["truncate", "-s", "0", events.path])
                #expect(result.status == 0, "\(result)")
            }
        }

        /// Item 11: the events file replaced (a copy renamed over it) under a running task. The worker writes on
        /// into the new file, the coordinator reads it from its start without recording anything twice.
        @Test func aReplacedEventsFileLosesNoEpoch() throws {
            try trainThrough("replaced") { events in
                let copy = events.deletingLastPathComponent().appendingPathComponent("copy.events")
                try Data(contentsOf: events).write(to: copy)
                #expect(rename(copy.path, events.path) == 0)
            }
        }

        /// Runs the sweep; with one trial's worker stopped mid-training and every epoch it wrote recorded, applies
        /// `damage` to its events file and lets it go on. Every trial must end as on the local executor.
        func trainThrough(_ what: String, damage: (URL) throws -> Void) throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file] + SlurmExecutorTests.slurm)
            let database = workspace.sweepDatabase(sweep.name)
            let target = waitFor("a trial in the middle of training on Slurm") {
                executor.stoppedMidTraining(database, after: 2)
            }
            guard let (trial, task) = target, let pid = executor.workerPID(task) else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            let events = URL(fileURLWithPath: task.folder).appendingPathComponent("task-\(task.arrayIndex).events")
            // Once every epoch in the file is recorded, nothing the damage removes is still unread.
            let written = try String(contentsOf: events, encoding: .utf8).split(separator: "\n").filter {
                $0.contains("\"event\":\"epoch\"")
            }.count
            _ = waitFor("the coordinator to record the \(written) epochs written") {
                database.trials()?.first { $0.id == trial.id && $0.lastEpoch == written }
            }
            try damage(events)
            kill(pid, SIGCONT)

            let result = coordinator.wait()
            #expect(result.status == 0, "\(what): \(result)")
            #expect(result.stdout.contains("summary: 4 completed, 0 failed"), "\(what): \(result)")
            executor.expectReferenceMetrics(database)
            let row = try #require(database.trials()?.first { $0.id == trial.id })
            #expect(row.attempts == 1, "\(what): nothing was counted twice")
            #expect(row.error == nil, "\(what): \(row.error ?? "")")
        }
    }
}
