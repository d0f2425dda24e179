import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// Does a warm start help? On the simulated objective of ``TPESchedulerTests`` (no training), over 5 search seeds:
/// the best configuration TPE proposes itself (generations ≥ 1, the start-up excluded) with and without the results
/// of an earlier random search of 12 configurations on the same objective. Deterministic: the figures printed are
/// the report's, and the mean must not get worse.
@Suite struct WarmStartQualityTests {
    typealias Sim = TPESchedulerTests

    static func bestProposed(space: SearchSpace, warm: [TPESampler.Observation]) throws -> Double {
        var sweep = try Sim.Sweep(space: space)
        var facts = sweep.facts
        facts.warmStart = warm
        var scheduler = TPEScheduler(
            inner: Sim.MiniRung(rungEpoch: nil, facts: facts), space: space, metric: .valAccuracy, facts: facts,
            make: Sim.make)
        sweep.run(&scheduler, workers: 2, order: 1)
        let startup = space.method.samplesBeforeRun(of: space.samples)
        var values: [Int: [Double]] = [:]
        for trial in sweep.trials where trial.gridPoint > startup {
            values[trial.gridPoint, default: []].append(Sim.accuracy(trial, epoch: Sim.epochs))
        }
        return values.keys.sorted().map { values[$0]!.reduce(0, +) / Double(values[$0]!.count) }.max()!
    }

    @Test func aWarmStartFindsAtLeastAsGoodOnAverage() throws {
        var cold: [Double] = []
        var warm: [Double] = []
        for seed in UInt64(0)..<5 {
            var space = Sim.space(batch: 2, samples: 14)
            space.seed = 100 + seed
            var earlier = space
            earlier.method = .random
            earlier.samples = 12
            earlier.seed = 900 + seed
            let observations = try earlier.draw().map { sample in
                let trials = try Sim.make(sample, (0, 0))
                return TPESampler.Observation(
                    configuration: Dictionary(uniqueKeysWithValues: sample.map { ($0.key, $0.value) }),
                    value: trials.map { Sim.accuracy($0, epoch: Sim.epochs) }.reduce(0, +) / Double(trials.count))
            }
            cold.append(try Self.bestProposed(space: space, warm: []))
            warm.append(try Self.bestProposed(space: space, warm: observations))
        }
        let (coldMean, warmMean) = (cold.reduce(0, +) / 5, warm.reduce(0, +) / 5)
        print("warm start quality: best proposed, mean over 5 seeds: cold \(coldMean), warm \(warmMean)")
        #expect(warmMean >= coldMean, "cold \(cold), warm \(warm)")
    }
}
