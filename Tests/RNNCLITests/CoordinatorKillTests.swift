import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// A coordinator killed with SIGKILL (no chance to clean up): its workers notice and exit, and the next run
    /// turns the stale `running` rows into resumed trials.
    @Suite struct CoordinatorKillTests {
        let sweep = TinySweep(name: "kill-coordinator", epochs: 8, cells: ["simple_rnn", "gru", "lstm"], units: [16])

        @Test func workersOfAKilledCoordinatorExitAndTheSweepResumes() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "2"])
            let database = workspace.sweepDatabase(sweep.name)

            // Both workers alive and children of the coordinator, one of them past its first epoch.
            let workers = waitFor("a trial in the middle of training and the coordinator's live workers") {
                () -> [TrialRow]? in
                guard database.trialMidway(epochs: sweep.epochs, remaining: 4) != nil,
                    let running = database.trials()?.filter({ $0.status == .running }), running.count == 2,
                    running.allSatisfy({ trial in
                        trial.workerPID.map { ProcessProbe.parent(of: Int32($0)) == coordinator.pid } ?? false
                    })
                else { return nil }
                return running
            }
            coordinator.send(SIGKILL)
            let result = coordinator.wait()
            #expect(result.signaled && result.status == SIGKILL, "\(result)")
            guard let workers else { return }

            // Orphaned workers exit by themselves. Whoever inherits them may not reap them at once, so a zombie
            // counts as exited.
            for pid in workers.compactMap(\.workerPID).map(Int32.init) {
                #expect(waitFor("orphaned worker \(pid) to exit") { ProcessProbe.isDead(pid) ? true : nil } == true)
            }
            // Trials with epochs still to go when the coordinator died stay `running`: nobody is left to update them.
            let unfinished = workers.filter { ($0.lastEpoch ?? 0) <= sweep.epochs - 3 }
            #expect(!unfinished.isEmpty)
            let stale = try #require(database.trials())
            for trial in unfinished {
                #expect(stale.first { $0.id == trial.id }?.status == .running, "\(trial.id)")
            }

            let resumed = try workspace.run(["run", file, "--workers", "2"])
            #expect(resumed.status == 0, "\(resumed)")
            let trials = try #require(database.trials())
            let epochs = try #require(database.epochs())
            for trial in trials {
                #expect(trial.status == .completed, "\(trial.id): \(trial.error ?? "")")
                #expect(epochs[trial.id]?.map(\.epoch) == Array(1...sweep.epochs), "\(trial.id)")
            }
            for trial in unfinished {
                #expect(trials.first { $0.id == trial.id }?.attempts == 2, "\(trial.id) started twice")
            }
        }
    }
}
