import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// What a bad night does to a sweep: a stalled worker, a closed terminal, a stop that a stopped process ignores,
    /// a re-run after failures. Each must end, and the morning must show the truth.
    @Suite struct BadNightTests {
        let sweep = TinySweep(name: "night", epochs: 8)

        /// A trial in the middle of training whose worker is the coordinator's child.
        func victim(_ database: SweepDatabase, coordinator: CommandProcess) -> TrialRow? {
            waitFor("a running trial with a recorded epoch and its live worker") {
                database.trialMidway(epochs: sweep.epochs, remaining: 3).flatMap { trial -> TrialRow? in
                    guard let pid = trial.workerPID, ProcessProbe.parent(of: Int32(pid)) == coordinator.pid else {
                        return nil
                    }
                    return trial
                }
            }
        }

        @Test func aStoppedWorkerIsKilledAsStalledAndTheSweepGoesOn() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("sweep.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "2", "--stall-timeout", "3"])
            let database = workspace.sweepDatabase(sweep.name)
            guard let stalled = victim(database, coordinator: coordinator), let pid = stalled.workerPID else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            let stoppedAt = ContinuousClock.now
            #expect(kill(Int32(pid), SIGSTOP) == 0)
            let failed = waitFor("the stalled trial to fail") {
                database.trials()?.first { $0.id == stalled.id && $0.status == .failed }
            }
            print("SIGSTOP → failed with --stall-timeout 3: \((ContinuousClock.now - stoppedAt).formatted())")
            let result = coordinator.wait()
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.contains("summary: 3 completed, 1 failed"), "\(result)")
            #expect(failed?.error?.hasPrefix("stalled: no event for") == true, "\(failed?.error ?? "")")
            #expect(failed?.signal == Int(SIGKILL))
            #expect(ProcessProbe.isGone(Int32(pid)))
        }

        @Test func sigintEndsASweepEvenWhenAWorkerIgnoresSIGTERM() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("sweep.yaml", sweep.yaml)
            // No stall timeout: only the stop's escalation can end the stopped worker.
            let coordinator = try workspace.start(["run", file, "--workers", "2", "--stall-timeout", "0"])
            let database = workspace.sweepDatabase(sweep.name)
            guard let stopped = victim(database, coordinator: coordinator), let pid = stopped.workerPID else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            #expect(kill(Int32(pid), SIGSTOP) == 0)
            // A SIGTERM that arrives before the process has stopped would end it first.
            _ = waitFor("the worker to be stopped") { ProcessProbe.isStopped(Int32(pid)) ? true : nil }
            coordinator.send(SIGINT)  // once
            let result = coordinator.wait()
            #expect(result.status == 130, "\(result)")
            #expect(result.stdout.contains("did not stop within"), "the stopped worker was killed: \(result)")
            let trials = try #require(database.trials())
            #expect(!trials.contains { $0.status == .running }, "\(trials.map(\.status))")
            #expect(ProcessProbe.isGone(Int32(pid)))
        }

        @Test func sighupStopsTheSweepLikeSIGTERMAndLeavesNothingRunning() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("sweep.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "2"])
            let database = workspace.sweepDatabase(sweep.name)
            guard victim(database, coordinator: coordinator) != nil else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            coordinator.send(SIGHUP)
            let result = coordinator.wait()
            #expect(result.status == 130 && !result.signaled, "\(result)")
            #expect(result.stdout.contains("received signal 1"), "\(result)")
            let trials = try #require(database.trials())
            #expect(trials.contains { $0.status == .interrupted })
            #expect(!trials.contains { $0.status == .running })
            let status = try workspace.run(["status", sweep.name])
            #expect(!status.stdout.contains("running") || status.stdout.contains("0 running"), "\(status)")
        }

        @Test func aKilledCoordinatorLeavesStaleTrialsThatStatusNamesAsSuch() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("sweep.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "2"])
            let database = workspace.sweepDatabase(sweep.name)
            guard let trial = victim(database, coordinator: coordinator) else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            coordinator.send(SIGKILL)
            _ = coordinator.wait()
            let status = try workspace.run(["status", sweep.name])
            let line = status.stdout.split(separator: "\n").first { $0.contains(trial.id) } ?? ""
            #expect(line.contains("stale"), "\(status.stdout)")
            #expect(status.stdout.contains("run the same `rnnsweep run FILE` again to resume"), "\(status.stdout)")
        }

        @Test func aReRunSaysWhichTrialsItLeftFailedAndExitsNonZero() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("sweep.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "2"])
            let database = workspace.sweepDatabase(sweep.name)
            guard let victim = victim(database, coordinator: coordinator), let pid = victim.workerPID else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            kill(Int32(pid), SIGKILL)
            let first = coordinator.wait()
            #expect(first.status == 1, "\(first)")

            let again = try workspace.run(["run", file, "--workers", "2"])
            #expect(again.status == 1, "a sweep with a failed trial is not a success: \(again)")
            #expect(again.stdout.contains("0 completed, 0 failed"), "\(again)")
            #expect(
                again.stdout.contains("left as they are from earlier runs: 1 failed")
                    && again.stdout.contains("--retries 1"), "\(again)")
        }

        @Test func detachedLocalCoordinatorSurvivesItsTerminalAndFinishes() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("sweep.yaml", sweep.yaml)
            let detached = try workspace.run(["run", file, "--workers", "2", "--detach"])
            #expect(detached.status == 0, "\(detached)")
            #expect(detached.stdout.contains("running in the background as pid"), "\(detached)")
            let status = try workspace.run(["status", sweep.name])
            #expect(status.stdout.contains("coordinator: running (pid"), "\(status)")
            let database = workspace.sweepDatabase(sweep.name)
            let done = waitFor("the background sweep to finish") {
                database.trials().flatMap { $0.allSatisfy { $0.status == .completed } ? true : nil }
            }
            #expect(done == true)
            let log = workspace.directory.appendingPathComponent("r.runs/night/run.log")
            let text = waitFor("the background log's summary") { () -> String? in
                let text = try? String(contentsOf: log, encoding: .utf8)
                return text?.contains("summary: 4 completed") == true ? text : nil
            }
            #expect(text != nil)
        }
    }
}
