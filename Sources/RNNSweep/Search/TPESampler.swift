import Foundation
import RNNTraining

/// A tree-structured Parzen estimator in the manner of Optuna's `TPESampler` with the defaults of Optuna 5.1 (the
/// version checked against): multivariate for one objective (Optuna 5's default; a kernel is a product over the
/// parameters, so the parameters are proposed together), 24 expected-improvement candidates,
/// γ(n) = min(⌈0.1 n⌉, 25), Optuna's default weights (older observations ramped down beyond 25), prior weight 1,
/// the magic clip, endpoints not considered.
///
/// The observations are split into the γ(n) best ("below", density l) and the rest ("above", density g); 24
/// candidates are drawn from l and the one with the largest log l(x) − log g(x) wins (a tie goes to the lower
/// candidate index). Numbers are kernels of truncated normals (log-uniform ones in log space; integer ones
/// discretized with step 1 as Optuna's `IntDistribution`), choices are categorical kernels.
///
/// Ranking (which observations are "below"): completed observations first, best value first (the direction is the
/// metric's); then those stopped early by a halving rung, as Optuna ranks pruned trials: the later the epoch
/// reached the better, then by value at that epoch. Ties keep observation order (Optuna's stable sort by trial
/// number). Observations without a finite value are not given to the sampler (Optuna leaves failed trials out),
/// nor are those with a value outside this space (a warm start's other sweep).
///
/// Determinism: for sample k, candidate c picks its kernel from a SplitMix64 stream seeded by (the search seed,
/// k, the attempt, c), and each parameter p's value from one seeded by (the search seed, k, the attempt, p, c).
/// Kernels at equal centres take their widths in observation order (numpy's argsort leaves that order to its
/// sort). Proposals are rounded as `SearchSpace` rounds random draws, and a proposal equal to an already known
/// configuration is drawn again from the next attempt's streams. The maths is pure (no I/O, no clock), and the
/// observations are a plain list so that results from other sweeps can be added (a warm start).
struct TPESampler: Sendable {
    /// One result the sampler learns from, in the order the configurations were sampled (oldest first: Optuna
    /// weighs the oldest down once there are more than 25).
    struct Observation: Sendable, Hashable {
        var configuration: [String: ParameterValue]
        /// The metric (mean over seeds) at the last epoch reached.
        var value: Double
        /// The epoch a halving rung stopped it at; nil when it completed.
        var stoppedAt: Int?

        init(configuration: [String: ParameterValue], value: Double, stoppedAt: Int? = nil) {
            self.configuration = configuration
            self.value = value
            self.stoppedAt = stoppedAt
        }
    }

    var space: SearchSpace
    var higherIsBetter: Bool

    static let candidateCount = 24
    static let priorWeight = 1.0

    /// Optuna's `default_gamma`: how many observations form the "below" density.
    static func gamma(_ n: Int) -> Int { min((n + 9) / 10, 25) }

    /// Optuna's `default_weights`: ones up to 25 observations, else a linear ramp from 1/n for the oldest n − 25.
    static func weights(_ n: Int) -> [Double] {
        guard n >= 25 else { return Array(repeating: 1, count: n) }
        let count = n - 25
        var ramp: [Double] = []
        if count == 1 {
            ramp = [1 / Double(n)]
        } else if count > 1 {
            let start = 1 / Double(n)
            let step = (1 - start) / Double(count - 1)
            ramp = (0..<count).map { Double($0) * step + start }
            ramp[count - 1] = 1
        }
        return ramp + Array(repeating: 1, count: 25)
    }

    /// The indices of the "below" and "above" observations, each in observation order.
    func split(_ observations: [Observation]) -> (below: [Int], above: [Int]) {
        let usable = observations.indices.filter { observations[$0].value.isFinite }
        let better: (Double, Double) -> Bool = higherIsBetter ? { $0 > $1 } : { $0 < $1 }
        let completed = usable.filter { observations[$0].stoppedAt == nil }
        let stopped = usable.filter { observations[$0].stoppedAt != nil }
        let rankedCompleted = completed.enumerated().sorted { x, y in
            let (a, b) = (observations[x.element].value, observations[y.element].value)
            return a == b ? x.offset < y.offset : better(a, b)
        }.map(\.element)
        let rankedStopped = stopped.enumerated().sorted { x, y in
            let (a, b) = (observations[x.element], observations[y.element])
            if a.stoppedAt! != b.stoppedAt! { return a.stoppedAt! > b.stoppedAt! }
            return a.value == b.value ? x.offset < y.offset : better(a.value, b.value)
        }.map(\.element)
        let ranked = rankedCompleted + rankedStopped
        let n = Self.gamma(ranked.count)
        return (ranked.prefix(n).sorted(), ranked.dropFirst(n).sorted())
    }

    /// The Parzen estimator of one parameter built from `values` (in observation order): Optuna's
    /// `_ParzenEstimator` for a one-dimensional search space.
    enum Estimator: Sendable, Equatable {
        /// Kernel k picks choice c with probability `probabilities[k][c]`.
        case categorical(weights: [Double], probabilities: [[Double]])
        /// Truncated normals on [low, high] (in log space for log scales; widened by half a step for integers).
        case numerical(
            weights: [Double], mus: [Double], sigmas: [Double], low: Double, high: Double, integer: Bool,
            logScale: Bool)

