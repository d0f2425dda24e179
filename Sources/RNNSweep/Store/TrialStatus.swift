/// The lifecycle state of one trial, stored verbatim in `trials.status`.
///
/// `pending → running → completed | failed | diverged | interrupted`; a non-completed trial can be run again
/// (`running` once more), a completed one never changes. Under successive halving, a trial that has reached its
/// rung is `paused` until the rung's decision, which makes it `running` again or `stopped`.
public enum TrialStatus: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Registered, never started.
    case pending
    /// Started by a coordinator; stale when no coordinator holds the sweep.
    case running
    /// Finished normally with test metrics. Immutable.
    case completed
    /// The worker exited with an error or a signal.
    case failed
    /// Training produced a non-finite loss and was stopped.
    case diverged
    /// Stopped by the user or found `running` after a coordinator died.
    case interrupted
    /// Successive halving: trained to its rung's epoch, waiting for the rung's decision.
    case paused
    /// Successive halving: its configuration was not among the best at a rung. Keeps its epochs and checkpoint, and
    /// continues if the sweep later gives it more room (more epochs, or the rule turned off).
    case stopped

    public var description: String { rawValue }

    /// True for the status whose metrics enter a report's means.
    public var isGood: Bool { self == .completed }
}
