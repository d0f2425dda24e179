import RNNTraining

/// What runs next and what stops: the seam between the coordinator's loop and a search strategy (the grid's
/// order, successive halving, Hyperband, asynchronous halving, a model-based sampler).
///
/// A scheduler is pure bookkeeping on recorded facts: the trials' recorded epochs and how their attempts ended,
/// and its own decisions, which the loop records before acting on them. It never sees processes, executors,
/// clocks or arrival order beyond those facts, so the same facts give the same schedule and decisions in any run:
/// with 1 or 64 workers, locally or on Slurm, interrupted and resumed, or replayed by the simulator.
///
/// The loop's contract: it calls `decisions()` after every fact it reports and records what comes back (new trials
/// registered with their ordinals, rung decisions written) before it asks `next()` again; a resumed run rebuilds
/// the scheduler from ``SchedulerFacts``, so nothing is decided twice.
protocol TrialScheduler {
    /// How many runs could start now (for the live view's count and the loop's end).
    var runnableCount: Int { get }
    /// True once nothing more will ever be asked for: every trial settled and no trial left to add.
    var isFinished: Bool { get }
    /// The next run to start, marking its trial in flight; nil when nothing can start now.
    mutating func next() -> ScheduledRun?
    /// A recorded epoch of a trial in flight (a resumed attempt's history comes again through this).
    mutating func recorded(trial: String, epoch: EpochMetrics)
    /// A trial resumed from its checkpoint at `epoch`: later epochs are recorded again.
    mutating func resumed(trial: String, from epoch: Int)
    /// How an attempt of a trial in flight ended, as the outcome policy judged it.
    mutating func ended(trial: String, _ ending: AttemptEnding)
    /// The decisions that are ready now, already applied to the schedule; the loop records each.
    mutating func decisions() -> [SchedulerDecision]
    /// Trials another scheduler added (a sampler wrapping this one hands its proposals to the rule that runs
    /// them): from now on they are scheduled like the trials it began with.
    mutating func admit(_ trials: [TrialSpec])
    /// Trials its recorded decisions have stopped so far (the run's summary counts them); 0 for a rule that stops
    /// none.
    var stoppedCount: Int { get }
    /// Lines for the run's log saying what a batch of decisions (one rung's, or one addition) does.
    func log(_ decisions: [SchedulerDecision]) -> [String]
}

extension TrialScheduler {
    var stoppedCount: Int { 0 }

    func log(_ decisions: [SchedulerDecision]) -> [String] {
        decisions.map { decision in
            switch decision {
            case .rung(let d, _, let metric, let stopping):
                let fate = d.promoted ? "it goes on" : "\(stopping.count) trial(s) stopped"
                return "rung \(d.rung + 1) (epoch \(d.epoch)): configuration \(d.gridPoint) ranked \(d.rank) by the "
                    + "mean \(metric.recordName) over its seeds; \(fate)"
            case .added(let trials, let reason):
                return "\(trials.count) trial(s) added: \(reason)"
            }
        }
    }
}

/// One run a scheduler asks for: train `trial` from its checkpoint up to epoch `until` and pause there (a rung),
/// or, when `until` is nil, to its last epoch and test.
struct ScheduledRun: Sendable, Equatable {
    var trial: TrialSpec
    var until: Int?
}

/// How an attempt ended, typed: the outcome policy's verdict, never a worker's text.
enum AttemptEnding: Sendable, Equatable {
    /// All epochs trained and tested (or stopped early by its own patience rule, with test metrics).
    case completed
    /// Stopped at the epoch it was asked to stop at (`ScheduledRun.until`).
    case paused
    /// A non-finite loss.
    case diverged
    /// The worker failed; `willRetry` when the loop runs it again.
    case failed(willRetry: Bool)
    /// Ended through no fault of its own (a user's stop, a time limit, a lost epoch): it may run again from its
    /// checkpoint.
    case interrupted
}

/// A decision for the recorder to write before the loop acts on it.
enum SchedulerDecision: Sendable, Equatable {
    /// A configuration's rank and fate at a rung under `rule` (its signature: a changed rule never reuses another
    /// rule's decisions); `stopping` are the trials it stops.
    case rung(HalvingState.Decision, rule: String, metric: MetricKey, stopping: [String])
    /// New trials, registered in the database with their ordinals before any of them starts; `reason` says why
    /// (`TPE generation 3 from 12 results`), for the log and the trials' notes.
    case added([TrialSpec], reason: String)
}

/// What a scheduler is (re)built from when a run begins: everything the database holds of the sweep.
struct SchedulerFacts: Sendable {
    /// Every trial of the sweep in ordinal order, those added by an earlier run's scheduler included.
    var trials: [TrialSpec]
    var status: [String: TrialStatus]
    /// Each trial's recorded epochs, in order.
    var epochs: [String: [EpochMetrics]]
    /// Every rung decision recorded for the sweep, under any rule.
    var rungs: [RungRow]
    /// Trials in flight elsewhere when the run began (Slurm tasks of an earlier coordinator): not to be started.
    var inFlight: Set<String>
    /// Extra attempts for a failed trial: with retries, failed and diverged trials count as idle.
    var retries: Int
    /// Results of earlier sweeps a model-based sampler starts from (``WarmStart``), oldest first: read once in the
    /// run's setup, so the scheduler stays pure and a resumed run sees the same ones.
    var warmStart: [TPESampler.Observation] = []
}

/// Makes the trials of one new configuration (a model-based sampler's proposal): the sample's settings at every
/// grid point of the experiment and with every seed, numbered after `after` (the sweep's last ordinal and grid
/// point so far), with the data's fingerprint assigned. Throws an `ExperimentError` when the settings give an
/// invalid combination.
typealias TrialMaker =
    @Sendable (_ sample: [ParameterSetting], _ after: (ordinal: Int, gridPoint: Int)) throws -> [TrialSpec]
