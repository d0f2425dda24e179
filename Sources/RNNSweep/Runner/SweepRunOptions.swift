import Foundation

/// How to run a sweep.
public struct SweepRunOptions: Sendable {
    public var databaseURL: URL
    /// Local worker processes (the local executor).
    public var workers: Int
    public var threadsPerWorker: Int
    /// Extra attempts for a trial whose worker failed (crashed, was killed, or hit an error); diverged trials are not
    /// retried, because the same seed diverges again.
    public var retries: Int
    /// The `rnnsweep` binary to start as `rnnsweep worker`.
    public var workerExecutable: URL
    /// Where trials run.
    public var executor: ExecutorChoice
    /// Only every N-th trial (by ordinal), for splitting a sweep over machines without a scheduler.
    public var shard: Shard?
    /// An executor that holds trials without a coordinator (a cluster's queue): submit what needs submitting, record
    /// it, and return without following the trials.
    public var detach: Bool
    /// Seconds without any event after which a started trial is killed as stalled; nil = max(10 min, 20 × its
    /// slowest epoch so far); 0 = never.
    public var stallTimeout: Double?
    /// Seconds between the SIGTERM of a stop and the SIGKILL of workers that have not exited.
    public var stopGrace: Double
    /// The memory a trial may need (`--memory`); nil: ``MemoryLimit/forRun(_:executor:)`` chooses. Trials beyond it
    /// are refused (``SweepMemory``).
    public var memoryLimit: MemoryLimit?
    /// When the run must end (`--until`, `--budget`, or the file's); nil: no deadline.
    public var deadline: DeadlineSpec?
    /// Local: one worker process per trial instead of workers that train trial after trial (``LocalLauncher``).
    public var freshWorkers = false

    public init(
        databaseURL: URL, workers: Int, threadsPerWorker: Int, retries: Int, workerExecutable: URL,
        executor: ExecutorChoice = .local, shard: Shard? = nil, detach: Bool = false, stallTimeout: Double? = nil,
        stopGrace: Double = 10
    ) {
        self.databaseURL = databaseURL
        self.workers = workers
        self.threadsPerWorker = threadsPerWorker
        self.retries = retries
        self.workerExecutable = workerExecutable
        self.executor = executor
        self.shard = shard
        self.detach = detach
        self.stallTimeout = stallTimeout
        self.stopGrace = stopGrace
    }
}

/// `--shard I/N`: the trials whose ordinal − 1 is I modulo N.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// Parses `I/N` with 0 ≤ I < N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else {
            return nil
        }
        index = i
        count = n
    }

    func contains(_ trial: TrialSpec) -> Bool { (trial.ordinal - 1) % count == index }

    public var description: String { "\(index)/\(count)" }
}

/// What a `run` did.
public struct SweepSummary: Sendable {
    public var total = 0
    public var alreadyCompleted = 0
    public var completed = 0
    public var failed = 0
    public var diverged = 0
    public var interrupted = 0
    /// Trials stopped by successive halving (all of the sweep's, earlier runs included).
    public var stopped = 0
    /// Failed and diverged trials from earlier runs that this run did not retry.
    public var leftFailed = 0
    public var leftDiverged = 0
    /// Trials still queued or running on a scheduler when a detached coordinator returned.
    public var inFlight = 0
    public var seconds = 0.0
    /// Mean milliseconds from sending a trial to a worker (a new one, or one kept from its last trial) to its
    /// `started` event (data loaded, model built).
    public var meanStartupMilliseconds: Double?
    /// How busy the local workers were (``WorkerBusyTime``); empty for an executor elsewhere.
    public var busy = WorkerBusyTime()
    /// True when SIGINT/SIGTERM/SIGHUP stopped the sweep.
    public var wasInterrupted = false
    /// Set when the sweep stopped because the database could not be written (a full disk).
    public var fatalError: String?
    /// Under a deadline: its closing line, and the trials it left not started.
    public var deadlineLine: String?
    public var deadlineNotStarted = 0

    /// Whether any trial of the sweep is failed or diverged now.
    public var hasFailures: Bool { failed + diverged + leftFailed + leftDiverged > 0 }
}
