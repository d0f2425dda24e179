import Foundation
import GRDB
import RNNSweep
import RNNTraining
import Testing

extension EndToEnd {
    /// The Slurm executor against a real one-node cluster on loopback: submission, following, cancellation,
    /// requeue, detach and re-attach, a killed coordinator. Every run is compared with the local executor's.
    @Suite(.enabled(if: SlurmCluster.enabled, SlurmCluster.skipComment), SlurmCluster())
    struct SlurmExecutorTests {
        /// Four trials of several epochs (a tenth of a second to a few seconds each, by machine) to act on one
        /// mid-training: the tests that do stop its worker first (`stoppedMidTraining`).
        static let sweep = TinySweep(
            name: "slurm", sequenceLength: 30, samples: 12000, epochs: 8, batchSize: 32, cells: ["simple_rnn", "gru"],
            units: [16, 32])
        /// One trial per array task (`SlurmTrialsPerTaskTests` runs several).
        static let slurm = [
            "--executor", "slurm", "--max-parallel", "2", "--poll-interval", "0.5", "--trials-per-task", "1",
        ]
        /// One array task running the four trials one after another.
        static let oneTask = [
            "--executor", "slurm", "--max-parallel", "1", "--poll-interval", "0.5", "--trials-per-task", "4",
        ]

        /// The same sweep on the local executor, once: the numbers every Slurm run must reproduce bit for bit.
        static let reference: (trials: [TrialRow], epochs: [String: [EpochMetrics]]) = {
            let workspace = try! SweepWorkspace()
            let result = try! workspace.run(["run", try! workspace.write("s.yaml", sweep.yaml), "--workers", "2"])
            precondition(result.status == 0, "\(result)")
            let database = workspace.sweepDatabase(sweep.name)
            return (database.trials()!, database.epochs()!)
        }()

