import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// A trial stopped after its last epoch but before its test (a Ctrl-C, a deadline; with background checkpoints the
/// epoch's event goes out before the write and the test) is idle at the last rung with every epoch recorded: it
/// must run again to test, or a resumed sweep leaves it `interrupted` for good.
@Suite struct HalvingLastEpochTests {
    @Test func anIdleTrialAtTheLastRungRunsAgainToTest() throws {
        let trial = TrialSpec(
            ordinal: 1,
            parameters: try TrainingParameters.resolve(["epochs": .int(3), "validation_split": .double(0.1)]),
            gridPoint: 1)
        var state = HalvingState(
            rule: SuccessiveHalving(metric: .valAccuracy, minEpochs: 1, reductionFactor: 3), epochs: 3,
            trials: [trial])
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
        let trial = TrialSpec(
            ordinal: 1,
            parameters: try TrainingParameters.resolve(["epochs": .int(3), "validation_split": .double(0.1)]),
            gridPoint: 1)
        var state = HalvingState(
            rule: SuccessiveHalving(metric: .valAccuracy, minEpochs: 1, reductionFactor: 3), epochs: 3,
            trials: [trial])
        state.recorded(
            trial: trial.id, epoch: EpochMetrics(epoch: 1, train: [.loss: 1], validation: [.accuracy: 0.5]))
        #expect(state.next(for: trial.id) == nil, "paused at rung 1 until it is decided")
    }
}
