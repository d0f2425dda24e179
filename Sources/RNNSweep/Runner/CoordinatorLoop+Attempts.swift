import Foundation
import RNNTraining

/// What the loop does with one attempt: records each of its events as it arrives, tells the scheduler its facts,
/// and records how it ended as the outcome policy judges it.
extension CoordinatorLoop {
    mutating func handle(_ message: LaunchMessage) {
        guard let trial = inFlight[message.launch] else { return }
        let id = trial.trial.id
        switch message.event {
        case .workerStarted(_, let location):
            trial.location = location
            trial.lastSignOfLife = .now
            // No start-up time for a queued task: its `launched` and `started` lines are read in one look at its
            // events file, so their gap here says nothing about the worker.
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
        summary.busy.add(event, lane: trial.lane)
        switch event {
        case .started(let s):
            resumed(trial, s, cursor: cursor)
        case .progress(let p):
            trial.lastSignOfLife = .now
            reporter.progress(lane: trial.lane, progress: p)
        case .epoch(let m):
            trial.slowestEpoch = max(trial.slowestEpoch, m.seconds)
            lastEpochs[id] = m.epoch
            scheduler.recorded(trial: id, epoch: m)
            deadlineEpoch(trial.trial, seconds: m.seconds)
            // Written with the events that arrived with it (`flushEpochs`).
            recorder.deferEpoch(m, trial: id, cursor: cursor)
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

    /// The worker started, from its checkpoint's epoch: its history is recorded again.
    private mutating func resumed(_ trial: LaunchedTrial, _ s: TrainingEvent.Started, cursor: EventsCursor?) {
        let id = trial.trial.id
        lastEpochs[id] = s.resumedFromEpoch
        scheduler.resumed(trial: id, from: s.resumedFromEpoch)
        for m in s.history { scheduler.recorded(trial: id, epoch: m) }
        if let spawned = spawnedAt[trial.id] { startupTimes.append((.now - spawned).milliseconds) }
        var resumedElsewhere: String?
        let resumeRecorded = write("resume") { recorder in
            resumedElsewhere = try recorder.record(.event(.started(s)), trial: id, cursor: cursor)
        }
        if !resumeRecorded { unrecorded.insert(id) }
        if let note = resumedElsewhere { reporter.warning("#\(trial.trial.ordinal) \(id): \(note)") }
        if let note = s.discardedCheckpoint {
            write("note") { recorder in try recorder.note(trial: id, note) }
            reporter.warning("#\(trial.trial.ordinal) \(id): \(note)")
        }
        reporter.trialResumed(lane: trial.lane, fromEpoch: s.resumedFromEpoch, epochs: s.epochs)
    }

    /// Records how an attempt ended, tells the scheduler, and records the decisions that makes ready.
    mutating func ended(_ trial: LaunchedTrial, _ end: TrialEnd, cursor: EventsCursor?) {
        inFlight[trial.id] = nil
        launcher.release(trial)
        deadlineAttemptEnded(trial)
        let id = trial.trial.id
        let outcome = outcomes.judge(
            trial, end, reached: lastEpochs[id] ?? 0, unrecorded: unrecorded.remove(id) != nil, stopping: stopping)
        switch outcome {
        case .completed:
            write("finish") { recorder in try recorder.ended(trial: id, .completed, cursor: cursor) }
            scheduler.ended(trial: id, .completed)
        case .paused:
            // At its rung: the trial waits for the rung's decision (its status is already `paused`).
            write("pause") { recorder in try recorder.ended(trial: id, .completed, cursor: cursor) }
            scheduler.ended(trial: id, .paused)
        case .diverged(let message):
            write("fail") { recorder in
                try recorder.ended(trial: id, .diverged(message: message, end: end), cursor: cursor)
            }
            summary.diverged += 1
            scheduler.ended(trial: id, .diverged)
            reporter.trialFailed(lane: trial.lane, trial: trial.trial, status: "diverged", reason: message)
        case .failed(let message):
            fail(trial, message: message, end, cursor)
        case .interrupted(let interruption):
            interrupt(trial, interruption, cursor: cursor)
        }
        record(scheduler.decisions())
    }

    private mutating func fail(_ trial: LaunchedTrial, message: String, _ end: TrialEnd, _ cursor: EventsCursor?) {
        let id = trial.trial.id
        write("fail") { recorder in try recorder.ended(trial: id, .failed(message: message, end: end), cursor: cursor) }
        let willRetry = attempts(trial.trial) <= options.retries
        scheduler.ended(trial: id, .failed(willRetry: willRetry))
        let again = willRetry && !stopping
        reporter.trialFailed(lane: trial.lane, trial: trial.trial, status: "failed", reason: message, final: !again)
        if again {
            reporter.note("re-queueing \(id) (attempt \(attempts(trial.trial) + 1) of \(options.retries + 1))")
        } else {
            summary.failed += 1
        }
    }

    /// Records an attempt that ended without fault of its trial as `interrupted`: it resumes from its checkpoint.
    private mutating func interrupt(_ trial: LaunchedTrial, _ interruption: Interruption, cursor: EventsCursor?) {
        let id = trial.trial.id
        write("interrupt") { recorder in
            try recorder.ended(
                trial: id, .interrupted(message: interruption.message, signal: interruption.signal), cursor: cursor)
        }
        if interruption.counted { summary.interrupted += 1 }
        scheduler.ended(trial: id, .interrupted)
        if let shown = interruption.shown {
            reporter.trialFailed(lane: trial.lane, trial: trial.trial, status: "interrupted", reason: shown)
        }
        if let machine = interruption.machine { stop(for: machine) }
    }
}
