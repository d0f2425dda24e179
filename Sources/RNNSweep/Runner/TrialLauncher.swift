import Foundation
import RNNTraining

/// An executor: where trials run (worker processes on this machine, a cluster's scheduler, …). It starts trials,
/// stops them, and reports what happens to each as `LaunchEvent`s through the `deliver` closure it was made with,
/// in order per trial and ending with `.ended`. It never writes the database: the coordinator hands every event to
/// the recorder. The loop knows executors only through this protocol, so a new executor is its own files plus its
/// case in ``ExecutorChoice`` and one line in its factory.
protocol TrialLauncher: AnyObject {
    /// Trials that may be in flight at once (a scheduler that throttles itself takes all that are ready).
    var capacity: Int { get }
    /// Starts the trials (as one batch where the executor can: one array job). A request that cannot be started
    /// comes back as a failure for that trial alone.
    func launch(_ requests: [LaunchRequest]) -> [Result<LaunchedTrial, SweepRunError>]
    /// Asks a trial to stop (SIGTERM, a cancel); with `force`, ends it now (SIGKILL).
    func stop(_ trial: LaunchedTrial, force: Bool)
    /// Periodic work on the coordinator's thread: an executor that follows files or polls a scheduler does it here.
    func poll()
    /// Forgets a trial whose `.ended` the coordinator has handled (frees its lane).
    func release(_ trial: LaunchedTrial)
    /// Why the executor's scheduler cannot be asked now (its controller is not answering), nil when it can: trials
    /// in flight can then be neither followed to their end nor stopped.
    var schedulerTrouble: String? { get }
    /// The trials (of `trials`) an earlier coordinator left in flight, taken over as launched trials.
    func adopted(trials: [TrialSpec]) -> [LaunchedTrial]
    /// True when the executor records each start itself (a journal written around a submission): the loop then
    /// records none, and measures no start-up time.
    var recordsStarts: Bool { get }
    /// True when a started trial first waits in a queue (the live view shows it queued).
    var startsQueued: Bool { get }
    /// Where its trials run, for messages: `on this machine`, `on Slurm`.
    var placeName: String { get }
}

extension TrialLauncher {
    func poll() {}
    func release(_ trial: LaunchedTrial) {}
    var schedulerTrouble: String? { nil }
    func adopted(trials: [TrialSpec]) -> [LaunchedTrial] { [] }
    var recordsStarts: Bool { false }
    var startsQueued: Bool { false }
    var placeName: String { "on this machine" }
}

/// One trial the coordinator asks a launcher to run.
struct LaunchRequest: Sendable {
    var trial: TrialSpec
    var request: WorkerRequest
    /// 1 for the first start of the trial in this run, 2 for its first retry, …
    var attempt: Int
    /// What the run's cost model expects the attempt to take, in seconds (nil without one): an executor that
    /// groups trials (Slurm tasks of several trials) sizes its groups by it.
    var estimatedSeconds: Double?
}

/// A trial a launcher has started (or submitted), as the coordinator tracks it until `.ended`.
final class LaunchedTrial: @unchecked Sendable {
    /// Unique within one coordinator run; messages carry it.
    let id: Int
    let trial: TrialSpec
    let attempt: Int
    /// Where it runs, for logs and the live view: `worker 2 (pid 4242)`, `task 12_3 on node-4`.
    var location: String
    /// The row of the live view it occupies.
    let lane: Int
    /// The local worker's process id, known at launch (a scheduler's task reports where it runs later).
    var pid: Int32?
    /// The executor's own reference to what runs it (a cluster's task id), opaque to the loop.
    var handle: (any Sendable)?
    /// When the worker last showed a sign of life (nil while queued on a scheduler): for stall detection.
    var lastSignOfLife: ContinuousClock.Instant?
    /// The longest epoch so far, for the stall timeout.
    var slowestEpoch: Double = 0
    var finished = false
    /// It stopped at its successive-halving rung (a `paused` event).
    var paused = false
    var failure: TrainingEvent.Failure?
    var stopRequested = false
    var stalledFor: Double?

    init(id: Int, trial: TrialSpec, attempt: Int, location: String, lane: Int) {
        self.id = id
        self.trial = trial
        self.attempt = attempt
        self.location = location
        self.lane = lane
    }
}

/// What a launcher reports about one launched trial.
enum LaunchEvent: Sendable {
    /// A worker process started: locally when spawned (with its pid), on Slurm when the array task began (again,
    /// after a requeue) on a node.
    case workerStarted(pid: Int32?, location: String)
    /// A scheduler's view of a queued or running task (Slurm: `PENDING (Priority)`, `RUNNING on node-4`).
    case queueState(state: String, reason: String?, node: String?)
    case event(TrainingEvent)
    /// A line the worker wrote that is not an event.
    case unparsable(String)
    case ended(TrialEnd)
}

/// A message from a launcher: the event, which launched trial it concerns, and — for events read from a file —
/// how far that file has been read once the event is recorded (so a restarted coordinator resumes exactly there).
struct LaunchMessage: Sendable {
    var launch: Int
    var event: LaunchEvent
    var cursor: EventsCursor?
}

/// A position in a Slurm task's events file.
struct EventsCursor: Sendable, Equatable {
    var jobID: String
    var arrayIndex: Int
    var offset: Int
}

/// How a worker ended, as far as its launcher can tell.
struct TrialEnd: Sendable {
    var exitStatus: Int32?
    var signal: Int32?
    /// The last lines of its stderr (the first fatal-error line kept).
    var stderrTail: String
    /// In words: `exited with status 1`, `killed by signal 9`, `ended without finishing: …`.
    var how: String
    /// Slurm: the time limit's warning signal stopped it; it resumes on the next submission.
    var timeLimit = false
    /// Slurm: it was recorded for submission but never submitted; it is simply submitted again.
    var notSubmitted = false
}
