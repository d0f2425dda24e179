import Foundation
import RNNTraining

extension ExpandedSweep {
    /// `plan`'s lines on a sweep with `early_stopping:`: the rungs (or brackets) and the most epochs each can train.
    public func earlyStoppingSummary(_ stopping: EarlyStopping) -> String {
        let epochs = trials.first?.parameters.int("epochs") ?? 0
        let full = gridPointCount * seeds.count * epochs
        switch stopping.method {
        case .successiveHalving:
            return halvingSummary(stopping.rule)
        case .asyncHalving:
            let typical = stopping.rule.budget(configurations: gridPointCount, seeds: seeds.count, epochs: epochs)
            return "asynchronous successive halving: rungs at epochs "
                + stopping.rule.rungs(epochs: epochs).map(String.init).joined(separator: ", ")
                + "; configurations are decided in grid order, each against those before it (best ⌈n/"
                + "\(stopping.rule.reductionFactor)⌉ by mean \(stopping.rule.metric.recordName) go on); about "
                + "\(typical) epochs of training when as many go on as synchronously, at most \(full) (the full grid)"
        case .hyperband:
            let hyperband = Hyperband(rule: stopping.rule, epochs: epochs)
            var lines = [
                "hyperband: \(hyperband.maxBracket + 1) brackets per iteration of \(hyperband.iterationSize) "
                    + "configurations"
            ]
            var most = 0
            for bracket in hyperband.brackets(configurations: gridPointCount) {
                let count = bracket.positions.count
                let budget = hyperband.budget(bracket: bracket.s, configurations: count, seeds: seeds.count)
                most += budget
                lines.append(
                    "  iteration \(bracket.iteration) bracket \(bracket.s): configurations \(bracket.positions.lowerBound)"
                        + "–\(bracket.positions.upperBound) (\(count)), rungs at epochs "
                        + hyperband.rungs(bracket: bracket.s).map(String.init).joined(separator: ", ")
                        + "; at most \(budget) epochs")
            }
            lines.append("at most \(most) epochs of training, against \(full) for the full grid")
            return lines.joined(separator: "\n")
        }
    }
}
