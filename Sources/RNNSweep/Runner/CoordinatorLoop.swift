import Foundation
import RNNCore
import RNNTraining

/// The coordinator's event loop: start what the scheduler asks for, hand every event to the recorder, record the
/// scheduler's decisions before acting on them, watch for stalls, and stop on signals (SIGTERM first, SIGKILL after
/// a grace period or a second signal). How an attempt ended is the outcome policy's verdict
/// (``OutcomePolicy``); a trial's folder and request are its preparation's (``TrialPreparation``); where trials run
/// is the executor's (``TrialLauncher``).
struct CoordinatorLoop {
    let options: SweepRunOptions
    let launcher: any TrialLauncher
    let recorder: SweepRecorder
    let reporter: SweepReporter
    var summary: SweepSummary
    let workspace: SweepSetup
    let label: (TrialSpec) -> String
    /// Whether trials may end before their last epoch (a rule stops them): for the ETA.
    let bounded: Bool

    var scheduler: any TrialScheduler
    var outcomes = OutcomePolicy()
    /// Attempts of each trial started by this run (1, 2, …): retries are counted here, not by the scheduler.
    var attempts: [String: Int] = [:]
    var inFlight: [Int: LaunchedTrial] = [:]
    var stopping = false
    private var stopDeadline: ContinuousClock.Instant?
    var startupTimes: [Double] = []
    var spawnedAt: [Int: ContinuousClock.Instant] = [:]
    /// The local worker processes that have been given a trial: a trial on another is its process's first.
    var workerPIDs: Set<Int32> = []
    /// Statuses of the trials when the run began (a pending trial has never started in this database).
    var initialStatus: [String: TrialStatus] = [:]
    private var lastPoll = ContinuousClock.now
    /// The last epoch recorded for each trial in flight.
    var lastEpochs: [String: Int] = [:]
    /// Trials of which an epoch (or a resume's history) could not be written: never marked completed by this run,
    /// they end `interrupted` and resume from their checkpoint, which re-records every epoch.
    var unrecorded: Set<String> = []
    /// The run's deadline, if it has one (``RunDeadline``).
    var deadline: RunDeadline?
    /// Each trial's last recorded epoch when the run began (what a deadline's cost of resuming it counts from).
    var initialEpochs: [String: Int] = [:]
    /// The cost model the ETA takes its priors from (nil: the ETA learns from this run's epochs alone).
    var etaCost: TrialCost?
    /// Set by a fill that found nothing more fits before the deadline: with nothing in flight, the run is over.
    var deadlineBlocked = false
    /// The executor's trouble last reported (`launcher.schedulerTrouble`), to warn once per change.
    private var reportedTrouble: String?

    init(
        options: SweepRunOptions, launcher: any TrialLauncher, recorder: SweepRecorder, reporter: SweepReporter,
        summary: SweepSummary, workspace: SweepSetup, label: @escaping (TrialSpec) -> String,
        scheduler: any TrialScheduler, bounded: Bool
    ) {
        self.options = options
        self.launcher = launcher
        self.recorder = recorder
        self.reporter = reporter
        self.summary = summary
        self.workspace = workspace
        self.label = label
        self.scheduler = scheduler
        self.bounded = bounded
    }

    mutating func run(trials: [TrialSpec], mailbox: Mailbox<LaunchMessage>) throws(SweepRunError) {
        begin(trials)
        if options.detach {
            // Record what the tasks already wrote, submit what is neither completed nor in flight, and return.
            drain(mailbox, polling: true)
            fill()
            drain(mailbox, polling: false)
            summary.inFlight = inFlight.count
            finish()
            return
        }
        while true {
            if !stopping { fill() }
            if inFlight.isEmpty && (scheduler.runnableCount == 0 || stopping || deadlineBlocked) { break }
            if stopping, let trouble = launcher.schedulerTrouble {
                // Nothing can be cancelled or seen to end: leave the trials as they are, recorded, for `sync`.
                reporter.warning(
                    "\(trouble); leaving \(inFlight.count) trial(s) in flight \(launcher.placeName) as they are: "
                        + "`rnnsweep sync \(workspace.sweepName)` follows them once it answers")
                summary.inFlight = inFlight.count
                break
            }
            if let item = mailbox.take(timeout: 0.25) {
                handle(item)
                refill(after: item)
                // Everything already there before the next poll, which may wait on a slow executor.
                while let more = mailbox.take(timeout: 0) {
                    handle(more)
                    refill(after: more)
                }
                flushEpochs()
            }
            periodic()
        }
        finish()
    }

