import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// Every strategy an experiment file can choose, run as a user would: the same file run with 1 worker, with 2,
    /// and with 2 stopped by SIGINT after its first decision (or recorded epoch) and then resumed ends with the same
    /// trials (ids, ordinals, statuses), the same rung decisions and the same epoch and test metrics, bit for bit.
    @Suite struct SchedulerDeterminismTests {
        /// A tiny sampled search on generated data: each trial trains in well under a second.
        static func yaml(_ name: String, search: String, earlyStopping: String = "", seeds: String = "[1]") -> String {
            """
            name: \(name)
            dataset: sum-sign
            sequence_length: 10
            samples: 600
            validation_split: 0.25
            defaults:
              cell: gru
              optimizer: adam
              epochs: 3
              batch_size: 50
            search:
            \(search)
              space:
                units: {choice: [2, 4, 8]}
                learning_rate: {log_uniform: [1.0e-3, 1.0e-1]}
            \(earlyStopping)
            seeds: \(seeds)

            """
        }

        /// Runs `yaml` three ways and expects one outcome; returns it with the 1-worker run's output and the
        /// interrupted run's workspace.
        /// `interruptWhen` is polled on the third run's database; the coordinator gets SIGINT once it holds.
        static func expectSameEverywhere(
            _ name: String, _ yaml: String, sourceLocation: SourceLocation = #_sourceLocation,
            interruptWhen: (SweepDatabase) -> Bool
        ) throws -> (outcome: SweepOutcome, output: String, interrupted: SweepWorkspace) {
            func run(_ workers: Int) throws -> (SweepOutcome, String) {
                let workspace = try SweepWorkspace()
                let result = try workspace.run(["run", try workspace.write("s.yaml", yaml), "--workers", "\(workers)"])
                #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
                return (try SweepOutcome(workspace, sweep: name), result.stdout)
            }
            let (one, output) = try run(1)
            let (two, _) = try run(2)
            #expect(two == one, sourceLocation: sourceLocation)

            // A sweep this small can end between the decision seen in the database and the signal: then it is run
            // again, in a new workspace, until the signal lands in the middle of one.
            var landed: (workspace: SweepWorkspace, file: String, database: SweepDatabase)?
            for attempt in 1...5 where landed == nil {
                let workspace = try SweepWorkspace()
                let file = try workspace.write("s.yaml", yaml)
                let coordinator = try workspace.start(["run", file, "--workers", "2"])
                let database = workspace.sweepDatabase(name)
                _ = waitFor("the first decision", sourceLocation: sourceLocation) {
                    interruptWhen(database) ? true : nil
                }
                coordinator.send(SIGINT)
                let stopped = coordinator.wait()
                if stopped.status == 0 && attempt < 5 { continue }
                #expect(stopped.status == 130, "\(stopped)", sourceLocation: sourceLocation)
                landed = (workspace, file, database)
            }
            let (workspace, file, database) = try #require(landed, sourceLocation: sourceLocation)
            let resumed = try workspace.run(["run", file, "--workers", "2"])
            #expect(resumed.status == 0, "\(resumed)", sourceLocation: sourceLocation)
            #expect(try SweepOutcome(database) == one, sourceLocation: sourceLocation)
            return (one, output, workspace)
        }

        /// Whether a scheduler has added trials to the sweep (more than `planned` rows).
        static func added(after planned: Int) -> (SweepDatabase) -> Bool {
            { ($0.trials()?.count ?? 0) > planned }
        }

        /// Whether a rung decision is recorded.
        static func decided(_ database: SweepDatabase) -> Bool {
            guard let store = database.open(), let sweep = try? store.sweep(named: database.sweepName) else {
                return false
            }
            return !((try? store.rungs(sweep: sweep.id)) ?? []).isEmpty
        }

        static let tpe = """
              samples: 5
              seed: 4
              method: tpe
              startup: 2
              batch: 2
            """

        @Test func tpe() throws {
            let (outcome, output, _) = try Self.expectSameEverywhere(
                "tpe", Self.yaml("tpe", search: Self.tpe), interruptWhen: Self.added(after: 2))
            #expect(outcome.trials.map(\.ordinal) == [1, 2, 3, 4, 5])
            #expect(outcome.trials.allSatisfy { $0.status == .completed }, "\(outcome.trials)")
            #expect(output.contains("2 trial(s) added: TPE generation 1 from 2 results"), "\(output)")
            #expect(output.contains("1 trial(s) added: TPE generation 2 from 4 results"), "\(output)")
        }

        static let tpeWithHalving = yaml(
            "tpe-halving",
            search: """
                  samples: 6
                  seed: 4
                  method: tpe
                  startup: 3
                  batch: 3
                """,
            earlyStopping:
                "early_stopping: {method: successive_halving, metric: val_accuracy, min_epochs: 1, reduction_factor: 3}"
        )

        @Test func tpeWithSuccessiveHalving() throws {
            let (outcome, output, _) = try Self.expectSameEverywhere(
                "tpe-halving", Self.tpeWithHalving, interruptWhen: Self.decided)
            #expect(outcome.trials.map(\.ordinal) == [1, 2, 3, 4, 5, 6])
            // Each generation of three is halved among itself: one goes on, two stop at epoch 1.
            #expect(outcome.trials.filter { $0.status == .stopped }.count == 4, "\(outcome.trials)")
            #expect(outcome.trials.filter { $0.status == .completed }.count == 2, "\(outcome.trials)")
            #expect(outcome.rungs.count == 6 && outcome.rungs.allSatisfy { $0.epoch == 1 }, "\(outcome.rungs)")
            #expect(output.contains("3 trial(s) added: TPE generation 1 from 3 results"), "\(output)")
        }

        static let random = """
              samples: 6
              seed: 4
            """

        @Test func asyncHalving() throws {
            let yaml = Self.yaml(
                "async", search: Self.random,
                earlyStopping:
                    "early_stopping: {method: async_halving, metric: val_accuracy, min_epochs: 1, reduction_factor: 3}")
            let (outcome, _, _) = try Self.expectSameEverywhere("async", yaml, interruptWhen: Self.decided)
            // Every configuration is decided at the one rung before the last, in grid order, the first always going on.
            #expect(outcome.rungs.map(\.gridPoint).sorted() == [1, 2, 3, 4, 5, 6], "\(outcome.rungs)")
            #expect(outcome.rungs.allSatisfy { $0.rule.hasPrefix("async_halving ") && $0.epoch == 1 })
            #expect(outcome.rungs.first { $0.gridPoint == 1 }?.promoted == true)
            #expect(outcome.trials.filter { $0.status == .stopped }.count == outcome.rungs.count { !$0.promoted })
            #expect(!outcome.trials.contains { $0.status == .paused }, "\(outcome.trials)")
        }

        @Test func hyperband() throws {
            let yaml = Self.yaml(
                "hyperband", search: Self.random,
                earlyStopping:
                    "early_stopping: {method: hyperband, metric: val_accuracy, min_epochs: 1, reduction_factor: 3}")
            let (outcome, _, _) = try Self.expectSameEverywhere("hyperband", yaml, interruptWhen: Self.decided)
            // Iteration 1: bracket 1 (configurations 1–3, rungs at epochs 1 and 3), bracket 0 (4–5, epoch 3 only);
            // iteration 2: bracket 1 (configuration 6 alone).
            #expect(
                outcome.rungs.map(\.gridPoint).sorted() == [1, 2, 3, 6] && outcome.rungs.allSatisfy { $0.epoch == 1 },
                "\(outcome.rungs)")
            #expect(Set(outcome.rungs.map(\.rule)).count == 2, "\(outcome.rungs)")
            #expect(outcome.trials.filter { $0.status == .stopped }.count == 2, "\(outcome.trials)")
            #expect(outcome.trials.filter { $0.status == .completed }.count == 4, "\(outcome.trials)")
        }

        @Test func patienceWithAsyncHalving() throws {
            let yaml = """
                name: patience-async
                dataset: sum-sign
                sequence_length: 10
                samples: 600
                validation_split: 0.25
                defaults:
                  cell: gru
                  optimizer: adam
                  epochs: 6
                  batch_size: 50
                grid:
                  units: [2, 4, 8]
                  learning_rate: [0.003, 0.03]
                early_stopping:
                  - {method: async_halving, metric: val_accuracy, min_epochs: 2, reduction_factor: 2}
                  - {method: patience, patience: 1, min_delta: 0.02, restore_best: true}
                seeds: [1]

                """
            let (outcome, _, _) = try Self.expectSameEverywhere("patience-async", yaml, interruptWhen: Self.decided)
            // Patience completed some trials before a rung, they were ranked at it, and no configuration waits
            // undecided behind them (asynchronous halving decides in grid order).
            let early = outcome.trials.filter { ($0.patience.stoppedEpoch ?? 6) < 4 }
            #expect(!early.isEmpty, "\(outcome.trials)")
            #expect(
                early.contains { trial in
                    outcome.rungs.contains { rung in
                        rung.gridPoint == trial.gridPoint && rung.epoch > trial.patience.stoppedEpoch!
                    }
                }, "\(outcome.rungs)")
            #expect(!outcome.trials.contains { $0.status == .paused || $0.status == .pending }, "\(outcome.trials)")
        }
    }
}
