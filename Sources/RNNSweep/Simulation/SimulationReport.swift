import Foundation
import RNNTraining

/// `rnnsweep simulate`: each halving method at each worker count over one recorded sweep, as a Markdown table.
public enum SimulationReport {
    /// What to simulate.
    public struct Options: Sendable {
        public var workers: [Int]
        public var methods: [HalvingMethod]
        /// K configurations drawn from the recorded ones (`SimulatedPopulation`); nil: the recorded ones.
        public var configurations: Int?
        /// Default: the sweep's own `early_stopping:` values, else 1 and 3.
        public var minEpochs: Int?
        public var reductionFactor: Int?
        public var seed: UInt64

        public init(
            workers: [Int], methods: [HalvingMethod], configurations: Int? = nil, minEpochs: Int? = nil,
            reductionFactor: Int? = nil, seed: UInt64 = 0
        ) {
            self.workers = workers
            self.methods = methods
            self.configurations = configurations
            self.minEpochs = minEpochs
            self.reductionFactor = reductionFactor
            self.seed = seed
        }
    }

    /// The table (and a line saying what ran), the same bytes for the same database and options.
    public static func render(store: MetricsStore, sweep: String, options: Options) throws -> String {
        let recorded = try RecordedCurves.load(store: store, sweep: sweep)
        let minEpochs = options.minEpochs ?? recorded.storedRule?.minEpochs ?? 1
        let factor = options.reductionFactor ?? recorded.storedRule?.reductionFactor ?? 3
        guard minEpochs >= 1, minEpochs < recorded.epochs else {
            throw SimulationError(
                "--min-epochs \(minEpochs) must be at least 1 and below the \(recorded.epochs) epochs")
        }
        guard factor >= 2 else { throw SimulationError("--reduction-factor must be at least 2") }
        if let k = options.configurations, k < 1 { throw SimulationError("--configurations must be at least 1") }
        guard !options.workers.isEmpty, options.workers.allSatisfy({ $0 >= 1 }) else {
            throw SimulationError("--workers: expected counts ≥ 1, e.g. 2,16,64,256")
        }
        let rule = SuccessiveHalving(metric: recorded.metric, minEpochs: minEpochs, reductionFactor: factor)
        let population = SimulatedPopulation(recorded, count: options.configurations, seed: options.seed)
        let configurations = Set(population.trials.map(\.gridPoint)).count
        var lines = [
            "Simulated from sweep \(sweep): \(configurations) configurations"
                + (options.configurations == nil
                    ? "" : " drawn from its \(recorded.configurations.count) (seed \(options.seed))")
                + " × \(population.trials.count / max(configurations, 1)) seeds × \(recorded.epochs) epochs; "
                + "\(recorded.metric.recordName), min_epochs \(minEpochs), reduction_factor \(factor)",
            "",
            "| method | workers | makespan (s) | utilization | epochs trained | best configuration | its "
                + "\(recorded.metric.recordName) |",
            "|---|---:|---:|---:|---:|---|---:|",
        ]
        for method in options.methods {
            if method == .hyperband,
                let problem = Hyperband(rule: rule, epochs: recorded.epochs).problem(configurations: configurations)
            {
                throw SimulationError(problem)
            }
            for workers in options.workers {
                let result = try simulate(method, rule: rule, population: population, workers: workers)
                let best =
                    result.best.map {
                        "#\($0.gridPoint)" + (options.configurations == nil ? "" : " (replays #\($0.source))")
                    } ?? "—"
                lines.append(
                    "| \(method.rawValue) | \(workers) | "
                        + String(format: "%.1f", result.makespan) + " | "
                        + String(format: "%.1f %%", 100 * result.utilization) + " | \(result.epochsTrained) | "
                        + best + " | " + (result.best.map { String(format: "%.4f", $0.metric) } ?? "—") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One method at one worker count, through its real scheduler.
    static func simulate(
        _ method: HalvingMethod, rule: SuccessiveHalving, population: SimulatedPopulation, workers: Int
    ) throws -> SweepSimulator.Result {
        let facts = population.freshFacts
        switch method {
        case .successiveHalving:
            var scheduler = HalvingScheduler(rule: rule, epochs: population.epochs, facts: facts)
            return try SweepSimulator.run(&scheduler, population: population, workers: workers, rule: rule)
        case .asyncHalving:
            var scheduler = AsyncHalvingScheduler(rule: rule, epochs: population.epochs, facts: facts)
            return try SweepSimulator.run(&scheduler, population: population, workers: workers, rule: rule)
        case .hyperband:
            var scheduler = HyperbandScheduler(rule: rule, epochs: population.epochs, facts: facts)
            return try SweepSimulator.run(&scheduler, population: population, workers: workers, rule: rule)
        }
    }
}
