import Foundation
import RNNTraining

/// Synchronous successive halving (Jamieson & Talwalkar 2016), decided per configuration on the mean over its seeds.
///
/// Rungs are at `min_epochs × η^k` epochs below `epochs`, then `epochs` itself. At each rung but the last, once every
/// trial of every configuration still in has reached it, the configurations are ranked by the mean of `metric` over
/// their seeds at that epoch, and the best ⌈n/η⌉ go on; the others stop. Decisions depend on the recorded metrics
/// alone — never on which trial finished first — so any worker count, executor or interruption gives the same ones.
///
/// Ranking rule: a better mean first (higher or lower as ``Metric/higherIsBetter`` says); a configuration with a
/// non-finite
/// mean (a diverged seed) ranks after every finite one; ties (equal means) go to the lower grid point, i.e. the one
/// written first in the experiment file.
public struct SuccessiveHalving: Sendable, Hashable {
    /// A validation metric (split ``MetricSplit/validation``).
    public var metric: MetricKey
    public var minEpochs: Int
    public var reductionFactor: Int

    public init(metric: MetricKey, minEpochs: Int, reductionFactor: Int) {
        precondition(minEpochs >= 1 && reductionFactor >= 2, "validated by the experiment file")
        precondition(metric.split == .validation, "halving ranks on a validation metric")
        self.metric = metric
        self.minEpochs = minEpochs
        self.reductionFactor = reductionFactor
    }

    /// What a decision is recorded under (`rungs.rule`): a changed rule never reuses another rule's decisions.
    public var signature: String {
        "successive_halving metric=\(metric.recordName) min_epochs=\(minEpochs) reduction_factor=\(reductionFactor)"
    }

    /// The epochs of the rungs for trials of `epochs` epochs, ascending; the last is `epochs`.
    public func rungs(epochs: Int) -> [Int] {
        var rungs: [Int] = []
        var epoch = minEpochs
        while epoch < epochs {
            rungs.append(epoch)
            let (next, overflow) = epoch.multipliedReportingOverflow(by: reductionFactor)
            if overflow { break }
            epoch = next
        }
        return rungs + [epochs]
    }

    /// How many configurations out of `count` go on from a rung.
    public func kept(of count: Int) -> Int { count == 0 ? 0 : (count + reductionFactor - 1) / reductionFactor }

    /// One configuration's score at a rung: the mean over its seeds (NaN when a seed's metric is missing or not
    /// finite, which ranks it last).
    public struct Score: Sendable, Equatable {
        public var gridPoint: Int
        public var mean: Double

        public init(gridPoint: Int, values: [Double?]) {
            self.gridPoint = gridPoint
            let finite = values.compactMap { $0 }.filter(\.isFinite)
            mean = values.isEmpty || finite.count < values.count ? .nan : finite.reduce(0, +) / Double(finite.count)
        }
    }

    /// The scores in rank order (best first), by the rule above.
    public func ranked(_ scores: [Score]) -> [Score] {
        scores.sorted { a, b in
            switch (a.mean.isFinite, b.mean.isFinite) {
            case (true, false): return true
            case (false, true): return false
            case (false, false): return a.gridPoint < b.gridPoint
            case (true, true):
                if a.mean != b.mean { return metric.metric.higherIsBetter ? a.mean > b.mean : a.mean < b.mean }
                return a.gridPoint < b.gridPoint
            }
        }
    }

    /// The grid points that go on from a rung, given every configuration's score there.
    public func promoted(_ scores: [Score]) -> [Int] {
        Array(ranked(scores).prefix(kept(of: scores.count)).map(\.gridPoint))
    }

    /// The most epochs successive halving can spend on `configurations` configurations of `seeds` seeds each
    /// (every kept configuration trains from its last rung to the next), against the full grid's
    /// `configurations × seeds × epochs`.
    public func budget(configurations: Int, seeds: Int, epochs: Int) -> Int {
        var alive = configurations
        var previous = 0
        var total = 0
        for (k, rung) in rungs(epochs: epochs).enumerated() {
            if k > 0 { alive = kept(of: alive) }
            total += alive * seeds * (rung - previous)
            previous = rung
        }
        return total
    }
}

extension ExpandedSweep {
    /// `plan`'s line on a successive-halving sweep: its rungs and the most epochs it can train, against the grid's.
    public func halvingSummary(_ rule: SuccessiveHalving) -> String {
        let epochs = trials.first?.parameters.int("epochs") ?? 0
        let most = rule.budget(configurations: gridPointCount, seeds: seeds.count, epochs: epochs)
        let full = gridPointCount * seeds.count * epochs
        return "successive halving: rungs at epochs "
            + rule.rungs(epochs: epochs).map(String.init).joined(separator: ", ")
            + "; the best 1/\(rule.reductionFactor) of the configurations by mean \(rule.metric.recordName) go on at each; "
            + "at most \(most) epochs of training, against \(full) for the full grid"
            + (full > 0 ? String(format: " (%.1f× fewer)", Double(full) / Double(max(most, 1))) : "")
    }
}