        var weights: [Double] {
            switch self {
            case .categorical(let w, _), .numerical(let w, _, _, _, _, _, _): w
            }
        }
    }

    /// The internal value of `value` under `distribution` (a choice's index, or the number), nil when it lies
    /// outside it (an observation from a sweep with another space).
    static func internalValue(_ value: ParameterValue, _ distribution: SearchSpace.Distribution) -> Double? {
        switch distribution {
        case .choice(let choices): return choices.firstIndex(of: value).map(Double.init)
        case .uniform(let a, let b), .logUniform(let a, let b):
            guard let x = value.doubleValue, x >= a, x <= b else { return nil }
            return x
        case .intUniform(let a, let b), .intLogUniform(let a, let b):
            guard let x = value.intValue, x >= a, x <= b else { return nil }
            return Double(x)
        }
    }

    static func estimator(_ values: [Double], _ distribution: SearchSpace.Distribution) -> Estimator {
        var weights = values.isEmpty ? [1.0] : Self.weights(values.count) + [priorWeight]
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        switch distribution {
        case .choice(let choices):
            let n = choices.count
            guard !values.isEmpty else {
                return .categorical(weights: weights, probabilities: [Array(repeating: 1 / Double(n), count: n)])
            }
            let kernels = values.count + 1
            var rows = Array(repeating: Array(repeating: priorWeight / Double(kernels), count: n), count: kernels)
            for (k, v) in values.enumerated() { rows[k][Int(v)] += 1 }
            rows = rows.map { row in
                let sum = row.reduce(0, +)
                return row.map { $0 / (sum == 0 ? 1 : sum) }
            }
            return .categorical(weights: weights, probabilities: rows)
        case .uniform(let a, let b):
            return numerical(values, weights, low: a, high: b, integer: false, logScale: false)
        case .logUniform(let a, let b):
            return numerical(values, weights, low: a, high: b, integer: false, logScale: true)
        case .intUniform(let a, let b):
            return numerical(values, weights, low: Double(a), high: Double(b), integer: true, logScale: false)
        case .intLogUniform(let a, let b):
            return numerical(values, weights, low: Double(a), high: Double(b), integer: true, logScale: true)
        }
    }

    /// Optuna's `_calculate_numerical_distributions` with the magic clip and without considering endpoints.
    private static func numerical(
        _ values: [Double], _ weights: [Double], low a: Double, high b: Double, integer: Bool, logScale: Bool
    ) -> Estimator {
        var (low, high) = integer ? (a - 0.5, b + 0.5) : (a, b)
        var mus = values
        if logScale {
            mus = mus.map { log($0) }
            (low, high) = (log(low), log(high))
        }
        let order = mus.indices.sorted { mus[$0] == mus[$1] ? $0 < $1 : mus[$0] < mus[$1] }
        let sorted: [Double] = [low] + order.map { mus[$0] } + [high]
        var sortedSigmas: [Double] = []
        for i in 1..<(sorted.count - 1) {
            let left: Double = sorted[i] - sorted[i - 1]
            let right: Double = sorted[i + 1] - sorted[i]
            sortedSigmas.append(max(left, right))
        }
        if sorted.count >= 4 {
            sortedSigmas[0] = sorted[2] - sorted[1]
            sortedSigmas[mus.count - 1] = sorted[sorted.count - 2] - sorted[sorted.count - 3]
        }
        var sigmas = Array(repeating: 0.0, count: mus.count)
        for (position, index) in order.enumerated() { sigmas[index] = sortedSigmas[position] }
        let maxSigma = high - low
        let minSigma = (high - low) / min(100, 1 + Double(mus.count + 1))
        sigmas = sigmas.map { min(max($0, minSigma), maxSigma) }
        return .numerical(
            weights: weights, mus: mus + [0.5 * (low + high)], sigmas: sigmas + [high - low], low: low, high: high,
            integer: integer, logScale: logScale)
    }

    /// Each kernel's log density (a number) or log probability (a choice's index; an integer) at `x`, given in
    /// the parameter's own scale, without the kernel's weight.
    static func kernelLogDensities(_ estimator: Estimator, at x: Double) -> [Double] {
        switch estimator {
        case .categorical(_, let probabilities):
            return probabilities.map { log($0[Int(x)]) }
        case .numerical(_, let mus, let sigmas, let low, let high, let integer, let logScale):
            return mus.indices.map { k in
                let (mu, sigma) = (mus[k], sigmas[k])
                guard integer else {
                    return TruncatedNormal.logPDF(logScale ? log(x) : x, mu: mu, sigma: sigma, low: low, high: high)
                }
                let left = logScale ? log(x - 0.5) : x - 0.5
                let right = logScale ? log(x + 0.5) : x + 0.5
                return TruncatedNormal.logMass((left - mu) / sigma, (right - mu) / sigma)
                    - TruncatedNormal.logMass((low - mu) / sigma, (high - mu) / sigma)
            }
        }
    }

