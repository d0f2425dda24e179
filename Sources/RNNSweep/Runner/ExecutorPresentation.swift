/// What an executor says about itself in the run's shared views: the run's first line and its summary
/// (``SweepReporter``) and the closing line of a detached `run`. Those views ask through this protocol and name no
/// executor; each executor implements it in its own files, and ``ExecutorChoice/presentation`` is the one place that
/// maps a choice to its implementation.
public protocol ExecutorPresentation: Sendable {
    /// Where a run's trials go, for its first log line (`on 2 worker(s)`); `workers` is the launcher's capacity.
    func placement(workers: Int) -> String
    /// Where trials a detached coordinator left behind are, after their count: `3 queued or running on …`.
    var inFlightPlace: String { get }
}

/// Worker processes on this machine.
struct LocalPresentation: ExecutorPresentation {
    func placement(workers: Int) -> String { "on \(workers) worker(s)" }
    var inFlightPlace: String { "running on this machine" }
}
