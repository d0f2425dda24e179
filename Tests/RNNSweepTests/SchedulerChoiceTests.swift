import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// The factory builds every strategy an experiment file can name, and refuses the combinations that do not compose
/// where the file says them.
@Suite struct SchedulerChoiceTests {
    static func yaml(search method: String, stopping: String?, validation: Bool = true) -> String {
        """
        name: x
        dataset: sum-sign
        \(validation ? "validation_split: 0.2" : "limit: 500")
        defaults:
          epochs: 9
        search:
          samples: 20
          seed: 3
          method: \(method)
          space:
            learning_rate: {log_uniform: [0.001, 0.1]}
        \(stopping.map { "early_stopping: {method: \($0), min_epochs: 1, reduction_factor: 3}" } ?? "")

        """
    }

    static func scheduler(search method: String, stopping: String?) throws -> any TrialScheduler {
        let (experiment, sweep) = try ExperimentFile.parseSweep(
            yaml: yaml(search: method, stopping: stopping), path: "t.yaml")
        let facts = SchedulerFacts(
            trials: sweep.trials, status: [:], epochs: [:], rungs: [], inFlight: [], retries: 0)
        return SchedulerChoice.make(
            for: SweepDefinition(experiment: experiment, sweep: sweep), facts: facts,
            makeTrials: { _, _ in [] })
    }

    static func message(search method: String, stopping: String?, validation: Bool = true) -> String? {
        do {
            _ = try ExperimentFile.parseSweep(
                yaml: yaml(search: method, stopping: stopping, validation: validation), path: "t.yaml")
            return nil
        } catch {
            return "\(error.position.line):\(error.position.column): \(error.message)"
        }
    }

    @Test func eachMethodIsItsScheduler() throws {
        #expect(try Self.scheduler(search: "random", stopping: nil) is GridScheduler)
        #expect(try Self.scheduler(search: "random", stopping: "successive_halving") is HalvingScheduler)
        #expect(try Self.scheduler(search: "random", stopping: "async_halving") is AsyncHalvingScheduler)
        #expect(try Self.scheduler(search: "random", stopping: "hyperband") is HyperbandScheduler)
        #expect(try Self.scheduler(search: "tpe", stopping: nil) is TPEScheduler<GridScheduler>)
        #expect(
            try Self.scheduler(search: "tpe", stopping: "successive_halving") is TPEScheduler<HalvingScheduler>)
        #expect(
            try Self.scheduler(search: "tpe", stopping: "async_halving") is TPEScheduler<AsyncHalvingScheduler>)
    }

    @Test func tpeWithHyperbandIsRefusedWhereTheFileSaysIt() {
        #expect(
            Self.message(search: "tpe", stopping: "hyperband")
                == "12:17: early_stopping: method: hyperband does not compose with search: method: tpe (Hyperband's "
                + "brackets are laid out over configurations known before the run; TPE proposes them while it runs); "
                + "use successive_halving or async_halving with tpe, or hyperband with random search")
    }

    @Test func tpeNeedsAValidationSplitToLearnFrom() {
        #expect(
            Self.message(search: "tpe", stopping: nil, validation: false)
                == "7:3: search: method: tpe learns from val_accuracy, which needs validation_split > 0, and trial #1 "
                + "has none; set e.g. validation_split: 0.1 at the top level")
        #expect(Self.message(search: "random", stopping: nil, validation: false) == nil)
    }
}
