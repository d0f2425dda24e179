import RNNTraining

/// Hyperband (Li et al. 2017) as brackets of successive halving.
///
/// With R = `epochs`, r = `min_epochs` and η = `reduction_factor`: s_max = ⌊log_η(R/r)⌋ (the largest s with
/// r·η^s ≤ R, in integers), and bracket s (s_max down to 0) takes n_s = ⌈(s_max+1)/(s+1)·η^s⌉ configurations, whose
/// rungs are at ⌊R/η^(s−i)⌋ epochs for i = 0 … s (the last is R). Within a bracket the rule is
/// `SuccessiveHalving`'s, unchanged: the best ⌈n/η⌉ by mean over seeds go on (the paper keeps ⌊n/η⌋; the ceiling
/// is rnnsweep's halving rule, so a bracket never stops everything).
///
/// Which configurations go to which bracket: configurations (grid points) in ascending order fill one iteration's
/// brackets from s_max down to 0 (the first n_{s_max} to bracket s_max, the next n_{s_max−1} to s_max−1, …), then
/// the next iteration's the same way. `samples:` (times the grid's points) is therefore the number of
/// configurations; it must fill at least one whole iteration (Σ n_s), and configurations beyond whole iterations
/// fill a last, partial iteration from its most aggressive bracket down.
public struct Hyperband: Sendable, Hashable {
    public var rule: SuccessiveHalving
    /// R: every trial's epochs.
    public var epochs: Int

    public init(rule: SuccessiveHalving, epochs: Int) {
        self.rule = rule
        self.epochs = epochs
    }

    /// s_max = ⌊log_η(R/r)⌋.
    public var maxBracket: Int {
        var s = 0
        var size = rule.minEpochs
        while true {
            let (next, overflow) = size.multipliedReportingOverflow(by: rule.reductionFactor)
            if overflow || next > epochs { return s }
            size = next
            s += 1
        }
    }

    /// n_s = ⌈(s_max+1)·η^s/(s+1)⌉.
    public func configurations(bracket s: Int) -> Int {
        let power = (0..<s).reduce(1) { total, _ in total * rule.reductionFactor }
        return ((maxBracket + 1) * power + s) / (s + 1)
    }

    /// The rung epochs of bracket s: ⌊R/η^(s−i)⌋ for i = 0 … s.
    public func rungs(bracket s: Int) -> [Int] {
        (0...s).map { i in
            epochs / (0..<(s - i)).reduce(1) { total, _ in total * rule.reductionFactor }
        }
    }

    /// Configurations in one iteration: Σ n_s.
    public var iterationSize: Int { (0...maxBracket).reduce(0) { $0 + configurations(bracket: $1) } }

    /// One bracket of one iteration, and the configurations (1-based positions in grid order) it holds.
    public struct Bracket: Sendable, Equatable {
        /// 1-based.
        public var iteration: Int
        public var s: Int
        public var positions: ClosedRange<Int>
    }

    /// The brackets `count` configurations fill, in the order above (an empty bracket is left out).
    public func brackets(configurations count: Int) -> [Bracket] {
        var result: [Bracket] = []
        var next = 1
        var iteration = 1
        while next <= count {
            for s in stride(from: maxBracket, through: 0, by: -1) where next <= count {
                let last = min(count, next + configurations(bracket: s) - 1)
                result.append(Bracket(iteration: iteration, s: s, positions: next...last))
                next = last + 1
            }
            iteration += 1
        }
        return result
    }

    /// What bracket s of an iteration records its decisions under.
    public func signature(iteration: Int, bracket s: Int) -> String {
        "hyperband iteration=\(iteration) bracket=\(s) metric=\(rule.metric.recordName) min_epochs=\(rule.minEpochs) "
            + "reduction_factor=\(rule.reductionFactor) epochs=\(epochs)"
    }

    /// The most epochs one bracket can spend on `count` configurations of `seeds` seeds.
    public func budget(bracket s: Int, configurations count: Int, seeds: Int) -> Int {
        var alive = count
        var previous = 0
        var total = 0
        for (i, rung) in rungs(bracket: s).enumerated() {
            if i > 0 { alive = rule.kept(of: alive) }
            total += alive * seeds * (rung - previous)
            previous = rung
        }
        return total
    }

    /// Why `count` configurations cannot run under Hyperband, or nil when they can.
    public func problem(configurations count: Int) -> String? {
        guard count < iterationSize else { return nil }
        let sizes = stride(from: maxBracket, through: 0, by: -1).map { String(configurations(bracket: $0)) }
        return "hyperband with epochs \(epochs), min_epochs \(rule.minEpochs) and reduction_factor "
            + "\(rule.reductionFactor) needs at least \(iterationSize) configurations (brackets of "
            + sizes.joined(separator: ", ") + "); this sweep has \(count): raise search: samples (or the grid), or "
            + "raise min_epochs"
    }
}

extension EarlyStopping {
    /// Why Hyperband cannot run `configurations` configurations of these trials (too few for one iteration), or nil
    /// (also for the other methods).
    func hyperbandProblem(configurations: Int, trials: [TrialSpec]) -> String? {
        guard method == .hyperband, let epochs = trials.first?.parameters.int("epochs") else { return nil }
        return Hyperband(rule: rule, epochs: epochs).problem(configurations: configurations)
    }
}
