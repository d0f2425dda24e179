import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// Successive halving over a sampled space, run as a user would: the same decisions and the same numbers bit for
    /// bit with 1 worker, with 2, and stopped with SIGINT and resumed; and, with the rule turned off afterwards, the
    /// stopped trials continue (not retrain) to exactly what a plain grid gives.
    @Suite struct SuccessiveHalvingEndToEndTests {
        static func yaml(halving: Bool) -> String {
            """
            name: halving
            description: successive halving end-to-end test
            dataset: sum-sign
            sequence_length: 20
            samples: 2000
            validation_split: 0.2
            defaults:
              cell: gru
              optimizer: adam
              epochs: 6
              batch_size: 32
            search:
              samples: 6
              seed: 3
              space:
                units: {choice: [4, 8, 16, 32]}
                learning_rate: {log_uniform: [1.0e-3, 3.0e-2]}
            \(halving ? "early_stopping: {method: successive_halving, metric: val_accuracy, min_epochs: 1, reduction_factor: 3}" : "")
            seeds: [1, 2]

            """
        }

        func outcome(_ workspace: SweepWorkspace) throws -> SweepOutcome {
            try SweepOutcome(workspace, sweep: "halving")
        }

        func run(_ workers: Int) throws -> (SweepWorkspace, SweepOutcome) {
            let workspace = try SweepWorkspace()
            let result = try workspace.run(
                ["run", try workspace.write("h.yaml", Self.yaml(halving: true)), "--workers", "\(workers)"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("rung 1 of 3 (epoch 1): 2 of 6 configuration(s) go on"), "\(result)")
            #expect(result.stdout.contains("rung 2 of 3 (epoch 3): 1 of 2 configuration(s) go on"), "\(result)")
            return (workspace, try outcome(workspace))
        }

        @Test func anyWorkerCountOrAnInterruptionGivesTheSameDecisionsAndNumbers() throws {
            let (_, one) = try run(1)
            #expect(one.statuses.values.filter { $0 == .completed }.count == 2, "one configuration × 2 seeds")
            #expect(one.statuses.values.filter { $0 == .stopped }.count == 10)
            #expect(one.rungs.count == 6 + 2)
            let (_, two) = try run(2)
            #expect(two == one)

            // Interrupted at a rung boundary or mid-epoch, then resumed.
            let workspace = try SweepWorkspace()
            let file = try workspace.write("h.yaml", Self.yaml(halving: true))
            let coordinator = try workspace.start(["run", file, "--workers", "2"])
            let database = workspace.sweepDatabase("halving")
            _ = waitFor("some trials to pause at the first rung") {
                (database.trials()?.filter { $0.status == .paused }.count ?? 0) >= 3 ? true : nil
            }
            coordinator.send(SIGINT)
            let stopped = coordinator.wait()
            #expect(stopped.status == 130, "\(stopped)")
            let resumed = try workspace.run(["run", file, "--workers", "2"])
            #expect(resumed.status == 0, "\(resumed)")
            #expect(try outcome(workspace) == one)

            // The rule turned off: the stopped trials continue from their checkpoints, to exactly what a plain grid
            // of the same samples gives.
            try Data(Self.yaml(halving: false).utf8).write(to: URL(fileURLWithPath: file))
            let continued = try workspace.run(["run", file, "--workers", "2"])
            #expect(continued.status == 0, "\(continued)")
            #expect(continued.stdout.contains("resuming from the checkpoint after epoch"), "\(continued)")
            #expect(!continued.stdout.contains("resuming from the checkpoint after epoch 0"))
            let plain = try SweepWorkspace()
            let plainRun = try plain.run(
                ["run", try plain.write("h.yaml", Self.yaml(halving: false)), "--workers", "2"])
            #expect(plainRun.status == 0, "\(plainRun)")
            let after = try outcome(workspace)
            let grid = try outcome(plain)
            #expect(after.statuses.values.allSatisfy { $0 == .completed })
            #expect(after.tests == grid.tests && after.curves == grid.curves)
        }

        @Test func planPrintsTheEpochBudgetAndStatusTheRungs() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("h.yaml", Self.yaml(halving: true))
            let plan = try rnnsweep(["plan", file], in: workspace.directory)
            #expect(plan.status == 0, "\(plan)")
            // 6 configurations × 2 seeds × 6 epochs = 72 for the grid; halving: 12 × 1 + 4 × 2 + 2 × 3 = 26.
            #expect(plan.stdout.contains("successive halving: rungs at epochs 1, 3, 6"), "\(plan)")
            #expect(plan.stdout.contains("at most 26 epochs of training, against 72 for the full grid"), "\(plan)")
            _ = try workspace.run(["run", file, "--workers", "2"])
            let status = try workspace.run(["status", "halving"])
            #expect(status.stdout.contains("stopped at rung 1 (epoch 1)"), "\(status)")
            let report = try workspace.run(["report", "halving"])
            #expect(report.stdout.contains("stopped at epoch 1"), "\(report)")
        }
    }
}