    /// Takes the decisions ready from what the database holds, adopts trials an earlier coordinator left in
    /// flight, and starts the live view.
    private mutating func begin(_ trials: [TrialSpec]) {
        let rows = workspace.rows
        initialStatus = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.status) })
        initialEpochs = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.lastEpoch ?? 0) })
        summary.stopped = scheduler.stoppedCount
        record(scheduler.decisions())
        summary.alreadyCompleted = rows.filter { $0.status == .completed }.count
        if options.retries == 0 {
            summary.leftFailed = rows.filter { $0.status == .failed }.count
            summary.leftDiverged = rows.filter { $0.status == .diverged }.count
        }
        for trial in launcher.adopted(trials: trials) {
            // A `finished` event recorded by the last coordinator lies before the events cursor.
            trial.finished = initialStatus[trial.trial.id] == .completed
            inFlight[trial.id] = trial
            reporter.trialStarted(
                lane: trial.lane, name: trial.location, trial: trial.trial, label: label(trial.trial),
                attempt: 1, queued: launcher.startsQueued, adopted: true)
        }
        let reused = Dictionary(grouping: workspace.reused, by: \.fromSweep).mapValues(\.count)
        for (sweep, count) in reused.sorted(by: { $0.key < $1.key }) {
            reporter.note(
                "\(count) trial(s) already completed by sweep \(sweep) of this database: their results are reused")
        }
        reporter.begin(
            sweep: workspace.sweepName, total: trials.count, toRun: scheduler.runnableCount + inFlight.count,
            alreadyCompleted: summary.alreadyCompleted, workers: launcher.capacity, inFlight: inFlight.count,
            plan: SweepETA.plan(
                trials, rows: rows, adopted: Set(workspace.inFlight.map(\.trialID)), bounded: bounded,
                retries: options.retries, cost: etaCost),
            bounded: bounded)
    }

    private mutating func finish() {
        flushEpochs()
        finishDeadline()
        if !startupTimes.isEmpty {
            summary.meanStartupMilliseconds = startupTimes.reduce(0, +) / Double(startupTimes.count)
        }
        if summary.fatalError == nil {
            summary.fatalError = ReadBack.problem(database: workspace.store.url, sweep: workspace.sweepID)
        }
    }

    /// A worker that just ended its trial gets the next one at once, before the other events that arrived with it
    /// are recorded: its attempt's end is already committed and the scheduler told, and a small trial's worker
    /// otherwise waited for a commit and a log write it does not need (a few milliseconds, on trials of 20). Not on
    /// an executor whose trials wait in a queue: they gain nothing, and the trials that ended together are
    /// submitted together (one array job).
    private mutating func refill(after item: Mailbox<LaunchMessage>.Item) {
        guard !stopping, !launcher.startsQueued, case .message(let message) = item, case .ended = message.event
        else { return }
        fill()
    }

    /// Handles everything already in the mailbox (after one poll of the launcher when `polling`).
    private mutating func drain(_ mailbox: Mailbox<LaunchMessage>, polling: Bool) {
        if polling { launcher.poll() }
        while let item = mailbox.take(timeout: 0) { handle(item) }
        flushEpochs()
    }

    /// Writes the epochs of the events just handled, in one transaction, and their log lines in one write.
    private mutating func flushEpochs() {
        write("epoch") { try $0.flush() }
        reporter.flushEpochLines()
    }

    private mutating func handle(_ item: Mailbox<LaunchMessage>.Item) {
        switch item {
        case .signal(let signal): stop(signal: signal)
        case .message(let message): handle(message)
        }
    }

    // MARK: - Time

    private mutating func periodic() {
        let now = ContinuousClock.now
        if now - lastPoll >= .milliseconds(500) {
            lastPoll = now
            launcher.poll()
            let trouble = launcher.schedulerTrouble
            if (trouble == nil) != (reportedTrouble == nil) {
                if let trouble {
                    reporter.warning("\(trouble); still following the events files")
                } else {
                    reporter.note("the scheduler answers again")
                }
                reportedTrouble = trouble
            }
        }
        killStalled(now: now)
        checkDeadline()
        if let deadline = stopDeadline, now >= deadline {
            stopDeadline = nil
            for trial in inFlight.values {
                reporter.note("\(trial.location) did not stop within \(Int(options.stopGrace)) s; killing it")
                launcher.stop(trial, force: true)
            }
        }
        reporter.tick()
    }

    /// Kills the workers silent for longer than the stall timeout (their attempts then fail as stalled).
    private mutating func killStalled(now: ContinuousClock.Instant) {
        for trial in inFlight.values where trial.stalledFor == nil && !trial.finished {
            guard let last = trial.lastSignOfLife else { continue }
            let timeout = options.stallTimeout ?? max(600, 20 * trial.slowestEpoch)
            let silent = (now - last).seconds
            if timeout > 0 && silent > timeout {
                trial.stalledFor = silent
                reporter.warning(
                    String(
                        format: "%@: no event for %.0f s (stall timeout %.0f s); killing it", trial.location, silent,
                        timeout))
                launcher.stop(trial, force: true)
            }
        }
    }

    // MARK: - Stopping

    private mutating func stop(signal: Int32) {
        if stopping {
            // A second signal: stop waiting for graceful exits.
            for trial in inFlight.values { launcher.stop(trial, force: true) }
            return
        }
        stopping = true
        summary.wasInterrupted = true
        reporter.note("received signal \(signal): stopping workers (running trials become 'interrupted')")
        stopAll()
    }

    /// Stops the sweep for a condition of the machine (``MachineFailure``), saying what to do, once.
    mutating func stop(for machine: MachineFailure) {
        if summary.fatalError == nil { summary.fatalError = machine.fatalError }
        if !stopping {
            stopping = true
            reporter.note("stopping the sweep: \(machine.condition); running trials keep their last checkpoint")
            stopAll()
        }
    }

    mutating func stopAll() {
        for trial in inFlight.values {
            trial.stopRequested = true
            launcher.stop(trial, force: false)
        }
        stopDeadline = .now + .seconds(options.stopGrace)
    }

    /// Runs a database write (the recorder waits for a busy database); a failure (a full disk, an unwritable
    /// file) stops the sweep: nothing more can be recorded, and every trial keeps its last checkpoint to resume
    /// from. Returns whether the write was recorded.
    @discardableResult
    mutating func write(_ what: String, _ body: (SweepRecorder) throws -> Void) -> Bool {
        // Deferred epochs go with whatever write comes first; a trial whose epochs it lost is left resumable.
        defer { unrecorded.formUnion(recorder.takeLostEpochs()) }
        do {
            try body(recorder)
            return true
        } catch let error as MetricsStoreError {
            // A write the store's rules refuse (a bug, or a row changed behind our back) loses that write only.
            reporter.warning("database write refused (\(what)): \(error)")
        } catch {
            reporter.warning("database write failed (\(what)): \(error)")
            if summary.fatalError == nil {
                summary.fatalError = "the database could not be written (\(what)): \(error)"
                if !stopping {
                    stopping = true
                    reporter.note("stopping the sweep: nothing more can be recorded; run it again once fixed")
                    stopAll()
                }
            }
        }
        return false
    }
}
