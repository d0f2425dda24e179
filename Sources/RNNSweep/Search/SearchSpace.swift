import Foundation
import RNNTraining

/// A `search:` block: `samples` configurations drawn from distributions over parameters, each run at every grid
/// point (and every seed).
///
/// Determinism: sample k draws each parameter from its own SplitMix64 stream, seeded by (the block's `seed`, k, the
/// parameter's name), so the same file gives the same samples, raising `samples` from N to 2N keeps the first N, and
/// adding a parameter to the space changes no other parameter's values. Continuous values are rounded to 4
/// significant digits (so the value a trial id hashes does not depend on the last bits of a platform's `log`/`exp`).
/// A sample that repeats an earlier one (likely when the space is all choices) is drawn again from the next streams.
public struct SearchSpace: Sendable, Hashable {
    public enum Distribution: Sendable, Hashable {
        case uniform(Double, Double)
        case logUniform(Double, Double)
        case intUniform(Int, Int)
        case intLogUniform(Int, Int)
        case choice([ParameterValue])

        /// The key written in the file (`log_uniform`, …).
        public var name: String {
            switch self {
            case .uniform: "uniform"
            case .logUniform: "log_uniform"
            case .intUniform: "int_uniform"
            case .intLogUniform: "int_log_uniform"
            case .choice: "choice"
            }
        }

        public static let names = ["uniform", "log_uniform", "int_uniform", "int_log_uniform", "choice"]

        /// The numbers or choices written in the file.
        public var values: [ParameterValue] {
            switch self {
            case .uniform(let a, let b), .logUniform(let a, let b): [.double(a), .double(b)]
            case .intUniform(let a, let b), .intLogUniform(let a, let b): [.int(a), .int(b)]
            case .choice(let values): values
            }
        }
    }

    /// One parameter's distribution, with where it is written.
    public struct Dimension: Sendable, Hashable {
        public var key: String
        public var distribution: Distribution
        public var position: SourcePosition

        public init(key: String, distribution: Distribution, position: SourcePosition) {
            self.key = key
            self.distribution = distribution
            self.position = position
        }
    }

    public var samples: Int
    public var seed: UInt64
    public var dimensions: [Dimension]
    public var position: SourcePosition
    /// Random search, or TPE (whose later samples are proposed while the sweep runs).
    public var method: SearchMethod
    /// TPE only: earlier sweeps of the database whose matching trials seed the sampler, in the order written.
    public var warmStart: [WarmStartSource]

    public init(
        samples: Int, seed: UInt64, dimensions: [Dimension], position: SourcePosition, method: SearchMethod = .random,
        warmStart: [WarmStartSource] = []
    ) {
        self.samples = samples
        self.seed = seed
        self.dimensions = dimensions
        self.position = position
        self.method = method
        self.warmStart = warmStart
    }

    /// Significant digits kept of continuous draws.
    public static let significantDigits = 4

    /// The drawn configurations in sample order, each as parameter settings placed at its dimension's position:
    /// all `samples` for random search, the start-up samples for TPE (``SearchMethod/samplesBeforeRun(of:)``).
    /// Throws (with a message) when the space has fewer distinct configurations than that.
    public func draw() throws(SearchSpaceError) -> [[ParameterSetting]] {
        var drawn: [[ParameterSetting]] = []
        var seen = Set<[String: ParameterValue]>()
        for k in 0..<method.samplesBeforeRun(of: samples) {
            var attempt = 0
            while true {
                let sample = dimensions.map { d in
                    ParameterSetting(key: d.key, value: value(d, sample: k, attempt: attempt), position: d.position)
                }
                let key = Dictionary(uniqueKeysWithValues: sample.map { ($0.key, $0.value) })
                if seen.insert(key).inserted {
                    drawn.append(sample)
                    break
                }
                attempt += 1
                if attempt >= 1000 {
                    throw SearchSpaceError(
                        message: "the space gave only \(drawn.count) distinct configurations in 1000 draws for "
                            + "sample \(k + 1); ask for fewer samples or widen the space")
                }
            }
        }
        return drawn
    }

    private func value(_ d: Dimension, sample: Int, attempt: Int) -> ParameterValue {
        var rng = SplitMix64.stream(
            UInt64(sample) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(attempt), of: seed ^ Self.fnv(d.key))
        switch d.distribution {
        case .uniform(let a, let b): return .double(Self.round(a + (b - a) * rng.nextDouble()))
        case .logUniform(let a, let b): return .double(Self.round(exp(log(a) + (log(b) - log(a)) * rng.nextDouble())))
        case .intUniform(let a, let b): return .int(a + rng.nextInt(below: b - a + 1))
        case .intLogUniform(let a, let b):
            let x = exp(log(Double(a)) + (log(Double(b) + 1) - log(Double(a))) * rng.nextDouble())
            return .int(min(b, max(a, Int(x.rounded(.down)))))
        case .choice(let values): return values[rng.nextInt(below: values.count)]
        }
    }

    /// `x` to `significantDigits` significant digits, through its decimal text (the same on every platform).
    static func round(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x == 0 ? 0 : x }
        return Double(String(format: "%.\(significantDigits - 1)e", x)) ?? x
    }

    /// 64-bit FNV-1a of a parameter name, to give each parameter its own stream.
    static func fnv(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}

/// Why a search space could not give its samples.
public struct SearchSpaceError: Error, Sendable {
    public var message: String
}

/// An `early_stopping:` block.
public struct EarlyStopping: Sendable, Hashable {
    public var rule: SuccessiveHalving
    /// How the rule is applied: synchronously, asynchronously, or in Hyperband's brackets.
    public var method: HalvingMethod = .successiveHalving
    public var position: SourcePosition
    /// False when the file left `metric:` out and the rule took the task's default (the validation value of its
    /// ``Task/primaryMetric``).
    public var metricGiven: Bool

    public init(
        rule: SuccessiveHalving, position: SourcePosition, metricGiven: Bool = true,
        method: HalvingMethod = .successiveHalving
    ) {
        self.rule = rule
        self.method = method
        self.position = position
        self.metricGiven = metricGiven
    }
}
