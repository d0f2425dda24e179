import RNNCore
import RNNTraining

@testable import RNNSweep

/// Synthetic recorded curves for the halving schedulers' tests: configuration c's seeds reach
/// quality(c) · e/epochs validation accuracy at epoch e, and each epoch lasts a time drawn from a seeded stream, so
/// that different `timing` seeds give different arrival orders over the same metrics.
enum BracketsFixture {
    /// Configuration c's final accuracy: a fixed, non-monotone order, so that later grid points are sometimes better.
    static func quality(_ c: Int) -> Double { 0.5 + Double((c * 37) % 101) / 250 }

    static func recorded(configurations: Int, seeds: Int = 2, epochs: Int, timing: UInt64) -> RecordedCurves {
        var result: [RecordedCurves.Configuration] = []
        for c in 1...configurations {
            var configuration = RecordedCurves.Configuration(gridPoint: c, trials: [], curves: [:])
            for s in 1...seeds {
                let parameters = try! TrainingParameters.resolve([
                    "units": .int(7 + c), "seed": .int(s), "epochs": .int(epochs), "validation_split": .double(0.1),
                ])
                let trial = TrialSpec(ordinal: (c - 1) * seeds + s, parameters: parameters, gridPoint: c)
                var stream = SplitMix64.stream(UInt64(trial.ordinal), of: timing)
                let perEpoch = 1 + 9 * stream.nextDouble()
                configuration.trials.append(trial)
                configuration.curves[trial.id] = (1...epochs).map { e in
                    EpochMetrics(
                        epoch: e, loss: 1, accuracy: 0.5,
                        valAccuracy: quality(c) * Double(e) / Double(epochs) + Double(s) / 1000,
                        seconds: perEpoch)
                }
            }
            result.append(configuration)
        }
        return RecordedCurves(
            sweep: "synthetic", configurations: result, epochs: epochs, metric: .valAccuracy, storedRule: nil)
    }

    /// The rung decisions of a log, in a canonical order (rule, epoch, grid point), to compare runs.
    static func rungs(_ log: [SchedulerDecision]) -> [String] {
        log.compactMap { decision -> String? in
            guard case .rung(let d, let rule, _, let stopping) = decision else { return nil }
            return "\(rule)|\(d.epoch)|\(d.gridPoint)|\(d.rank)|\(d.promoted)|\(stopping.count)"
        }.sorted()
    }
}