    /// log of the mixture's density at `xs` (one value per estimator, all sharing the kernels' weights): Optuna's
    /// `_MixtureOfProductDistribution.log_pdf`.
    static func logDensity(_ estimators: [Estimator], at xs: [Double]) -> Double {
        let weights = estimators[0].weights
        var terms = weights.map { log($0) }
        for (estimator, x) in zip(estimators, xs) {
            for (k, v) in kernelLogDensities(estimator, at: x).enumerated() { terms[k] += v }
        }
        var top = terms.max() ?? 0
        if top == -.infinity { top = 0 }
        return log(terms.reduce(0) { $0 + exp($1 - top) }) + top
    }

    static func logDensity(_ estimator: Estimator, at x: Double) -> Double { logDensity([estimator], at: [x]) }

    /// A kernel index drawn by the kernels' weights.
    static func kernel(_ weights: [Double], _ rng: inout SplitMix64) -> Int {
        let u = rng.nextDouble()
        var cumulative = 0.0
        for (i, w) in weights.enumerated() {
            cumulative += w
            if u < cumulative { return i }
        }
        return weights.count - 1
    }

    /// A draw from kernel `k` of the estimator, in the parameter's own scale.
    static func draw(_ estimator: Estimator, kernel k: Int, _ rng: inout SplitMix64) -> Double {
        let q = rng.nextDouble()
        switch estimator {
        case .categorical(_, let probabilities):
            var sum = 0.0
            for (c, p) in probabilities[k].enumerated() {
                sum += p
                if q < sum { return Double(c) }
            }
            return Double(probabilities[k].count - 1)
        case .numerical(_, let mus, let sigmas, let low, let high, let integer, let logScale):
            let y = TruncatedNormal.quantile(q, mu: mus[k], sigma: sigmas[k], low: low, high: high)
            let x = logScale ? exp(y) : y
            guard integer else { return x }
            // Optuna's discretization: round half to even onto the step-1 grid, within the bounds.
            let (a, b) = logScale ? (exp(low) + 0.5, exp(high) - 0.5) : (low + 0.5, high - 0.5)
            let (lo, hi) = (a.rounded(), b.rounded())
            return min(max(lo + (x - lo).rounded(.toNearestOrEven), lo), hi)
        }
    }

    /// The estimators l and g of every dimension, from the observations inside the space.
    func estimators(_ observations: [Observation]) -> (below: [Estimator], above: [Estimator]) {
        let inside = observations.compactMap { o -> (observation: Observation, xs: [Double])? in
            let xs = space.dimensions.compactMap { d in
                o.configuration[d.key].flatMap { Self.internalValue($0, d.distribution) }
            }
            return xs.count == space.dimensions.count ? (o, xs) : nil
        }
        let (below, above) = split(inside.map(\.observation))
        func build(_ indices: [Int]) -> [Estimator] {
            space.dimensions.enumerated().map { p, d in
                Self.estimator(indices.map { inside[$0].xs[p] }, d.distribution)
            }
        }
        return (build(below), build(above))
    }

    /// The configuration of sample `sample` (its index among the search's samples) from `observations`, distinct
    /// from every configuration in `known` (those sampled so far, with or without a result). Throws when 1000
    /// attempts give only known configurations.
    func propose(sample: Int, observations: [Observation], known: Set<[String: ParameterValue]>)
        throws(SearchSpaceError) -> [ParameterSetting]
    {
        let (l, g) = estimators(observations)
        for attempt in 0..<1000 {
            let stream = UInt64(sample) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(attempt)
            var best: (xs: [Double], score: Double)?
            for c in 0..<Self.candidateCount {
                var pick = SplitMix64.stream(stream, of: space.seed ^ SearchSpace.fnv("tpe\u{0}\(c)"))
                let k = Self.kernel(l[0].weights, &pick)
                let xs = space.dimensions.enumerated().map { p, d in
                    var rng = SplitMix64.stream(stream, of: space.seed ^ SearchSpace.fnv("tpe\u{0}\(d.key)\u{0}\(c)"))
                    return Self.draw(l[p], kernel: k, &rng)
                }
                let score = Self.logDensity(l, at: xs) - Self.logDensity(g, at: xs)
                if best == nil || score > best!.score { best = (xs, score) }
            }
            let settings = zip(space.dimensions, best!.xs).map { d, x in
                ParameterSetting(key: d.key, value: Self.value(x, d.distribution), position: d.position)
            }
            let key = Dictionary(uniqueKeysWithValues: settings.map { ($0.key, $0.value) })
            if !known.contains(key) { return settings }
        }
        throw SearchSpaceError(
            message: "TPE gave only configurations already tried in 1000 draws for sample \(sample + 1); "
                + "ask for fewer samples or widen the space")
    }

    /// An internal value as the parameter's value, rounded as random search rounds.
    static func value(_ x: Double, _ distribution: SearchSpace.Distribution) -> ParameterValue {
        switch distribution {
        case .choice(let choices): choices[Int(x)]
        case .uniform, .logUniform: .double(SearchSpace.round(x))
        case .intUniform, .intLogUniform: .int(Int(x))
        }
    }
}
