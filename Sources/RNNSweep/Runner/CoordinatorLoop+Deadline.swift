import Foundation
import RNNTraining

/// A deadline in the loop (``RunDeadline``): a run the cost model says cannot finish in time does not start (its
/// trial stays as it was, and the scheduler gets it back as an interrupted attempt that never ran); at the deadline
/// the trials still running are stopped as a user's Ctrl-C stops them (SIGTERM, then the grace period) and left
/// `interrupted`, to resume from their last checkpoint.
extension CoordinatorLoop {
    /// Whether `run` may start now; when it may not, the scheduler has it back. `seen` are the trials refused in
    /// this fill: one coming back means nothing more fits now.
    mutating func deadlineAdmits(_ run: ScheduledRun) -> Bool {
        guard var deadline else { return true }
        let done = lastEpochs[run.trial.id] ?? initialEpochs[run.trial.id] ?? 0
        let now = Date()
        let wasRefused = deadline.refused.contains(run.trial.id)
        let fits = deadline.admits(run, done: done, now: now)
        self.deadline = deadline
        if !fits {
            if !wasRefused {
                reporter.note(
                    "#\(run.trial.ordinal) \(run.trial.id) not started: it would take "
                        + "\(PlanEstimate.duration(deadline.seconds(run, done: done))) by the cost model, and "
                        + "\(PlanEstimate.duration(max(0, deadline.instant.timeIntervalSince(now)))) are left before "
                        + "the deadline \(deadline.label); it stays as it was, for the next run")
            }
            scheduler.ended(trial: run.trial.id, .interrupted)
        }
        return fits
    }

    /// Stops the running trials once the deadline has come.
    mutating func checkDeadline() {
        guard let deadline, !deadline.reached, !stopping, Date() >= deadline.instant else { return }
        self.deadline?.reached = true
        stopping = true
        reporter.note(
            "deadline \(deadline.label) reached: stopping \(inFlight.count) running trial(s); they become "
                + "'interrupted' and resume from their last checkpoint with the next `run`")
        stopAll()
    }

    /// A recorded epoch, for the cost model.
    mutating func deadlineEpoch(_ trial: TrialSpec, seconds: Double) {
        deadline?.epoch(trial, seconds: seconds)
    }

    /// An attempt's end, for the cost model: its wall time from spawn minus its epochs is its overhead.
    mutating func deadlineAttemptEnded(_ launched: LaunchedTrial) {
        guard deadline != nil else { return }
        let wall = spawnedAt[launched.id].map { (ContinuousClock.now - $0).seconds }
        deadline?.attemptEnded(launched.trial, wall: launched.finished ? wall : nil)
    }

    /// The deadline's line for the summary.
    mutating func finishDeadline() {
        guard let deadline else { return }
        let notStarted = max(0, scheduler.runnableCount - summary.interrupted)
        summary.deadlineLine = deadline.line(
            completed: summary.completed, interrupted: summary.interrupted, notStarted: notStarted)
        summary.deadlineNotStarted = notStarted
    }
}
