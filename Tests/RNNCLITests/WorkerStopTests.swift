import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// A worker stopped (SIGSTOP) in the middle of a trial, then sent SIGCONT and SIGTERM, as Slurm cancels or
    /// requeues a task: it ends of SIGTERM, having written its last checkpoint. It failed three ways before: it hung
    /// (its stop handler sent SIGTERM to the whole process, and libdispatch's still armed source ran the handler a
    /// second time, which waited for the first forever); it died of SIGSEGV or SIGABRT (libdispatch's relay handler
    /// ran on the training thread inside a oneDNN JIT kernel and wrote its frame into a heap buffer); or it exited
    /// as orphaned (the stdin reader took the interrupted read for end-of-file). Several rounds: each was a race.
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
