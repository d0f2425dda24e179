import Foundation
import RNNTraining

/// Where trials run: local worker processes (`LocalLauncher`) or Slurm array tasks (`SlurmLauncher`). A launcher
/// starts trials, stops them, and reports what happens to each as `LaunchEvent`s through the `deliver` closure it
/// was made with, in order per trial and ending with `.ended`. It never writes the database: the coordinator hands
/// every event to the recorder.
protocol TrialLauncher: AnyObject {
    /// Trials that may be in flight at once (Slurm throttles its arrays itself, so it takes all that are ready).
    var capacity: Int { get }
    /// Starts the trials (as one batch where the launcher can: one array job on Slurm). A request that cannot be
    /// started comes back as a failure for that trial alone.
    func launch(_ requests: [LaunchRequest]) -> [Result<LaunchedTrial, SweepRunError>]
    /// Asks a trial to stop (SIGTERM, `scancel`); with `force`, ends it now (SIGKILL).
    func stop(_ trial: LaunchedTrial, force: Bool)
    /// Periodic work on the coordinator's thread: a launcher that follows files or polls a scheduler does it here.
    func poll()
    /// Forgets a trial whose `.ended` the coordinator has handled (frees its lane).
    func release(_ trial: LaunchedTrial)
    /// Why the scheduler cannot be asked now (Slurm: its controller is not answering), nil when it can: trials in
    /// flight can then be neither followed to their end nor stopped.
    var schedulerTrouble: String? { get }
}

extension TrialLauncher {
    func poll() {}
    func release(_ trial: LaunchedTrial) {}
    var schedulerTrouble: String? { nil }
}

/// One trial the coordinator asks a launcher to run.
struct LaunchRequest: Sendable {
    var trial: TrialSpec
    var request: WorkerRequest
    /// 1 for the first start of the trial in this run, 2 for its first retry, …
    var attempt: Int
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
    /// The Slurm array task that runs it.
    var slurmTask: SlurmTaskRef?
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

/// A Slurm array task: `<jobID>_<arrayIndex>`, with its submission folder.
struct SlurmTaskRef: Sendable, Hashable {
    var jobID: String
    var arrayIndex: Int
    var folder: String

    var slurmID: String { "\(jobID)_\(arrayIndex)" }
}
