import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// Patience composed with successive halving, run as a user would: trials patience stops before a rung count at
    /// it with their last epoch, the rungs are all decided, and the trials, decisions and numbers are the same bit
    /// for bit with 1 worker, with 2, and stopped with SIGINT and resumed.
    @Suite struct PatienceEndToEndTests {
        static let yaml = """
            name: patience
            dataset: sum-sign
            sequence_length: 20
            samples: 2000
            validation_split: 0.2
            defaults:
              cell: gru
              optimizer: adam
              epochs: 8
              batch_size: 32
            grid:
              units: [4, 16]
              learning_rate: [0.003, 0.03]
            early_stopping:
              - {method: successive_halving, metric: val_accuracy, min_epochs: 2, reduction_factor: 2}
              - {method: patience, patience: 1, min_delta: 0.01, restore_best: true}
            seeds: [1, 2]

            """

        /// Statuses, how patience ended each trial, test metrics, every epoch's metrics and the rungs, bit for bit.
        struct Outcome: Equatable {
            var statuses: [String: TrialStatus]
            var patience: [String: PatienceEnding]
            var tests: [String: UInt64?]
            var curves: [MetricCurve]
            var rungs: [RungRow]
        }

        func outcome(_ workspace: SweepWorkspace) throws -> Outcome {
            let store = try #require(workspace.sweepDatabase("patience").open())
            let sweep = try #require(try store.sweep(named: "patience"))
            let trials = try store.trials(sweep: sweep.id)
            return Outcome(
                statuses: Dictionary(uniqueKeysWithValues: trials.map { ($0.id, $0.status) }),
                patience: Dictionary(uniqueKeysWithValues: trials.map { ($0.id, $0.patience) }),
                tests: Dictionary(uniqueKeysWithValues: trials.map { ($0.id, $0.testAccuracy?.bitPattern) }),
                curves: MetricCurve.of(try #require(workspace.sweepDatabase("patience").epochs())),
                rungs: try store.rungs(sweep: sweep.id))
        }

        @Test func anyWorkerCountOrAnInterruptionGivesTheSameTrialsDecisionsAndNumbers() throws {
            let first = try SweepWorkspace()
            let result = try first.run(["run", try first.write("p.yaml", Self.yaml), "--workers", "1"])
            #expect(result.status == 0, "\(result)")
            let one = try outcome(first)
            // Patience stopped some trials before the last epoch, and every rung that could be decided was.
            let stoppedByPatience = one.patience.values.filter { $0.stoppedEpoch != nil }
            #expect(!stoppedByPatience.isEmpty)
            #expect(stoppedByPatience.allSatisfy { $0.stoppedEpoch! < 8 && $0.restoredEpoch == $0.bestEpoch })
            #expect(Set(one.rungs.map(\.epoch)) == [2, 4], "\(one.rungs)")
            #expect(!result.stdout.contains("stopped by successive halving at rung 2"))

            let two = try SweepWorkspace()
            #expect(try two.run(["run", try two.write("p.yaml", Self.yaml), "--workers", "2"]).status == 0)
            #expect(try outcome(two) == one)

            let workspace = try SweepWorkspace()
            let file = try workspace.write("p.yaml", Self.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "2"])
            let database = workspace.sweepDatabase("patience")
            _ = waitFor("a trial to pause at the first rung") {
                (database.trials()?.filter { $0.status == .paused }.count ?? 0) >= 1 ? true : nil
            }
            coordinator.send(SIGINT)
            let stopped = coordinator.wait()
            #expect(stopped.status == 130, "\(stopped)")
            let resumed = try workspace.run(["run", file, "--workers", "1"])
            #expect(resumed.status == 0, "\(resumed)")
            #expect(try outcome(workspace) == one)

            let report = try workspace.run(["report", "patience"])
            #expect(report.stdout.contains("stopped by patience"), "\(report)")
        }
    }
}
