import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// A worker stopped (SIGSTOP) in the middle of a trial, then sent SIGCONT and SIGTERM, as Slurm cancels or
    /// requeues a task: it ends of SIGTERM, having written its last checkpoint. It once hung instead, about one time
    /// in five: its stop handler sent SIGTERM to the whole process, libdispatch's still armed signal source took it
    /// and ran the handler again, which waited forever for the first (a worker then died only of Slurm's SIGKILL,
    /// and a requeued trial counted as failed). Several rounds, since the race was one of timing.
    @Suite struct WorkerStopTests {
        let sweep = TinySweep(name: "stop-worker", epochs: 400, cells: ["gru"], units: [32])

        @Test(arguments: 1...6) func aStoppedThenTerminatedWorkerEndsOfSIGTERM(round: Int) throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("sweep.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "1"])
            let database = workspace.sweepDatabase(sweep.name)
            guard
                let (_, pid) = database.trialMidway(
                    epochs: sweep.epochs, remaining: 10, done: 2, workerOf: coordinator)
            else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            #expect(kill(pid, SIGSTOP) == 0)
            _ = waitFor("the worker to stop") { ProcessProbe.isStopped(pid) ? true : nil }
            kill(pid, SIGCONT)
            kill(pid, SIGTERM)
            let result = coordinator.wait()
            #expect(result.status == 1, "\(result)")
            let trial = try #require(database.trials()?.first)
            #expect(trial.status == .failed)
            #expect(trial.signal == Int(SIGTERM), "round \(round): \(trial.error ?? "")")
            #expect(result.stdout.contains("killed by signal 15"), "\(result)")
        }
    }
}
