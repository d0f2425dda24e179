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

        @Test func anyWorkerCountOrAnInterruptionGivesTheSameTrialsDecisionsAndNumbers() throws {
            let (one, output, workspace) = try SchedulerDeterminismTests.expectSameEverywhere("patience", Self.yaml) {
                ($0.trials()?.filter { $0.status == .paused }.count ?? 0) >= 1
            }
            // Patience stopped some trials before the last epoch, and every rung that could be decided was.
            let stoppedByPatience = one.trials.map(\.patience).filter { $0.stoppedEpoch != nil }
            #expect(!stoppedByPatience.isEmpty)
            #expect(stoppedByPatience.allSatisfy { $0.stoppedEpoch! < 8 && $0.restoredEpoch == $0.bestEpoch })
            #expect(Set(one.rungs.map(\.epoch)) == [2, 4], "\(one.rungs)")
            #expect(!output.contains("stopped by successive halving at rung 2"))

            let report = try workspace.run(["report", "patience"])
            #expect(report.stdout.contains("stopped by patience"), "\(report)")
        }
    }
}
