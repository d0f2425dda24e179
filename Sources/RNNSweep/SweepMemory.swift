import Foundation
import RNNTraining

/// The ``MemoryEstimate`` of each trial of a sweep, against a ``MemoryLimit``: what `plan` shows and `run` checks.
///
/// Generated data is estimated from the parameters alone (``generated(_:limit:)``) before the data check, which
/// would otherwise generate it: a set too large is never generated. Data read from files is estimated once checked
/// (``add(_:)``), from the sizes it loaded with.
public struct SweepMemory: Sendable {
    public var limit: MemoryLimit?
    /// By trial ordinal.
    public private(set) var estimates: [Int: MemoryEstimate] = [:]

    /// The estimates of the trials of `trials` whose data is generated.
    public static func generated(_ trials: [TrialSpec], limit: MemoryLimit?) throws -> SweepMemory {
        var memory = SweepMemory(limit: limit)
        for trial in trials {
            if let estimate = try MemoryEstimate.generated(trial.parameters) {
                memory.estimates[trial.ordinal] = estimate
            }
        }
        return memory
    }

    /// Adds the estimates of the checked trials that read files.
    public mutating func add(_ data: SweepData) throws {
        for set in data.dataSets where set.spec.generatedSize == nil {
            let members = Set(set.trials)
            for trial in data.trials where members.contains(trial.ordinal) {
                estimates[trial.ordinal] = try MemoryEstimate.trial(
                    trial.parameters, shape: set.shape, dataBytes: set.bytes)
            }
        }
    }

    /// Whether the trial fits (a trial without an estimate yet does, until its data is checked).
    public func fits(_ trial: TrialSpec) -> Bool {
        guard let limit, let estimate = estimates[trial.ordinal] else { return true }
        return estimate.bytes <= limit.bytes
    }

    /// The trials of `trials` that do not fit, in order.
    public func tooLarge(_ trials: [TrialSpec]) -> [TrialSpec] { trials.filter { !fits($0) } }

    /// `#3 needs ≈ 45.2 GB (model …)`, one per trial that does not fit.
    public func lines(_ trials: [TrialSpec]) -> [String] {
        tooLarge(trials).map { "#\($0.ordinal) \($0.id) needs ≈ \(estimates[$0.ordinal]!.description)" }
    }

    /// `run`'s refusal: the trials that do not fit, and the limit; nil when all fit.
    public func refusal(_ trials: [TrialSpec]) -> String? {
        let lines = lines(trials)
        guard !lines.isEmpty, let limit else { return nil }
        return "\(lines.count) trial(s) need more memory than \(limit.description); nothing was started:\n  "
            + lines.joined(separator: "\n  ")
            + "\nShrink them (batch_size, units, layers, sequence_length, samples), or give --memory if the "
            + "estimate is wrong for this machine"
    }
}
