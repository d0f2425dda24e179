import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// rnnsweep's TPE against Optuna's on closed-form objectives over the published search space
/// (Experiments/search-fashion-mnist.yaml), written as in `Scripts/reference/tpe_reference.py`: the mean best
/// value after N trials over sampler seeds 0–4 must not be worse than Optuna's beyond two combined standard errors,
/// and must beat random search on the smooth objective.
@Suite struct TPESearchQualityTests {
    struct Quality: Decodable {
        struct Summary: Decodable {
            var best: [Double]
            var mean: Double
            var standardError: Double
        }
        struct Objective: Decodable {
            var optuna: Summary
            var random: Summary
        }
        var trials: Int
        var seeds: [UInt64]
        var objectives: [String: Objective]
    }

    static func load() throws -> Quality {
        struct Document: Decodable { var quality: Quality }
        let url = try #require(
            Bundle.module.url(forResource: "tpe-reference", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Document.self, from: Data(contentsOf: url)).quality
    }

    static func space(seed: UInt64, samples: Int, method: SearchMethod) -> SearchSpace {
        SearchSpace(
            samples: samples, seed: seed,
            dimensions: [
                .init(
                    key: "cell", distribution: .choice(["simple_rnn", "lstm", "gru"].map { .string($0) }),
                    position: .start),
                .init(key: "units", distribution: .choice([32, 64, 128].map { .int($0) }), position: .start),
                .init(
                    key: "optimizer", distribution: .choice(["adam", "rmsprop"].map { .string($0) }), position: .start),
                .init(key: "learning_rate", distribution: .logUniform(3.0e-4, 1.0e-2), position: .start),
                .init(key: "dropout", distribution: .uniform(0, 0.4), position: .start),
            ],
            position: .start, method: method)
    }

    static let cell: [String: Double] = ["simple_rnn": -0.05, "lstm": 0.01, "gru": 0.02]
    static let units: [Int: Double] = [32: -0.02, 64: 0, 128: 0.01]
    static let optimizer: [String: Double] = ["adam": 0.01, "rmsprop": 0]

    struct Configuration {
        var cell: String, units: Int, optimizer: String, learningRate: Double, dropout: Double
        init(_ c: [String: ParameterValue]) {
            cell = c["cell"]!.description
            units = c["units"]!.intValue!
            optimizer = c["optimizer"]!.description
            learningRate = c["learning_rate"]!.doubleValue!
            dropout = c["dropout"]!.doubleValue!
        }
    }

    static func smooth(_ c: Configuration) -> Double {
        let u = log10(c.learningRate) + 2.5
        return 0.9 - 0.3 * u * u - 2.0 * (c.dropout - 0.15) * (c.dropout - 0.15) + cell[c.cell]! + units[c.units]!
            + optimizer[c.optimizer]!
    }

    static func interacting(_ c: Configuration) -> Double {
        let u = log10(c.learningRate) - (c.optimizer == "adam" ? -2.2 : -3.0)
        let best = ["simple_rnn": 32, "lstm": 128, "gru": 64][c.cell]!
        return 0.85 - 0.12 * u * u + (c.units == best ? 0.03 : 0) + 0.02 * cos(25 * c.dropout) - 0.1 * c.dropout
            * c.dropout + cell[c.cell]!
    }

    static func objective(_ name: String) -> ((Configuration) -> Double)? {
        switch name {
        case "smooth": smooth
        case "interacting": interacting
        default: nil
        }
    }

    static func dictionary(_ settings: [ParameterSetting]) -> [String: ParameterValue] {
        Dictionary(uniqueKeysWithValues: settings.map { ($0.key, $0.value) })
    }

    /// The best value after `n` configurations of TPE with `batch` proposals per generation, generation by
    /// generation as the scheduler runs them (each from the earlier generations' results only).
    static func bestTPE(_ f: (Configuration) -> Double, seed: UInt64, n: Int, batch: Int) throws -> Double {
        let space = space(seed: seed, samples: n, method: .tpe(batch: batch, startup: SearchMethod.defaultStartup))
        let sampler = TPESampler(space: space, higherIsBetter: true)
        var observations = try space.draw().map { s in
            TPESampler.Observation(configuration: dictionary(s), value: f(Configuration(dictionary(s))))
        }
        while observations.count < n {
            var known = Set(observations.map(\.configuration))
            var generation: [[String: ParameterValue]] = []
            for k in observations.count..<min(observations.count + batch, n) {
                let proposal = dictionary(try sampler.propose(sample: k, observations: observations, known: known))
                known.insert(proposal)
                generation.append(proposal)
            }
            observations += generation.map { .init(configuration: $0, value: f(Configuration($0))) }
        }
        return observations.map(\.value).max()!
    }

    static func bestRandom(_ f: (Configuration) -> Double, seed: UInt64, n: Int) throws -> Double {
        try space(seed: seed, samples: n, method: .random).draw().map { f(Configuration(dictionary($0))) }.max()!
    }

    static func summary(_ values: [Double]) -> (mean: Double, standardError: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
        return (mean, (variance / Double(values.count)).squareRoot())
    }

    @Test(arguments: ["smooth", "interacting"])
    func notWorseThanOptunaBeyondNoise(objective: String) throws {
        let quality = try Self.load()
        let f = try #require(Self.objective(objective))
        let reference = try #require(quality.objectives[objective])
        #expect(quality.seeds == [0, 1, 2, 3, 4])
        let random = Self.summary(try quality.seeds.map { try Self.bestRandom(f, seed: $0, n: quality.trials) })
        for batch in [1, 4] {
            let ours = Self.summary(
                try quality.seeds.map { try Self.bestTPE(f, seed: $0, n: quality.trials, batch: batch) })
            let noise =
                2
                * (ours.standardError * ours.standardError
                + reference.optuna.standardError * reference.optuna.standardError).squareRoot()
            print(
                "TPE quality \(objective) N=\(quality.trials): rnnsweep batch \(batch) \(ours.mean) ± \(ours.standardError), "
                    + "Optuna \(reference.optuna.mean) ± \(reference.optuna.standardError), rnnsweep random "
                    + "\(random.mean) ± \(random.standardError), Optuna random \(reference.random.mean) ± "
                    + "\(reference.random.standardError)")
            #expect(ours.mean >= reference.optuna.mean - noise, "batch \(batch): \(ours) vs Optuna \(reference.optuna)")
            if objective == "smooth" {
                #expect(ours.mean > random.mean, "batch \(batch): \(ours) vs random \(random)")
            }
        }
    }
}
