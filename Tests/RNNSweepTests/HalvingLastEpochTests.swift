import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// A trial stopped after its last epoch but before its test (a Ctrl-C, a deadline; with background checkpoints the
/// epoch's event goes out before the write and the test) is idle at the last rung with every epoch recorded: it
/// must run again to test, or a resumed sweep leaves it `interrupted` for good.
@Suite struct HalvingLastEpochTests {
    /// One configuration, one seed, 3 epochs, rungs at 1 and 3.
    static func oneTrial() throws -> (TrialSpec, HalvingState) {
        let trial = TrialSpec(
            ordinal: 1,
            parameters: try TrainingParameters.resolve(["epochs": .int(3), "validation_split": .double(0.1)]),
            gridPoint: 1)
        let rule = SuccessiveHalving(metric: .valAccuracy, minEpochs: 1, reductionFactor: 3)
        return (trial, HalvingState(rule: rule, epochs: 3, trials: [trial]))
    }

    @Test func anIdleTrialAtTheLastRungRunsAgainToTest() throws {
        let (trial, initial) = try Self.oneTrial()
        var state = initial
        state.restore(
            decision: HalvingState.Decision(rung: 0, epoch: 1, gridPoint: 1, score: 0.5, rank: 1, promoted: true))
        for epoch in 1...3 {
            state.recorded(
                trial: trial.id, epoch: EpochMetrics(epoch: epoch, train: [.loss: 1], validation: [.accuracy: 0.5]))
        }
        #expect(state.next(for: trial.id) == 3, "every epoch recorded, not tested: it runs to test")
        state.set(trial.id, .completed)
        #expect(state.next(for: trial.id) == nil)
    }

    @Test func anIdleTrialAtAnEarlierRungWaitsForItsDecision() throws {
        let (trial, initial) = try Self.oneTrial()
        var state = initial
        state.recorded(
            trial: trial.id, epoch: EpochMetrics(epoch: 1, train: [.loss: 1], validation: [.accuracy: 0.5]))
        #expect(state.next(for: trial.id) == nil, "paused at rung 1 until it is decided")
    }

    /// Interrupted after recording its rung's epoch, a trial has not said whether it pauses there or (patience)
    /// finishes: the rung waits, and the trial runs again to its rung to say it.
    @Test func anInterruptedTrialAtItsRungConfirmsBeforeTheRungIsDecided() throws {
        let (trial, initial) = try Self.oneTrial()
        var state = initial
        state.recorded(trial: trial.id, epoch: EpochMetrics(epoch: 1, train: [.loss: 1], validation: [.accuracy: 0.5]))
        state.confirm(trial.id, false)
        #expect(state.next(for: trial.id) == 1, "runs again to its rung")
        #expect(state.ready().isEmpty, "the rung waits")
        state.confirm(trial.id, true)
        #expect(state.next(for: trial.id) == nil)
        #expect(state.ready().map(\.gridPoint) == [1])
    }
}
