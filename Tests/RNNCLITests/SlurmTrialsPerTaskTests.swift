import Foundation
import RNNSweep
import Testing

/// Array tasks that run several trials one after another (`--trials-per-task`), on the real loopback cluster: the
/// same numbers as the local executor, a crash or a stop that touches only its own trial, a requeue that runs again
/// only what had not ended.
extension EndToEnd.SlurmExecutorTests {
    /// The events file of a trial's place in its submission, as lines.
    func lines(of task: SlurmTaskRow) -> [String] {
        ((try? String(contentsOf: task.eventsFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// A sweep started in one array task of four trials, whose second or third trial (at least one ended before
    /// it, one to come) is stopped (SIGSTOP) in the middle of training, after at least `epochs` epochs: the
    /// workspace, file, coordinator, trial, its place and its worker. Nil, with the coordinator killed and an issue
    /// recorded, when no such moment came.
    func oneTaskSweepWithAMiddleTrialStopped(after epochs: Int = 1) throws -> (
        workspace: SweepWorkspace, file: String, coordinator: CommandProcess, trial: TrialRow, task: SlurmTaskRow,
        pid: Int32
    )? {
        let workspace = try SweepWorkspace()
        let file = try workspace.write("s.yaml", Self.sweep.yaml)
        let coordinator = try workspace.start(["run", file] + Self.oneTask)
        let database = workspace.sweepDatabase(Self.sweep.name)
        let target = waitFor("a middle trial of the task in the middle of training") {
            stoppedMidTraining(database, after: epochs, where: { (1...2).contains($0.arrayIndex) })
        }
        guard let (trial, task) = target, let pid = workerPID(task) else {
            coordinator.send(SIGKILL)
            _ = coordinator.wait()
            Issue.record("no middle trial of the task was caught mid-training")
            return nil
        }
        return (workspace, file, coordinator, trial, task, pid)
    }

    @Test func trialsRunTwoPerArrayTaskAndReproduceTheLocalExecutorBitForBit() throws {
        let workspace = try SweepWorkspace()
        let file = try workspace.write("s.yaml", Self.sweep.yaml)
        let result = try workspace.run(
            [
                "run", file, "--executor", "slurm", "--max-parallel", "2", "--poll-interval", "0.5",
                "--trials-per-task", "2",
            ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("summary: 4 completed, 0 failed"), "\(result)")
        let database = workspace.sweepDatabase(Self.sweep.name)
        expectReferenceMetrics(database)
        let tasks = try #require(database.slurmTasks()).sorted { $0.arrayIndex < $1.arrayIndex }
        #expect(tasks.count == 4 && Set(tasks.map(\.slurmID)).count == 2, "\(tasks.map(\.slurmID))")
        // Interleaved: the submission's trials 0 and 2 in task 0, 1 and 3 in task 1.
        #expect(tasks.map(\.arrayTask) == [0, 1, 0, 1])
        #expect(tasks.allSatisfy { $0.shared && $0.endedAt != nil })
        #expect(try #require(database.trials()).allSatisfy { $0.attempts == 1 })
        let lines = eventLines(database)
        #expect(count("launched", in: lines) == 4 && count("started", in: lines) == 4)
        #expect(count("exited", in: lines) == 4 && count("skipped", in: lines) == 0)
    }

    @Test func aWorkerKilledInAPackedTaskFailsOnlyItsTrialAndTheTaskRunsTheRest() throws {
        guard let (workspace, file, coordinator, trial, _, pid) = try oneTaskSweepWithAMiddleTrialStopped() else {
            return
        }
        let database = workspace.sweepDatabase(Self.sweep.name)
        kill(pid, SIGKILL)
        let result = coordinator.wait()
        #expect(result.status == 1, "a failed trial makes the run fail: \(result)")
        #expect(result.stdout.contains("summary: 3 completed, 1 failed"), "\(result)")
        let killed = try #require(database.trials()?.first { $0.id == trial.id })
        #expect(killed.status == .failed && killed.error?.contains("signal 9") == true, "\(killed.error ?? "")")
        let tasks = try #require(database.slurmTasks())
        #expect(Set(tasks.map(\.slurmID)).count == 1, "one task ran all four")
        #expect(count("started", in: eventLines(database)) == 4, "the task went on after the crash")

        let retried = try workspace.run(["run", file, "--retries", "1"] + Self.oneTask)
        #expect(retried.status == 0, "\(retried)")
        #expect(retried.stdout.contains("resuming from the checkpoint after epoch"), "\(retried)")
        expectReferenceMetrics(database)
    }

    @Test func aStoppedCoordinatorStopsItsTrialInAPackedTaskAndTheTaskStartsNoOther() throws {
        guard let (workspace, file, coordinator, trial, task, pid) = try oneTaskSweepWithAMiddleTrialStopped() else {
            return
        }
        let database = workspace.sweepDatabase(Self.sweep.name)
        coordinator.send(SIGINT)
        // The batch script passes the coordinator's request on as SIGTERM, pending while the worker is stopped, and
        // the worker stops as asked, with its checkpoint, once it continues. (When the coordinator's last stop of
        // the task's trials comes first, it cancels the whole task: Slurm continues and ends the worker itself.)
        let asked = waitFor("the worker to be asked to stop") {
            ProcessProbe.hasPending(pid, SIGTERM) || ProcessProbe.isDead(pid) ? true : nil
        }
        #expect(asked == true)
        kill(pid, SIGCONT)
        _ = coordinator.wait()
        let trials = try #require(database.trials())
        #expect(
            !trials.contains { $0.status == .failed }, "\(trials.map { "\($0.id) \($0.status) \($0.error ?? "")" })")
        #expect(trials.first { $0.id == trial.id }?.status == .interrupted)
        let first = try #require(database.slurmTasks()).filter { $0.folder == task.folder }.sorted {
            $0.arrayIndex < $1.arrayIndex
        }
        let notStarted = first.filter { $0.arrayIndex > task.arrayIndex }
        #expect(!notStarted.isEmpty)
        for later in notStarted {
            #expect(!lines(of: later).contains { $0.contains("\"event\":\"started\"") }, "\(lines(of: later))")
        }

        let again = try workspace.run(["run", file] + Self.oneTask)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("resuming from the checkpoint after epoch"), "\(again)")
        expectReferenceMetrics(database)
        #expect(database.trials()?.first { $0.id == first[0].trialID }?.attempts == 1, "the first trial ran once")
    }

    @Test func aRequeuedPackedTaskRunsAgainOnlyTheTrialsThatHadNotEnded() throws {
        guard let (workspace, _, coordinator, trial, task, _) = try oneTaskSweepWithAMiddleTrialStopped(after: 2)
        else {
            return
        }
        let database = workspace.sweepDatabase(Self.sweep.name)
        let restarted = try requeueAndWaitForItsRestart(task)
        #expect(restarted == true)
        let result = coordinator.wait()
        #expect(result.status == 0, "\(result)")
        expectReferenceMetrics(database)
        let places = try #require(database.slurmTasks()).sorted { $0.arrayIndex < $1.arrayIndex }
        let launches = places.map { place in lines(of: place).filter { $0.contains("\"event\":\"launched\"") }.count }
        let expected = (0..<4).map { $0 == task.arrayIndex ? 2 : 1 }
        #expect(launches == expected, "the ended trials are not run again; the stopped one resumes")
        let starts = lines(of: task).filter { $0.contains("\"event\":\"started\"") }
        #expect(starts.count == 2 && !starts[1].contains("\"resumed_from_epoch\":0"), "\(starts)")
        #expect(database.trials()?.first { $0.id == trial.id }?.attempts == 2, "the requeue counts as an attempt")
    }

    @Test func theTimeLimitsWarningStopsTheTrialAndTheTaskSkipsTheRestWhichAreSubmittedAgain() throws {
        guard let (workspace, _, coordinator, trial, task, pid) = try oneTaskSweepWithAMiddleTrialStopped() else {
            return
        }
        let database = workspace.sweepDatabase(Self.sweep.name)
        // What `--signal=B:USR1@N` sends before the time limit: SIGUSR1 to the batch script alone.
        try SlurmCluster.shell(["scancel", "--batch", "--signal=USR1", task.slurmID])
        let asked = waitFor("the batch script to stop the worker") {
            ProcessProbe.hasPending(pid, SIGTERM) || ProcessProbe.isDead(pid) ? true : nil
        }
        #expect(asked == true)
        kill(pid, SIGCONT)
        let result = coordinator.wait()
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("summary: 4 completed, 0 failed"), "\(result)")
        expectReferenceMetrics(database)
        let first = try #require(database.slurmTasks()).filter { $0.folder == task.folder }
        let skipped = first.filter { place in lines(of: place).contains { $0.contains("\"event\":\"skipped\"") } }
        #expect(skipped.map(\.arrayIndex) == first.map(\.arrayIndex).filter { $0 > task.arrayIndex }.sorted())
        #expect(
            lines(of: task).contains { $0.contains("\"event\":\"exited\"") && $0.contains("\"time_limit\":true") })
        let stopped = try #require(database.trials()?.first { $0.id == trial.id })
        #expect(stopped.attempts == 2, "resubmitted once to resume")
        let resumed = eventLines(database).filter {
            $0.contains("\"event\":\"started\"") && !$0.contains("\"resumed_from_epoch\":0")
        }
        #expect(!resumed.isEmpty, "the stopped trial resumed from its checkpoint")
    }
}
