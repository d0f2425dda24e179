import Foundation
import RNNCore
import RNNTraining

/// The coordinator's event loop: fill the launcher from the queue, record every event, decide how each attempt
/// ended, watch for stalls, stop on signals (SIGTERM first, SIGKILL after a grace period or a second signal).
struct CoordinatorLoop {
    let options: SweepRunOptions
    let launcher: any TrialLauncher
    let recorder: SweepRecorder
    let reporter: SweepReporter
    var summary: SweepSummary
    let workspace: SweepSetup
    let label: (TrialSpec) -> String
    let earlyStopping: SuccessiveHalving?

    private var queue = TrialQueue(trials: [], retries: 0)
    private var inFlight: [Int: LaunchedTrial] = [:]
    private var stopping = false
    private var stopDeadline: ContinuousClock.Instant?
    private var startupTimes: [Double] = []
    private var spawnedAt: [Int: ContinuousClock.Instant] = [:]
    /// Statuses of the trials when the run began (a pending trial has never started in this database).
    private var initialStatus: [String: TrialStatus] = [:]
    private var lastPoll = ContinuousClock.now
    /// The last epoch each trial had reached when its time limit last stopped it.
    private var timeLimitEpochs: [String: Int] = [:]
    /// The last epoch recorded for each trial in flight.
    private var lastEpochs: [String: Int] = [:]
    /// Trials of which an epoch (or a resume's history) could not be written: never marked completed by this run,
    /// they end `interrupted` and resume from their checkpoint, which re-records every epoch.
    private var unrecorded: Set<String> = []
    /// The scheduler trouble last reported (`launcher.schedulerTrouble`), to warn once per change.
    private var reportedTrouble: String?

    init(
        options: SweepRunOptions, launcher: any TrialLauncher, recorder: SweepRecorder, reporter: SweepReporter,
        summary: SweepSummary, workspace: SweepSetup, label: @escaping (TrialSpec) -> String,
        earlyStopping: SuccessiveHalving? = nil
    ) {
        self.earlyStopping = earlyStopping
        self.options = options
        self.launcher = launcher
        self.recorder = recorder
        self.reporter = reporter
        self.summary = summary
        self.workspace = workspace
        self.label = label
    }

