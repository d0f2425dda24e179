import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// rnnsweep's Parzen estimators against Optuna's, quantity by quantity, on fixed observation sets
/// (`Fixtures/tpe-reference.json`, from `Scripts/reference/tpe_reference.py`).
@Suite struct TPESamplerReferenceTests {
    struct Reference: Decodable {
        struct Estimator: Decodable {
            var weights: [Double]
            var mus: [Double]?
            var sigmas: [Double]?
            var probabilities: [[Double]]?
        }
        struct Parameter: Decodable {
            var below: Estimator
            var above: Estimator
            var points: [Double]
            var logBelow: [Double]
            var logAbove: [Double]
        }
        struct Observation: Decodable {
            var configuration: [String: Double]
            var value: Double
            var stoppedAt: Int?
        }
        struct Case: Decodable {
            var name: String
            var higherIsBetter: Bool
            var observations: [Observation]
            var below: [Int]
            var parameters: [String: Parameter]
        }
        var estimators: [Case]
    }

    static func load() throws -> Reference {
        let url = try #require(
            Bundle.module.url(forResource: "tpe-reference", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    /// The estimator cases' space, as in the script.
    static let space = SearchSpace(
        samples: 100, seed: 0,
        dimensions: [
            .init(key: "cell", distribution: .choice(["simple_rnn", "lstm", "gru"].map { .string($0) }), position: .start),
            .init(key: "units", distribution: .intLogUniform(16, 256), position: .start),
            .init(key: "layers", distribution: .intUniform(1, 4), position: .start),
            .init(key: "learning_rate", distribution: .logUniform(3.0e-4, 1.0e-2), position: .start),
            .init(key: "dropout", distribution: .uniform(0, 0.4), position: .start),
        ],
        position: .start, method: .tpe(batch: 1, startup: 10))

    /// An internal value of the fixture as the parameter's value.
    static func value(_ x: Double, _ distribution: SearchSpace.Distribution) -> ParameterValue {
        switch distribution {
        case .choice(let choices): choices[Int(x)]
        case .intUniform, .intLogUniform: .int(Int(x))
        case .uniform, .logUniform: .double(x)
        }
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b)) || abs(a - b) <= 1e-12
    }

    static func close(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy(close) }

    @Test func gammaAndWeightsAreOptunasDefaults() {
        #expect([0, 1, 10, 11, 100, 249, 250, 1000].map(TPESampler.gamma) == [0, 1, 1, 2, 10, 25, 25, 25])
        #expect(TPESampler.weights(24) == Array(repeating: 1, count: 24))
        #expect(TPESampler.weights(26) == [1 / 26.0] + Array(repeating: 1, count: 25))
        let w = TPESampler.weights(30)
        #expect(w.count == 30 && w[0] == 1 / 30.0 && w[4] == 1 && w[1] > w[0] && w[3] < 1)
    }

    @Test func splitAndEstimatorsMatchOptuna() throws {
        let reference = try Self.load()
        #expect(reference.estimators.count == 4)
        for c in reference.estimators {
            let sampler = TPESampler(space: Self.space, higherIsBetter: c.higherIsBetter)
            let observations = c.observations.map { o in
                TPESampler.Observation(
                    configuration: Dictionary(
                        uniqueKeysWithValues: Self.space.dimensions.map {
                            ($0.key, Self.value(o.configuration[$0.key]!, $0.distribution))
                        }), value: o.value, stoppedAt: o.stoppedAt)
            }
            let (below, above) = sampler.split(observations)
            #expect(below == c.below, "\(c.name): below")
            for d in Self.space.dimensions {
                let p = try #require(c.parameters[d.key])
                let internalValues = { (indices: [Int]) in
                    indices.map { TPESampler.internalValue(observations[$0].configuration[d.key]!, d.distribution)! }
                }
                for (side, indices, expected, logs) in [
                    ("below", below, p.below, p.logBelow), ("above", above, p.above, p.logAbove),
                ] {
                    let estimator = TPESampler.estimator(internalValues(indices), d.distribution)
                    let label = "\(c.name): \(d.key) \(side)"
                    #expect(Self.close(estimator.weights, expected.weights), "\(label) weights")
                    switch estimator {
                    case .categorical(_, let probabilities):
                        let reference = try #require(expected.probabilities, "\(label)")
                        #expect(probabilities.count == reference.count, "\(label)")
                        for (row, referenceRow) in zip(probabilities, reference) {
                            #expect(Self.close(row, referenceRow), "\(label) probabilities")
                        }
                    case .numerical(_, let mus, let sigmas, _, _, _, _):
                        #expect(Self.close(mus, try #require(expected.mus)), "\(label) mus")
                        #expect(Self.close(sigmas, try #require(expected.sigmas)), "\(label) sigmas")
                    }
                    let computed = p.points.map { TPESampler.logDensity(estimator, at: $0) }
                    #expect(Self.close(computed, logs), "\(label) log density \(computed) vs \(logs)")
                }
            }
        }
    }

    @Test func truncatedNormalQuantileInvertsTheMass() {
        // Drawing is not compared with Optuna (other random streams), but must be a truncated normal's quantile.
        for (mu, sigma, low, high) in [(0.0, 1.0, -1.0, 2.0), (5.0, 0.5, 0.0, 4.0), (-3.0, 0.1, -2.0, 1.0)] {
            for q in [0.001, 0.25, 0.5, 0.9, 0.999] {
                let x = TruncatedNormal.quantile(q, mu: mu, sigma: sigma, low: low, high: high)
                let mass =
                    exp(
                        TruncatedNormal.logMass((low - mu) / sigma, (x - mu) / sigma)
                            - TruncatedNormal.logMass((low - mu) / sigma, (high - mu) / sigma))
                #expect(x >= low && x <= high && abs(mass - q) < 1e-9, "q \(q) mu \(mu): \(x) has mass \(mass)")
            }
        }
    }
}
