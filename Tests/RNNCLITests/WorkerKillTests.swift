import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// A worker killed with SIGKILL in the middle of a trial: that trial fails, the sweep goes on, and
    /// `run --retries 1` runs just that trial again.
    @Suite struct WorkerKillTests {
        let sweep = TinySweep(name: "kill-worker", epochs: 8)

        @Test func killedWorkerFailsOnlyItsTrialAndRetryCompletesIt() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("sweep.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "2"])
            let database = workspace.sweepDatabase(sweep.name)

            guard let (victim, pid) = database.trialMidway(epochs: sweep.epochs, remaining: 3, workerOf: coordinator)
            else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            #expect(kill(pid, SIGKILL) == 0)
            let result = coordinator.wait()
            #expect(result.status == 1 && !result.signaled, "\(result)")
            #expect(result.stdout.contains("summary: 3 completed, 1 failed"), "\(result)")

            let trials = try #require(database.trials())
            for trial in trials where trial.id != victim.id {
                #expect(trial.status == .completed, "\(trial.id): \(trial.error ?? "")")
            }
            let failed = try #require(trials.first { $0.id == victim.id })
            #expect(failed.status == .failed)
            #expect(failed.signal == 9)
            #expect(failed.exitStatus == nil)
            #expect(failed.error?.contains("signal 9") == true, "\(failed.error ?? "no error text")")
            #expect(failed.testAccuracy == nil)

            // Only the failed trial runs again; the completed ones are untouched.
            let retry = try workspace.run(["run", file, "--workers", "2", "--retries", "1"])
            #expect(retry.status == 0, "\(retry)")
            #expect(retry.stdout.contains("3 already completed, 1 to run"), "\(retry)")
            let after = try #require(database.trials())
            for (before, now) in zip(trials, after) where before.id != victim.id {
                #expect(now == before, "\(now.id) changed")
            }
            let retried = try #require(after.first { $0.id == victim.id })
            #expect(retried.status == .completed)
            #expect(retried.attempts == 2)
            #expect(retried.signal == nil && retried.error == nil)
            let epochs = try #require(database.epochs())
            #expect(epochs[victim.id]?.map(\.epoch) == Array(1...sweep.epochs))
        }
    }
}
