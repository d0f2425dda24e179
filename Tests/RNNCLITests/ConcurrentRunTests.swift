import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// Two coordinators for one sweep and database: the second refuses to start, the first is unaffected.
    @Suite struct ConcurrentRunTests {
        let sweep = TinySweep(name: "twice", epochs: 6)

        @Test func secondRunOfARunningSweepIsRefused() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", sweep.yaml)
            let first = try workspace.start(["run", file, "--workers", "2"])
            let database = workspace.sweepDatabase(sweep.name)
            // The coordinator takes its lock before it creates the database, so a running trial means it holds it.
            let started = waitFor("the first run to start a trial") {
                database.trials()?.first { $0.status == .running }
            }

            let second = try workspace.run(["run", file, "--workers", "2"])
            #expect(second.status != 0, "\(second)")
            #expect(second.stderr.contains("already running"), "\(second)")
            #expect(second.stderr.contains("coordinator pid \(first.pid)"), "\(second)")
            #expect(second.stdout.isEmpty, "\(second)")

            let result = first.wait()
            #expect(started != nil)
            #expect(result.status == 0, "\(result)")
            let trials = try #require(database.trials())
            #expect(trials.count == sweep.trialCount)
            for trial in trials {
                #expect(trial.status == .completed, "\(trial.id)")
                #expect(trial.attempts == 1, "\(trial.id) was started by the second run")
            }
        }
    }
}
