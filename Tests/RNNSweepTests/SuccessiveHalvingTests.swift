import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

@Suite struct SuccessiveHalvingTests {
    let rule = SuccessiveHalving(metric: .valAccuracy, minEpochs: 2, reductionFactor: 3)

    @Test func rungsAreMinEpochsTimesEtaPowersThenTheEpochs() {
        #expect(rule.rungs(epochs: 20) == [2, 6, 18, 20])
        #expect(rule.rungs(epochs: 18) == [2, 6, 18])
        #expect(rule.rungs(epochs: 3) == [2, 3])
        #expect(
            SuccessiveHalving(metric: .valLoss, minEpochs: 1, reductionFactor: 2).rungs(epochs: 10) == [1, 2, 4, 8, 10])
        #expect(SuccessiveHalving(metric: .valLoss, minEpochs: 5, reductionFactor: 4).rungs(epochs: 5) == [5])
    }

    @Test func keepsTheCeilingOfOneEtaAndCountsItsBudget() {
        #expect([27, 9, 3, 1].map(rule.kept(of:)) == [9, 3, 1, 1])
        #expect(rule.kept(of: 10) == 4 && rule.kept(of: 0) == 0)
        // 27 configurations × 2 seeds: 54 × 2 + 18 × 4 + 6 × 12 + 2 × 2 epochs, against 54 × 20 for the grid.
        #expect(rule.budget(configurations: 27, seeds: 2, epochs: 20) == 108 + 72 + 72 + 4)
    }

    @Test func ranksByTheMeanOverSeedsWithTiesToTheFirstGridPointAndNaNLast() {
        let scores = [
            SuccessiveHalving.Score(gridPoint: 3, values: [0.5, 0.75]),  // 0.625 (exactly, in binary)
            SuccessiveHalving.Score(gridPoint: 1, values: [0.25, 1.0]),  // 0.625: a tie, the lower grid point first
            SuccessiveHalving.Score(gridPoint: 2, values: [0.99, .nan]),  // a diverged seed: last
            SuccessiveHalving.Score(gridPoint: 4, values: [0.5, 0.5]),
        ]
        #expect(rule.ranked(scores).map(\.gridPoint) == [1, 3, 4, 2])
        #expect(rule.promoted(scores) == [1, 3])
        let loss = SuccessiveHalving(metric: .valLoss, minEpochs: 2, reductionFactor: 2)
        #expect(loss.promoted(scores) == [4, 1])
        #expect(SuccessiveHalving.Score(gridPoint: 1, values: [0.5, nil]).mean.isNaN, "a missing seed is not a mean")
    }

    /// Two configurations × 2 seeds, η = 2: the rung waits for all four trials, then promotes the better mean.
    @Test func aRungIsDecidedOnlyWhenEveryTrialHasReachedIt() {
        let trials = try! (1...4).map { i in
            TrialSpec(
                ordinal: i,
                parameters: try TrainingParameters.resolve([
                    "units": .int(i <= 2 ? 8 : 16), "seed": .int(i % 2 + 1), "epochs": .int(4),
                    "validation_split": .double(0.1),
                ]), gridPoint: i <= 2 ? 1 : 2)
        }
        var state = HalvingState(
            rule: SuccessiveHalving(metric: .valAccuracy, minEpochs: 2, reductionFactor: 2), epochs: 4, trials: trials)
        #expect(state.runnable().map(\.until) == [2, 2, 2, 2])
        for (i, trial) in trials.enumerated() {
            for epoch in 1...2 {
                state.recorded(
                    trial: trial.id,
                    epoch: EpochMetrics(epoch: epoch, loss: 1, accuracy: 0.5, valAccuracy: i < 2 ? 0.6 : 0.7))
            }
            #expect(i == 3 || state.ready().isEmpty, "decided before trial \(i + 2) reached the rung")
        }
        let decisions = state.ready()
        #expect(decisions.map(\.gridPoint) == [2, 1] && decisions.map(\.promoted) == [true, false])
        for d in decisions { state.restore(decision: d) }
        #expect(state.isStopped(point: 1) && !state.isStopped(point: 2))
        #expect(
            state.runnable().map(\.trial) == [trials[2].id, trials[3].id]
                && state.runnable().allSatisfy { $0.until == 4 })
        #expect(state.ready().isEmpty, "a decided rung is never decided again")
    }

    @Test func samplesAreDeterministicAndTheirPrefixIsStable() throws {
        let position = SourcePosition(line: 1, column: 1)
        func space(samples: Int, extra: Bool = false) -> SearchSpace {
            var dimensions = [
                SearchSpace.Dimension(key: "learning_rate", distribution: .logUniform(1e-4, 1e-1), position: position),
                SearchSpace.Dimension(key: "dropout", distribution: .uniform(0, 0.5), position: position),
                SearchSpace.Dimension(key: "units", distribution: .choice([.int(64), .int(128)]), position: position),
                SearchSpace.Dimension(key: "layers", distribution: .intUniform(1, 3), position: position),
            ]
            if extra {
                dimensions.append(
                    SearchSpace.Dimension(key: "batch_size", distribution: .intLogUniform(16, 256), position: position))
            }
            return SearchSpace(samples: samples, seed: 7, dimensions: dimensions, position: position)
        }
        let ten = try space(samples: 10).draw()
        #expect(try space(samples: 10).draw() == ten)
        let twenty = try space(samples: 20).draw()
        #expect(Array(twenty.prefix(10)) == ten, "raising samples keeps the first ones")
        // A new dimension changes no other dimension's values.
        let withExtra = try space(samples: 10, extra: true).draw()
        #expect(withExtra.map { Array($0.prefix(4)) } == ten)
        for sample in twenty {
            let lr = sample[0].value.doubleValue!
            #expect(lr >= 1e-4 && lr <= 1e-1)
            #expect(Double(String(format: "%.3e", lr)) == lr, "rounded to 4 significant digits")
            #expect((0...0.5).contains(sample[1].value.doubleValue!))
            #expect((1...3).contains(sample[3].value.intValue!))
        }
        #expect(Set(twenty.map { $0.map(\.value) }).count == 20, "no configuration twice")
        // A space with fewer configurations than samples says so.
        let tiny = SearchSpace(
            samples: 3, seed: 0,
            dimensions: [
                SearchSpace.Dimension(key: "units", distribution: .choice([.int(1), .int(2)]), position: position)
            ],
            position: position)
        #expect(throws: SearchSpaceError.self) { try tiny.draw() }
    }
}
