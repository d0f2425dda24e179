import RNNCore
import RNNTraining

/// The configurations a simulation runs, each replaying one recorded configuration's curves (metrics and epoch
/// seconds, per seed).
///
/// Without a count, the recorded configurations themselves, in their order. With `count` K, configurations
/// 1 … K where configuration c replays recorded configuration `SplitMix64.stream(c, of: seed).nextInt(below: R)`
/// (R recorded configurations, drawn with replacement): a larger population with the recorded data's mix of good
/// and bad, fast and slow, the same for every run of the same command. Its trials are numbered c's seeds in seed
/// order, ordinals (c−1)·S + j, grid point c, ids `sim-c-seed`.
public struct SimulatedPopulation: Sendable {
    /// In ordinal order.
    public var trials: [TrialSpec]
    /// Trial id → its epochs.
    public var curves: [String: [EpochMetrics]]
    /// Grid point → the recorded grid point it replays.
    public var source: [Int: Int]
    public var epochs: Int

    public init(_ recorded: RecordedCurves, count: Int? = nil, seed: UInt64 = 0) {
        epochs = recorded.epochs
        trials = []
        curves = [:]
        source = [:]
        guard let count else {
            for configuration in recorded.configurations {
                trials += configuration.trials
                curves.merge(configuration.curves) { a, _ in a }
                source[configuration.gridPoint] = configuration.gridPoint
            }
            trials.sort { $0.ordinal < $1.ordinal }
            return
        }
        for c in 1...max(count, 1) {
            var stream = SplitMix64.stream(UInt64(c), of: seed)
            let replayed = recorded.configurations[stream.nextInt(below: recorded.configurations.count)]
            source[c] = replayed.gridPoint
            for recordedTrial in replayed.trials {
                var trial = TrialSpec(
                    ordinal: trials.count + 1, parameters: recordedTrial.parameters, gridPoint: c)
                trial.id = "sim-\(c)-\(recordedTrial.seed)"
                trials.append(trial)
                curves[trial.id] = replayed.curves[recordedTrial.id]
            }
        }
    }

    /// The facts of a sweep nothing has run yet, for a scheduler's initializer.
    var freshFacts: SchedulerFacts {
        SchedulerFacts(
            trials: trials, status: Dictionary(uniqueKeysWithValues: trials.map { ($0.id, .pending) }), epochs: [:],
            rungs: [], inFlight: [], retries: 0)
    }
}
