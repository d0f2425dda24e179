import Foundation
import RNNTraining

/// How an attempt ended, as the coordinator records it: the outcome policy's typed verdict.
enum TrialOutcome {
    /// All epochs trained and tested.
    case completed
    /// Stopped at its rung, as asked: it waits for the rung's decision.
    case paused
    /// A non-finite loss.
    case diverged(message: String)
    /// The trial's own failure (its worker failed, stalled, or a time limit stopped it twice without progress).
    case failed(message: String)
    /// No fault of the trial's: recorded `interrupted`, it resumes from its checkpoint.
    case interrupted(Interruption)
}

/// An attempt that ended through no fault of its trial.
struct Interruption {
    /// What is recorded on the trial.
    var message: String
    var signal: Int32?
    /// What the live view shows as the reason (nil: the attempt is not shown as ended, e.g. never submitted).
    var shown: String?
    /// Counted among the run's interrupted trials.
    var counted: Bool
    /// A condition of the machine that stops the sweep (a full disk, an unwritable folder).
    var machine: MachineFailure?
}

/// Judges how an attempt ended from what its worker reported (a typed ``TrainingEvent/Failure/Kind``, never its
/// text) and what its launcher saw, in a fixed order of precedence: a lost epoch, finished, paused, diverged, a
/// machine's condition, a stall, the sweep's stop, never submitted, a time limit, and else a failure.
struct OutcomePolicy {
    /// The last epoch each trial had reached when its time limit last stopped it.
    private var timeLimitEpochs: [String: Int] = [:]

    /// The outcome of `trial`'s attempt, which ended as `end` after reaching epoch `reached`; `unrecorded` when an
    /// epoch of it could not be written, `stopping` while the sweep stops.
    mutating func judge(
        _ trial: LaunchedTrial, _ end: TrialEnd, reached: Int, unrecorded: Bool, stopping: Bool
    ) -> TrialOutcome {
        if unrecorded {
            let message = "an epoch of this attempt could not be recorded; it resumes from its checkpoint"
            return .interrupted(Interruption(message: message, shown: message, counted: true))
        }
        if trial.finished { return .completed }
        if let failure = trial.failure {
            if failure.kind == .diverged { return .diverged(message: failure.message) }
            if let machine = MachineFailure(kind: failure.kind, message: failure.message) {
                // Every other trial would fail the same way: the sweep stops, this one stays resumable.
                return .interrupted(
                    Interruption(message: failure.message, shown: failure.message, counted: true, machine: machine))
            }
        } else if trial.paused {
            return .paused
        }
        if let stalled = trial.stalledFor {
            return .failed(message: String(format: "stalled: no event for %.0f s; the worker was killed", stalled))
        }
        let failed = trial.failure != nil
        if stopping && !failed {
            return .interrupted(
                Interruption(
                    message: "sweep interrupted; \(end.how)", signal: end.signal, shown: end.how, counted: true))
        }
        if end.notSubmitted { return .interrupted(Interruption(message: end.how, counted: false)) }
        if end.timeLimit && !failed { return timeLimited(trial.trial.id, reached: reached) }
        return .failed(message: trial.failure?.message ?? "worker \(end.how)")
    }

    /// A time limit stopped the trial: it resumes, unless the last time limit stopped it at the same epoch.
    private mutating func timeLimited(_ id: String, reached: Int) -> TrialOutcome {
        if let previous = timeLimitEpochs[id], reached <= previous {
            return .failed(
                message: "stopped by its time limit twice without finishing an epoch in between (epoch \(reached)); "
                    + "give it more time (--time)")
        }
        timeLimitEpochs[id] = reached
        return .interrupted(
            Interruption(
                message: "stopped at its time limit; resumes from its checkpoint",
                shown: "time limit; resubmitting to resume from its checkpoint", counted: false))
    }
}