    mutating func run(trials: [TrialSpec], mailbox: Mailbox<LaunchMessage>) throws(SweepRunError) {
        let rows = workspace.rows
        initialStatus = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.status) })
        var toRun: Set<TrialStatus> = [.pending, .interrupted, .running]
        if options.retries > 0 { toRun.formUnion([.failed, .diverged]) }
        let adopted = Set(workspace.inFlight.map(\.trialID))
        if let rule = earlyStopping, let epochs = trials.first?.parameters.int("epochs") {
            queue = halvingQueue(rule: rule, epochs: epochs, trials: trials, rows: rows, adopted: adopted)
        } else {
            // Without the rule, paused and stopped trials simply train on (it was turned off).
            toRun.formUnion([.paused, .stopped])
            let runnable = Set(rows.filter { toRun.contains($0.status) && !adopted.contains($0.id) }.map(\.id))
            queue = TrialQueue(trials: trials.filter { runnable.contains($0.id) }, retries: options.retries)
        }
        summary.alreadyCompleted = rows.filter { $0.status == .completed }.count
        if options.retries == 0 {
            summary.leftFailed = rows.filter { $0.status == .failed }.count
            summary.leftDiverged = rows.filter { $0.status == .diverged }.count
        }
        if let slurm = launcher as? SlurmLauncher {
            for trial in slurm.adopted(trials: trials) {
                // A `finished` event recorded by the last coordinator lies before the events cursor.
                trial.finished = initialStatus[trial.trial.id] == .completed
                inFlight[trial.id] = trial
                reporter.trialStarted(
                    lane: trial.lane, name: trial.location, trial: trial.trial, label: label(trial.trial),
                    attempt: 1, queued: true, adopted: true)
            }
        }
        for (sweep, count) in Dictionary(grouping: workspace.reused, by: \.fromSweep).mapValues(\.count).sorted(by: {
            $0.key < $1.key
        }) {
            reporter.note(
                "\(count) trial(s) already completed by sweep \(sweep) of this database: their results are reused")
        }
        // What this run may train, for the ETA: every trial not done, less those left failed (no retries).
        var done: Set<TrialStatus> = [.completed]
        if earlyStopping != nil { done.insert(.stopped) }
        if options.retries == 0 { done.formUnion([.failed, .diverged]) }
        let lastEpoch = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.lastEpoch ?? 0) })
        var plan: [String: SweepETA.Trial] = [:]
        for trial in trials where !done.contains(initialStatus[trial.id] ?? .pending) || adopted.contains(trial.id) {
            plan[trial.id] = .init(
                gridPoint: trial.gridPoint,
                epochsLeft: max(0, trial.parameters.int("epochs") - (lastEpoch[trial.id] ?? 0)))
        }
        reporter.begin(
            sweep: workspace.sweepName, total: trials.count, toRun: queue.count + inFlight.count,
            alreadyCompleted: summary.alreadyCompleted, workers: launcher.capacity, inFlight: inFlight.count,
            plan: plan, bounded: earlyStopping != nil)

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
            if inFlight.isEmpty && (queue.isEmpty || stopping) { break }
            if stopping, let trouble = launcher.schedulerTrouble {
                // Nothing can be cancelled or seen to end: leave the tasks as they are, recorded, for `sync`.
                reporter.warning(
                    "\(trouble); leaving \(inFlight.count) trial(s) in flight on Slurm as they are: "
                        + "`rnnsweep sync \(workspace.sweepName)` follows them once it answers")
                summary.inFlight = inFlight.count
                break
            }
            if let item = mailbox.take(timeout: 0.25) {
                handle(item)
                // Everything already there before the next poll, which may wait on a slow scheduler.
                while let more = mailbox.take(timeout: 0) { handle(more) }
            }
            periodic()
        }
        finish()
    }

    private mutating func finish() {
        if !startupTimes.isEmpty {
            summary.meanStartupMilliseconds = startupTimes.reduce(0, +) / Double(startupTimes.count)
        }
        if summary.fatalError == nil { verifyReadBack() }
    }

    /// A run never reports success over a database it cannot read back: a fresh reader opens the file and finds
    /// every completed trial's epochs.
    private mutating func verifyReadBack() {
        do {
            let check = try MetricsStore.openExisting(at: workspace.store.url, waiting: { _ in })
            let holes = try check.epochHoles(sweep: workspace.sweepID)
            if !holes.isEmpty {
                summary.fatalError =
                    "completed trials miss epochs: "
                    + holes.map(\.description).joined(separator: "; ")
            }
        } catch {
            summary.fatalError = "the database cannot be read back after the run: \(error)"
        }
    }

    /// Handles everything already in the mailbox (after one poll of the launcher when `polling`).
    private mutating func drain(_ mailbox: Mailbox<LaunchMessage>, polling: Bool) {
        if polling { launcher.poll() }
        while let item = mailbox.take(timeout: 0) { handle(item) }
    }

    // MARK: - Launching

    private mutating func fill() {
        var requests: [LaunchRequest] = []
        while inFlight.count + requests.count < launcher.capacity, let (trial, attempt, until) = queue.next() {
            requests.append(request(for: trial, attempt: attempt, until: until))
        }
        guard !requests.isEmpty else { return }
        for (request, result) in zip(requests, launcher.launch(requests)) {
            switch result {
            case .success(let launched):
                inFlight[launched.id] = launched
                if launched.slurmTask == nil { spawnedAt[launched.id] = .now }
                if launched.slurmTask == nil {
                    // Slurm tasks were recorded by the launcher's journal, before and after sbatch.
                    write("start") { recorder in try recorder.started(trial: launched.trial.id, pid: launched.pid) }
                }
                reporter.trialStarted(
                    lane: launched.lane, name: launched.location, trial: launched.trial, label: label(launched.trial),
                    attempt: attempts(launched.trial), queued: launched.slurmTask != nil)
            case .failure(.unwritableFolder(let path, let reason)):
                // Not the trial's fault: it stays as it was (never started), and the sweep stops.
                queue.idle(request.trial.id)
                stop(for: MachineFailure.unwritable("the sweep's folder \(path) cannot be written: \(reason)"))
            case .failure(let error):
                if let trouble = launcher.schedulerTrouble {
                    // The scheduler did not answer: not the trial's fault. It stays resumable, and the sweep stops.
                    reporter.warning(
                        "#\(request.trial.ordinal) \(request.trial.id) not submitted: \(error.description)")
                    if summary.fatalError == nil {
                        summary.fatalError =
                            "\(trouble); nothing more was submitted: run the same command again once it answers"
                    }
                    if !stopping {
                        stopping = true
                        stopAll()
                    }
                    continue
                }
                write("failed to launch") { recorder in
                    try recorder.started(trial: request.trial.id, pid: nil)
                    try recorder.ended(
                        trial: request.trial.id,
                        .failed(
                            message: error.description,
                            end: TrialEnd(exitStatus: nil, signal: nil, stderrTail: "", how: error.description)),
                        cursor: nil)
                }
                summary.failed += 1
                reporter.trialFailed(lane: 0, trial: request.trial, status: "failed", reason: error.description)
            }
        }
    }

    /// The worker request of a trial; a checkpoint in the folder of a trial this database has never started is not
    /// this trial's (another database's, or a deleted one's) and is moved aside first.
    private mutating func request(for trial: TrialSpec, attempt: Int, until: Int?) -> LaunchRequest {
        let folder = workspace.checkpointDirectory(trial.id)
        if initialStatus[trial.id] == .pending && attempt == 1 {
            let checkpoint = Checkpoint.url(in: folder)
            if FileManager.default.fileExists(atPath: checkpoint.path) {
                let aside = folder.appendingPathComponent("checkpoint.stale-\(Self.stamp()).safetensors")
                let note =
                    (try? FileManager.default.moveItem(at: checkpoint, to: aside)) != nil
                    ? "a checkpoint this database did not write was moved aside to \(aside.lastPathComponent)"
                    : "a checkpoint this database did not write could not be moved aside"
                write("note") { recorder in try recorder.note(trial: trial.id, note) }
                reporter.warning("#\(trial.ordinal) \(trial.id): \(note)")
            }
            continueFromShorterTrial(trial, into: folder)
        }
        let local = if case .local = options.executor { true } else { false }
        return LaunchRequest(
            trial: trial,
            request: WorkerRequest(
                parameters: trial.parameters, checkpointDirectory: folder.path, threads: options.threadsPerWorker,
                coordinatorPID: local ? getpid() : nil, untilEpoch: until,
                dataCacheDirectory: workspace.dataCache.path, dataFingerprint: trial.dataFingerprint),
            attempt: attempt)
    }

    /// A new trial that differs from one of the sweep's only by more epochs continues from that one's checkpoint
    /// (copied into its own folder): the epochs done are the same computation, and so is the rest (no learning-rate
    /// schedule depends on the total), so the longer run ends bit-identical to one trained from scratch.
    private mutating func continueFromShorterTrial(_ trial: TrialSpec, into folder: URL) {
        var shorter = trial.parameters.identityValues
        shorter["epochs"] = nil
        var best: (row: TrialRow, epoch: Int, checkpoint: URL)?
        for row in workspace.allRows where row.id != trial.id {
            guard let parameters = try? JSONDecoder().decode(TrainingParameters.self, from: Data(row.paramsJSON.utf8)),
                parameters.int("epochs") < trial.parameters.int("epochs")
            else { continue }
            var values = parameters.identityValues
            values["epochs"] = nil
            guard values == shorter else { continue }
            let checkpoint = Checkpoint.url(in: workspace.checkpointDirectory(row.id))
            let epoch = row.lastEpoch ?? 0
            if FileManager.default.fileExists(atPath: checkpoint.path), epoch > (best?.epoch ?? 0) {
                best = (row, epoch, checkpoint)
            }
        }
        guard let best else { return }
        do {
            try NoFollow.directory(folder.path)
            try FileManager.default.copyItem(at: best.checkpoint, to: Checkpoint.url(in: folder))
        } catch {
            reporter.warning("#\(trial.ordinal) \(trial.id): could not copy the checkpoint of \(best.row.id): \(error)")
            return
        }
        let note = "continues from the checkpoint of trial \(best.row.id) (the same configuration with fewer epochs)"
        write("note") { recorder in try recorder.note(trial: trial.id, note) }
        reporter.note("#\(trial.ordinal) \(trial.id) \(note)")
    }

    private func attempts(_ trial: TrialSpec) -> Int { queue.attempts[trial.id] ?? 1 }

    static func stamp(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    // MARK: - Events

    private mutating func handle(_ item: Mailbox<LaunchMessage>.Item) {
        switch item {
        case .signal(let signal): stop(signal: signal)
        case .message(let message): handle(message)
        }
    }

    private mutating func handle(_ message: LaunchMessage) {
        guard let trial = inFlight[message.launch] else { return }
        let id = trial.trial.id
        switch message.event {
        case .workerStarted(_, let location):
            trial.location = location
            trial.lastSignOfLife = .now
            // No start-up time for a scheduler's task: its `launched` and `started` lines are read in one look at
            // the events file, so their gap here says nothing about the worker.
            write("start") { recorder in try recorder.record(message.event, trial: id, cursor: message.cursor) }
            reporter.workerStarted(lane: trial.lane, name: location)
        case .queueState(let state, let reason, let node):
            write("queue state") { recorder in try recorder.record(message.event, trial: id, cursor: message.cursor) }
            reporter.queueState(lane: trial.lane, state: state, reason: reason, node: node)
        case .event(let event):
            if case .progress = event {} else { trial.lastSignOfLife = .now }
            handle(event, of: trial, cursor: message.cursor)
        case .unparsable(let line):
            trial.lastSignOfLife = .now
            reporter.warning("\(trial.location): unexpected output: \(line.prefix(200))")
        case .ended(let end):
            ended(trial, end, cursor: message.cursor)
        }
    }

    private mutating func handle(_ event: TrainingEvent, of trial: LaunchedTrial, cursor: EventsCursor?) {
        let id = trial.trial.id
        switch event {
        case .started(let s):
            lastEpochs[id] = s.resumedFromEpoch
            queue.resumed(trial: id, from: s.resumedFromEpoch)
            for m in s.history { queue.recorded(trial: id, epoch: m) }
            if let spawned = spawnedAt[trial.id] { startupTimes.append((.now - spawned).milliseconds) }
            var resumedElsewhere: String?
            let resumeRecorded = write("resume") { recorder in
                resumedElsewhere = try recorder.record(.event(event), trial: id, cursor: cursor)
            }
            if !resumeRecorded { unrecorded.insert(id) }
            if let note = resumedElsewhere { reporter.warning("#\(trial.trial.ordinal) \(id): \(note)") }
            if let note = s.discardedCheckpoint {
                write("note") { recorder in try recorder.note(trial: id, note) }
                reporter.warning("#\(trial.trial.ordinal) \(id): \(note)")
            }
            reporter.trialResumed(lane: trial.lane, fromEpoch: s.resumedFromEpoch, epochs: s.epochs)
        case .progress(let p):
            trial.lastSignOfLife = .now
            reporter.progress(lane: trial.lane, progress: p)
        case .epoch(let m):
            trial.slowestEpoch = max(trial.slowestEpoch, m.seconds)
            lastEpochs[id] = m.epoch
            queue.recorded(trial: id, epoch: m)
            if !write("epoch", { recorder in try recorder.record(.event(event), trial: id, cursor: cursor) }) {
                unrecorded.insert(id)
            }
            reporter.epoch(lane: trial.lane, metrics: m, epochs: trial.trial.parameters.int("epochs"))
        case .finished(let f):
            // A trial with a lost epoch is not completed: `ended` leaves it resumable.
            if unrecorded.contains(id) { break }
            trial.finished = true
            write("finish") { recorder in try recorder.record(.event(event), trial: id, cursor: cursor) }
            summary.completed += 1
            reporter.trialCompleted(lane: trial.lane, trial: trial.trial, finished: f)
        case .paused(let p):
            trial.paused = true
            write("pause") { recorder in try recorder.record(.event(event), trial: id, cursor: cursor) }
            reporter.trialPaused(lane: trial.lane, trial: trial.trial, epoch: p.epoch)
        case .error(let e):
            trial.failure = e
        }
    }

    /// Decides how an attempt ended and records it; re-queues a failed trial that has retries left.
    private mutating func ended(_ trial: LaunchedTrial, _ end: TrialEnd, cursor: EventsCursor?) {
        inFlight[trial.id] = nil
        launcher.release(trial)
        let id = trial.trial.id
        defer { if earlyStopping != nil { decide() } }
        if unrecorded.remove(id) != nil {
            interrupt(
                trial, message: "an epoch of this attempt could not be recorded; it resumes from its checkpoint",
                cursor: cursor)
            return
        }
        if trial.finished {
            write("finish") { recorder in try recorder.ended(trial: id, .completed, cursor: cursor) }
            queue.completed(id)
            return
        }
        if trial.paused && trial.failure == nil {
            // At its rung: the trial waits for the rung's decision (its status is already `paused`).
            write("pause") { recorder in try recorder.ended(trial: id, .completed, cursor: cursor) }
            queue.idle(id)
            return
        }
        if trial.failure?.kind == "diverged" {
            let message = trial.failure!.message
            write("fail") { recorder in
                try recorder.ended(trial: id, .diverged(message: message, end: end), cursor: cursor)
            }
            summary.diverged += 1
            queue.diverged(id)
            reporter.trialFailed(lane: trial.lane, trial: trial.trial, status: "diverged", reason: message)
            return
        }
        if let failure = trial.failure, let machine = MachineFailure(kind: failure.kind, message: failure.message) {
            // Every other trial would fail the same way: stop, keep this one resumable, and say what to do.
            interrupt(trial, message: failure.message, cursor: cursor)
            stop(for: machine)
            return
        }
        if let stalled = trial.stalledFor {
            fail(
                trial, message: String(format: "stalled: no event for %.0f s; the worker was killed", stalled), end,
                cursor)
            return
        }
        if stopping && trial.failure == nil {
            write("interrupt") { recorder in
                try recorder.ended(
                    trial: id, .interrupted(message: "sweep interrupted; \(end.how)", signal: end.signal),
                    cursor: cursor)
            }
            summary.interrupted += 1
            queue.idle(id)
            reporter.trialFailed(lane: trial.lane, trial: trial.trial, status: "interrupted", reason: end.how)
            return
        }
        if end.notSubmitted {
            write("interrupt") { recorder in
                try recorder.ended(trial: id, .interrupted(message: end.how, signal: nil), cursor: cursor)
            }
            if !stopping { queue.resume(trial.trial) }
            return
        }
        if end.timeLimit && trial.failure == nil {
            let reached = lastEpochs[id] ?? 0
            if let previous = timeLimitEpochs[id], reached <= previous {
                fail(
                    trial,
                    message:
                        "stopped by its time limit twice without finishing an epoch in between (epoch \(reached)); "
                        + "give it more time (--time)", end, cursor)
                return
            }
            timeLimitEpochs[id] = reached
            write("interrupt") { recorder in
                try recorder.ended(
                    trial: id,
                    .interrupted(message: "stopped at its time limit; resumes from its checkpoint", signal: nil),
                    cursor: cursor)
            }
            reporter.trialFailed(
                lane: trial.lane, trial: trial.trial, status: "interrupted",
                reason: "time limit; resubmitting to resume from its checkpoint")
            queue.resume(trial.trial)
            return
        }
        fail(trial, message: trial.failure.map(\.message) ?? "worker \(end.how)", end, cursor)
    }

    private mutating func fail(_ trial: LaunchedTrial, message: String, _ end: TrialEnd, _ cursor: EventsCursor?) {
        let id = trial.trial.id
        write("fail") { recorder in try recorder.ended(trial: id, .failed(message: message, end: end), cursor: cursor) }
        let again = queue.failed(trial.trial) && !stopping
        reporter.trialFailed(lane: trial.lane, trial: trial.trial, status: "failed", reason: message, final: !again)
        if again {
            reporter.note("re-queueing \(id) (attempt \(attempts(trial.trial) + 1) of \(options.retries + 1))")
        } else {
            summary.failed += 1
        }
    }

    // MARK: - Successive halving

    /// The queue of a successive-halving sweep, from what the database holds: each trial's epochs and status, and
    /// the decisions taken under this rule.
    private mutating func halvingQueue(
        rule: SuccessiveHalving, epochs: Int, trials: [TrialSpec], rows: [TrialRow], adopted: Set<String>
    ) -> TrialQueue {
        var state = HalvingState(rule: rule, epochs: epochs, trials: trials)
        let recorded = (try? workspace.store.epochsByTrial(sweep: workspace.sweepID)) ?? [:]
        for row in rows {
            for epoch in recorded[row.id] ?? [] { state.recorded(trial: row.id, epoch: epoch) }
            switch row.status {
            case .completed: state.set(row.id, .completed)
            case .diverged: state.set(row.id, options.retries > 0 ? .idle : .diverged)
            case .failed: state.set(row.id, options.retries > 0 ? .idle : .failed)
            default: state.set(row.id, adopted.contains(row.id) ? .inFlight : .idle)
            }
        }
        for row in (try? workspace.store.rungs(sweep: workspace.sweepID)) ?? [] where row.rule == state.signature {
            state.restore(
                decision: HalvingState.Decision(
                    rung: row.rung, epoch: row.epoch, gridPoint: row.gridPoint, score: row.metric ?? .nan,
                    rank: row.rank, promoted: row.promoted))
        }
        summary.stopped = rows.filter { row in state.pointOf[row.id].map(state.isStopped) ?? false }.count
        var queue = TrialQueue(halving: state, trials: trials, retries: options.retries)
        let ready = queue.decisions()
        self.queue = queue
        record(ready)
        return self.queue
    }

    /// Takes the rung decisions that are ready and records them.
    private mutating func decide() {
        record(queue.decisions())
    }

    private mutating func record(_ decisions: [HalvingState.Decision]) {
        guard !decisions.isEmpty, let halving = queue.halving else { return }
        for epoch in Set(decisions.map(\.epoch)).sorted() {
            let rung = decisions.filter { $0.epoch == epoch }
            // A trial patience already completed is ranked with its configuration but has nothing left to stop.
            let stopped = rung.filter { !$0.promoted }.flatMap { d in
                (halving.trialsOf[d.gridPoint] ?? []).filter { halving.standing[$0] != .completed }
                    .map { (trial: $0, decision: d) }
            }
            write("rung decision") { recorder in
                try recorder.decided(
                    rung, rule: halving.signature, metric: halving.rule.metric.recordName, stopping: stopped)
            }
            summary.stopped += stopped.count
            reporter.trialsStopped(stopped.map(\.trial))
            let kept = rung.filter(\.promoted).count
            reporter.note(
                "rung \(rung[0].rung + 1) of \(halving.rungs.count) (epoch \(epoch)): \(kept) of \(rung.count) "
                    + "configuration(s) go on by the mean \(halving.rule.metric.recordName) over their seeds; "
                    + "\(stopped.count) trial(s) stopped")
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
        if let deadline = stopDeadline, now >= deadline {
            stopDeadline = nil
            for trial in inFlight.values {
                reporter.note("\(trial.location) did not stop within \(Int(options.stopGrace)) s; killing it")
                launcher.stop(trial, force: true)
            }
        }
        reporter.tick()
    }

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

    /// Records an attempt that ended without fault of its trial as `interrupted`: it resumes from its checkpoint.
    private mutating func interrupt(_ trial: LaunchedTrial, message: String, cursor: EventsCursor?) {
        let id = trial.trial.id
        write("interrupt") { recorder in
            try recorder.ended(trial: id, .interrupted(message: message, signal: nil), cursor: cursor)
        }
        summary.interrupted += 1
        queue.idle(id)
        reporter.trialFailed(lane: trial.lane, trial: trial.trial, status: "interrupted", reason: message)
    }

    /// Stops the sweep for a condition of the machine (``MachineFailure``), saying what to do, once.
    private mutating func stop(for machine: MachineFailure) {
        if summary.fatalError == nil { summary.fatalError = machine.fatalError }
        if !stopping {
            stopping = true
            reporter.note("stopping the sweep: \(machine.condition); running trials keep their last checkpoint")
            stopAll()
        }
    }

    private mutating func stopAll() {
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
    private mutating func write(_ what: String, _ body: (SweepRecorder) throws -> Void) -> Bool {
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