        func expectReferenceMetrics(_ database: SweepDatabase, sourceLocation: SourceLocation = #_sourceLocation) {
            guard let trials = database.trials(), let epochs = database.epochs() else {
                Issue.record("no trials", sourceLocation: sourceLocation)
                return
            }
            #expect(trials.map(\.id) == Self.reference.trials.map(\.id), sourceLocation: sourceLocation)
            for (trial, reference) in zip(trials, Self.reference.trials) {
                #expect(trial.status == .completed, "\(trial.id): \(trial.error ?? "")", sourceLocation: sourceLocation)
                #expect(
                    trial.testAccuracy?.bitPattern == reference.testAccuracy?.bitPattern
                        && trial.testLoss?.bitPattern == reference.testLoss?.bitPattern, "\(trial.id)",
                    sourceLocation: sourceLocation)
            }
            #expect(
                MetricCurve.of(epochs) == MetricCurve.of(Self.reference.epochs), sourceLocation: sourceLocation)
        }

        /// Every line of every events file the sweep's submissions wrote.
        func eventLines(_ database: SweepDatabase) -> [String] {
            (database.slurmTasks() ?? []).flatMap { task -> [Substring] in
                let path = URL(fileURLWithPath: task.folder).appendingPathComponent("task-\(task.arrayIndex).events")
                return ((try? String(contentsOf: path, encoding: .utf8)) ?? "").split(separator: "\n")
            }.map(String.init)
        }

        func count(_ event: String, in lines: [String]) -> Int {
            lines.filter { $0.contains("\"event\":\"\(event)\"") }.count
        }

        /// A trial running on Slurm with at least `epochs` epochs recorded and at least 3 to go, and its task (one
        /// that `accept`s).
        func runningTrial(
            _ database: SweepDatabase, after epochs: Int, where accept: (SlurmTaskRow) -> Bool = { _ in true }
        ) -> (TrialRow, SlurmTaskRow)? {
            guard let trials = database.trials(), let tasks = database.slurmTasks() else { return nil }
            for trial in trials where trial.status == .running {
                let epoch = trial.lastEpoch ?? 0
                guard epoch >= epochs, epoch <= Self.sweep.epochs - 3,
                    let task = tasks.last(where: { $0.trialID == trial.id && $0.endedAt == nil }), accept(task)
                else { continue }
                return (trial, task)
            }
            return nil
        }

        /// `runningTrial`, its worker stopped (SIGSTOP) with at least two epochs left in its events file, so that the
        /// moment between Slurm's SIGCONT and SIGTERM cannot finish it. The database lags the worker by up to a poll of
        /// the events file, and an epoch of this sweep can take a tenth of a second: a task picked from the database
        /// alone may have finished training before Slurm acts on it. Slurm still requeues or cancels a stopped task
        /// like a running one (SIGCONT and SIGTERM, SIGKILL after KillWait).
        func stoppedMidTraining(
            _ database: SweepDatabase, after epochs: Int, where accept: (SlurmTaskRow) -> Bool = { _ in true }
        ) -> (TrialRow, SlurmTaskRow)? {
            guard let (trial, task) = runningTrial(database, after: epochs, where: accept), let pid = workerPID(task),
                kill(pid, SIGSTOP) == 0
            else { return nil }
            _ = waitFor("the worker to stop") { ProcessProbe.isStopped(pid) || ProcessProbe.isDead(pid) ? true : nil }
            let events = URL(fileURLWithPath: task.folder).appendingPathComponent("task-\(task.arrayIndex).events")
            let done = ((try? String(contentsOf: events, encoding: .utf8)) ?? "").split(separator: "\n").filter {
                $0.contains("\"event\":\"epoch\"")
            }.count
            if ProcessProbe.isStopped(pid) && done <= Self.sweep.epochs - 2 { return (trial, task) }
            kill(pid, SIGCONT)
            return nil
        }

        /// The worker process of a task (the cluster's one node is this machine), found by its request file.
        func workerPID(_ task: SlurmTaskRow) -> Int32? {
            let request = URL(fileURLWithPath: task.folder).appendingPathComponent("task-\(task.arrayIndex).json").path
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry),
                    let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
                else { continue }
                let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                if arguments.contains("worker") && arguments.contains(request) { return pid }
            }
            return nil
        }

        /// Requeues the task of `task` and waits until the trial's events file shows it running again (restart 1). A
        /// requeued job waits about two minutes before it is eligible again; once it is pending, it is let start.
        func requeueAndWaitForItsRestart(_ task: SlurmTaskRow) throws -> Bool? {
            try SlurmCluster.shell(["scontrol", "requeue", task.slurmID])
            return waitFor("the requeued task to run again") { () -> Bool? in
                let state = try? SlurmCluster.shell(["squeue", "-h", "-r", "-j", task.jobID, "-o", "%i %T"])
                let line = state?.stdout.split(separator: "\n").first { $0.hasPrefix(task.slurmID + " ") } ?? ""
                if line.hasSuffix(" PENDING") {
                    _ = try? SlurmCluster.shell(["scontrol", "update", "JobId=\(task.slurmID)", "StartTime=now"])
                }
                let events = (try? String(contentsOf: task.eventsFile, encoding: .utf8)) ?? ""
                return events.contains("\"event\":\"launched\",\"restart\":1") ? true : nil
            }
        }

        @Test func aSweepOfArrayTasksReproducesTheLocalExecutorBitForBit() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", Self.sweep.yaml)
            let result = try workspace.run(["run", file] + Self.slurm)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("summary: 4 completed, 0 failed"), "\(result)")
            let database = workspace.sweepDatabase(Self.sweep.name)
            expectReferenceMetrics(database)
            let tasks = try #require(database.slurmTasks())
            #expect(tasks.count == 4 && Set(tasks.map(\.jobID)).count == 1, "one array job of four tasks")
            #expect(tasks.allSatisfy { $0.endedAt != nil })
            #expect(try #require(database.trials()).allSatisfy { $0.attempts == 1 })
            // Provenance comes from the node, through the events file, like every other event.
            #expect(
                try #require(database.trials()).allSatisfy {
                    $0.provenance?.host == ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init)
                        || $0.provenance?.host == ProcessInfo.processInfo.hostName
                }, "\(database.trials()?.map { $0.provenance?.host ?? "nil" } ?? [])")
            let lines = eventLines(database)
            #expect(count("launched", in: lines) == 4 && count("started", in: lines) == 4)
            #expect(count("exited", in: lines) == 4)
        }

        @Test func scancelFailsOnlyThatTrialAndARetryResumesItFromItsCheckpoint() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", Self.sweep.yaml)
            let coordinator = try workspace.start(["run", file] + Self.slurm)
            let database = workspace.sweepDatabase(Self.sweep.name)
            let target = waitFor("a trial in the middle of training on Slurm") {
                stoppedMidTraining(database, after: 2)
            }
            guard let (trial, task) = target else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            try SlurmCluster.shell(["scancel", task.slurmID])
            let result = coordinator.wait()
            #expect(result.status == 1, "a failed trial makes the run fail: \(result)")
            #expect(result.stdout.contains("summary: 3 completed, 1 failed"), "\(result)")
            let cancelled = try #require(database.trials()?.first { $0.id == trial.id })
            #expect(cancelled.status == .failed)
            #expect(
                cancelled.error?.contains("Slurm") == true,
                "\(cancelled.error ?? "") \(cancelled.stderrTail ?? "") \(eventLines(database).filter { !$0.contains("progress") }.suffix(3))"
            )
            #expect(database.trials()?.filter { $0.status == .completed }.count == 3)

            let retried = try workspace.run(["run", file, "--retries", "1"] + Self.slurm)
            #expect(retried.status == 0, "\(retried)")
            #expect(retried.stdout.contains("resuming from the checkpoint after epoch"), "\(retried)")
            let resumed = eventLines(database).filter { $0.contains("\"event\":\"started\"") }.last ?? ""
            #expect(!resumed.contains("\"resumed_from_epoch\":0"), "\(resumed)")
            expectReferenceMetrics(database)
        }

        @Test func detachThenReattachTrainsEveryTrialOnce() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", Self.sweep.yaml)
            let detached = try workspace.run(["run", file, "--detach"] + Self.slurm)
            #expect(detached.status == 0, "\(detached)")
            #expect(detached.stdout.contains("detached: 4 trial(s) queued or running on Slurm"), "\(detached)")
            let status = try workspace.run(["status", Self.sweep.name])
            #expect(status.stdout.contains("coordinator: none (detached)"), "\(status)")
            #expect(status.stdout.contains("job "), "\(status)")

            let attached = try workspace.run(["sync", Self.sweep.name, "--poll-interval", "0.5"])
            #expect(attached.status == 0, "\(attached)")
            let database = workspace.sweepDatabase(Self.sweep.name)
            expectReferenceMetrics(database)
            #expect(database.slurmTasks()?.count == 4, "nothing was submitted twice")
            #expect(count("started", in: eventLines(database)) == 4, "each trial trained once")
            #expect(try #require(database.trials()).allSatisfy { $0.attempts == 1 })
        }

        @Test func aCoordinatorKilledMidwayIsReplacedWithoutDuplicatesOrLosses() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", Self.sweep.yaml)
            let coordinator = try workspace.start(["run", file] + Self.slurm)
            let database = workspace.sweepDatabase(Self.sweep.name)
            _ = waitFor("a trial in the middle of training on Slurm") { runningTrial(database, after: 1) }
            coordinator.send(SIGKILL)
            _ = coordinator.wait()

            let again = try workspace.run(["run", file] + Self.slurm)
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.contains("already in flight: following them"), "\(again)")
            expectReferenceMetrics(database)
            #expect(database.slurmTasks()?.count == 4, "no task was submitted twice")
            #expect(count("started", in: eventLines(database)) == 4)
            let integrity = try DatabaseQueue(path: workspace.database.path).read { db in
                try String.fetchOne(db, sql: "PRAGMA integrity_check")
            }
            #expect(integrity == "ok")
        }

        @Test func aRequeuedTaskResumesFromItsCheckpoint() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", Self.sweep.yaml)
            let coordinator = try workspace.start(["run", file] + Self.slurm)
            let database = workspace.sweepDatabase(Self.sweep.name)
            let target = waitFor("a trial in the middle of training on Slurm") {
                stoppedMidTraining(database, after: 2)
            }
            guard let (trial, task) = target else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            let restarted = try requeueAndWaitForItsRestart(task)
            #expect(restarted == true)
            let result = coordinator.wait()
            #expect(result.status == 0, "\(result)")
            let lines = eventLines(database).filter {
                $0.contains("\"event\":\"launched\"") && $0.contains("\"job\":\"\(task.slurmID)\"")
            }
            #expect(lines.count == 2, "launched twice: \(lines)")
            let events =
                (try? String(
                    contentsOf: URL(fileURLWithPath: task.folder).appendingPathComponent(
                        "task-\(task.arrayIndex).events"),
                    encoding: .utf8)) ?? ""
            let starts = events.split(separator: "\n").filter { $0.contains("\"event\":\"started\"") }
            #expect(starts.count == 2 && !starts[1].contains("\"resumed_from_epoch\":0"), "\(starts)")
            let requeued = try #require(database.trials()?.first { $0.id == trial.id })
            #expect(requeued.attempts == 2, "the requeue counts as an attempt")
            expectReferenceMetrics(database)
        }
    }
}
