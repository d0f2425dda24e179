import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// A whole sweep in parallel workers, a second run that has nothing left to do, and the read-only views.
    @Suite struct SweepRunTests {
        let sweep = TinySweep(name: "four", sequenceLength: 20, samples: 1000, epochs: 3)

        @Test func sweepWithTwoWorkersCompletesEveryTrialAndRecordsEveryEpoch() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("four.yaml", sweep.yaml)
            let result = try workspace.run(["run", file, "--workers", "2"])
            #expect(result.status == 0 && !result.signaled, "\(result)")
            #expect(result.stdout.contains("summary: 4 completed, 0 failed"), "\(result)")

            let database = workspace.sweepDatabase(sweep.name)
            let trials = try #require(database.trials())
            let epochs = try #require(database.epochs())
            #expect(trials.count == sweep.trialCount)
            for trial in trials {
                #expect(trial.status == .completed, "\(trial.id): \(trial.error ?? "")")
                #expect(trial.attempts == 1)
                #expect(trial.workerPID != nil && trial.finishedAt != nil)
                #expect(trial.lastEpoch == sweep.epochs)
                #expect(trial.testAccuracy.map { (0...1).contains($0) } == true)
                #expect(trial.testLoss?.isFinite == true)
                let records = epochs[trial.id] ?? []
                #expect(records.map(\.epoch) == Array(1...sweep.epochs), "\(trial.id)")
                for record in records {
                    #expect(record.loss.isFinite && (0...1).contains(record.accuracy ?? -1))
                    #expect(record.seconds > 0)
                }
            }
            #expect(epochs.values.map(\.count).reduce(0, +) == sweep.trialCount * sweep.epochs)

            // Running the same file again trains nothing and changes no row.
            let again = try workspace.run(["run", file, "--workers", "2"])
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.contains("4 already completed, 0 to run"), "\(again)")
            #expect(database.trials() == trials)
            #expect(try #require(database.epochs()).isIdentical(to: epochs))
        }

        @Test func statusAndListShowTheSweepAndItsCounts() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("four.yaml", sweep.yaml)
            let result = try workspace.run(["run", file, "--workers", "2"])
            try #require(result.status == 0, "\(result)")

            let status = try workspace.run(["status"])
            #expect(status.status == 0, "\(status)")
            let lines = status.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("sweep four: 4 trials — ") == true, "\(status.stdout)")
            #expect(lines.first?.contains("4 completed") == true && lines.first?.contains("0 failed") == true)
            // The header, one line per trial with its id and status, and where the results come from.
            #expect(lines.count == 1 + 1 + sweep.trialCount + 1, "\(status.stdout)")
            #expect(lines.last?.hasPrefix("machine: CPU ") == true, "\(status.stdout)")
            #expect(lines.last?.contains("kernels); build rnnsweep ") == true, "\(status.stdout)")
            for trial in try #require(workspace.sweepDatabase(sweep.name).trials()) {
                #expect(lines.contains { $0.contains(trial.id) && $0.contains("completed") }, "\(trial.id)")
            }

            let list = try workspace.run(["ls"])
            #expect(list.status == 0, "\(list)")
            let row = list.stdout.split(separator: "\n").first { $0.hasPrefix("four ") }
            let cells = try #require(row, "\(list.stdout)").split(separator: " ").map(String.init)
            // sweep, trials, completed, running, failed, other, updated
            #expect(Array(cells.prefix(6)) == ["four", "4", "4", "0", "0", "0"], "\(list.stdout)")
        }
    }
}
