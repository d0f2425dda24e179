import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// Successive halving with trials that patience stopped before a rung: they count as having reached every later rung
/// with the metric of their last recorded epoch, so the rung is decided instead of waiting forever.
@Suite struct PatienceHalvingTests {
    /// Three configurations × 1 seed, 8 epochs, rungs 2 and 4 (η = 2); trial 3 stops (patience) after epoch 3.
    static func trials() throws -> [TrialSpec] {
        try (1...3).map { i in
            TrialSpec(
                ordinal: i,
                parameters: try TrainingParameters.resolve([
                    "units": .int(4 << i), "epochs": .int(8), "validation_split": .double(0.1), "patience": .int(1),
                ]), gridPoint: i)
        }
    }

    @Test func aTrialPatienceStoppedBeforeARungCountsWithItsLastEpoch() throws {
        let trials = try Self.trials()
        let rule = SuccessiveHalving(metric: .valLoss, minEpochs: 2, reductionFactor: 2)
        var state = HalvingState(rule: rule, epochs: 8, trials: trials)
        #expect(state.rungs == [2, 4, 8])
        let losses: [[Double]] = [[0.9, 0.8], [0.7, 0.6], [0.5, 0.4]]
        for (trial, values) in zip(trials, losses) {
            for (e, loss) in values.enumerated() {
                state.recorded(
                    trial: trial.id, epoch: EpochMetrics(epoch: e + 1, train: [.loss: 1], validation: [.loss: loss]))
            }
        }
        // Rung 2 (epoch 2): points 3 and 2 go on (the best ⌈3/2⌉ = 2 by validation loss).
        let first = state.ready()
        #expect(first.map(\.gridPoint) == [3, 2] + [1] && first.map(\.promoted) == [true, true, false])
        for d in first { state.restore(decision: d) }

        // Trial 2 trains to epoch 4; trial 3 is stopped by patience after epoch 3 (loss 0.45, worse than its best).
        state.recorded(trial: trials[2].id, epoch: EpochMetrics(epoch: 3, train: [.loss: 1], validation: [.loss: 0.45]))
        state.set(trials[2].id, .completed)
        for (e, loss) in [(3, 0.55), (4, 0.5)] {
            state.recorded(
                trial: trials[1].id, epoch: EpochMetrics(epoch: e, train: [.loss: 1], validation: [.loss: loss]))
        }
        #expect(state.next(for: trials[2].id) == nil, "a completed trial is not run again")
        // Without the change the rung at epoch 4 would wait for trial 3 forever.
        let second = state.ready()
        #expect(second.map(\.epoch) == [4, 4])
        // Trial 3 counts with its last recorded epoch (0.45, not its best 0.4) and still ranks first.
        #expect(second.first { $0.gridPoint == 3 }?.score == 0.45)
        #expect(second.map(\.gridPoint) == [3, 2] && second.map(\.promoted) == [true, false])
    }

    /// Every trial done before or at the first rung (patience stopped all three): deciding the first rung makes the
    /// second ready at once, and one call gives both, so a run that ends now leaves nothing undecided.
    @Test func aPromotionOfFinishedTrialsDecidesTheNextRungAtOnce() throws {
        let trials = try Self.trials()
        var state = HalvingState(
            rule: SuccessiveHalving(metric: .valLoss, minEpochs: 2, reductionFactor: 2), epochs: 8, trials: trials)
        for (trial, last) in zip(trials, [1, 2, 1]) {
            for epoch in 1...last {
                let loss = 1 / Double(trial.ordinal)
                state.recorded(
                    trial: trial.id, epoch: EpochMetrics(epoch: epoch, train: [.loss: 1], validation: [.loss: loss]))
            }
            state.set(trial.id, .completed)
        }
        let decisions = state.ready()
        #expect(decisions.map(\.epoch) == [2, 2, 2, 4, 4])
        #expect(decisions.filter { $0.epoch == 4 }.map(\.gridPoint) == [3, 2])
        for d in decisions { state.restore(decision: d) }
        #expect(state.ready().isEmpty)
    }

    @Test func aTrialStillTrainingIsWaitedFor() throws {
        let trials = try Self.trials()
        var state = HalvingState(
            rule: SuccessiveHalving(metric: .valLoss, minEpochs: 2, reductionFactor: 2), epochs: 8, trials: trials)
        state.recorded(trial: trials[0].id, epoch: EpochMetrics(epoch: 1, train: [.loss: 1], validation: [.loss: 0.5]))
        state.set(trials[0].id, .completed)
        for trial in trials.dropFirst() {
            state.recorded(trial: trial.id, epoch: EpochMetrics(epoch: 1, train: [.loss: 1], validation: [.loss: 0.5]))
        }
        #expect(state.ready().isEmpty, "trials 2 and 3 have not reached epoch 2")
    }
}
