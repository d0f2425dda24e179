import Foundation
import RNNTraining

/// The only writer of the database during a run: it turns what launchers report into rows, each event in one
/// transaction together with the position of its events file (Slurm), so a coordinator killed at any moment and
/// started again records every event exactly once.
///
/// But epochs: their rows wait (``deferEpoch(_:trial:cursor:)``) until the coordinator has handled every event that
/// arrived together (``flush()``), or another write comes, and go in its transaction, first. A commit per epoch
/// (an fsync of the log) cost more than a small model's epoch and made the coordinator, which shares the workers'
/// cores, the bottleneck of small-data sweeps. Nothing is lost by the wait: a coordinator killed before the flush
/// leaves those epochs out, and the trial's resumed attempt records its history again from its checkpoint (the
/// `started` event carries it); a failed flush makes the trials concerned resumable (``takeLostEpochs()``).
final class SweepRecorder {
    let store: MetricsStore
    let sweepID: SweepID
    /// How a write waits for a database another process holds (it never gives up on a busy database quickly: a
    /// skipped write is a lost epoch).
    let retry: BusyRetry
    /// Told once per write that has to wait, to say why the run pauses.
    let waiting: (String) -> Void
    /// True when the run has been asked to stop (a signal): a busy write then fails instead of waiting on, and the
    /// trial it concerned stays resumable.
    let stopRequested: () -> Bool

    init(
        store: MetricsStore, sweepID: SweepID, retry: BusyRetry = BusyRetry(),
        waiting: @escaping (String) -> Void = MetricsStore.tellOnStandardError,
        stopRequested: @escaping () -> Bool = { false }
    ) {
        self.store = store
        self.sweepID = sweepID
        self.retry = retry
        self.waiting = waiting
        self.stopRequested = stopRequested
    }

    /// Set once a stop request ended a wait for the busy database: the remaining writes of this stopping run fail
    /// at once (each attempt would wait the whole busy timeout), and what they would record stays resumable.
    private var abandoned = false

    /// Epoch rows not written yet, in the order they arrived.
    private var pendingEpochs: [(trial: String, metrics: EpochMetrics, cursor: EventsCursor?)] = []
    /// Trials whose deferred epoch rows a failed write lost.
    private var lostEpochs: Set<String> = []

    /// One transaction of this sweep, retried while another process holds the database; the deferred epoch rows
    /// go first in it.
    private func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        let epochs = pendingEpochs
        pendingEpochs = []
        do {
            if abandoned { throw MetricsStoreError.busy(path: store.url.path) }
            do {
                return try retry.run(
                    waiting: { _ in self.waiting("database busy (held by another process) — waiting") },
                    giveUp: stopRequested
                ) {
                    try store.write(sweep: sweepID) { tx in
                        // Each run of one trial's epochs together, in arrival order; its events file is read up to
                        // the run's last epoch (a later cursor of the same task replaces an earlier one).
                        var from = epochs.startIndex
                        while from < epochs.endIndex {
                            let trial = epochs[from].trial
                            let to = epochs[from...].firstIndex { $0.trial != trial } ?? epochs.endIndex
                            try tx.recordEpochs(trial: trial, epochs[from..<to].lazy.map(\.metrics))
                            for cursor in Self.lastCursors(epochs[from..<to].compactMap(\.cursor)) {
                                try tx.advanceEvents(
                                    jobID: cursor.jobID, arrayIndex: cursor.arrayIndex, to: cursor.offset)
                            }
                            from = to
                        }
                        return try body(tx)
                    }
                }
            } catch  where BusyRetry.isBusy(error) {
                abandoned = abandoned || stopRequested()
                throw error
            }
        } catch {
            lostEpochs.formUnion(epochs.map(\.trial))
            throw error
        }
    }

    /// The last of `cursors` for each events file, in the order of their first appearance.
    private static func lastCursors(_ cursors: [EventsCursor]) -> [EventsCursor] {
        var order: [EventsCursor] = []
        for cursor in cursors {
            if let i = order.firstIndex(where: { $0.jobID == cursor.jobID && $0.arrayIndex == cursor.arrayIndex }) {
                order[i] = cursor
            } else {
                order.append(cursor)
            }
        }
        return order
    }

    /// Keeps an epoch's row for the next write (see the type's comment).
    func deferEpoch(_ metrics: EpochMetrics, trial: String, cursor: EventsCursor?) {
        pendingEpochs.append((trial, metrics, cursor))
    }

    /// Writes the deferred epoch rows, in one transaction.
    func flush() throws {
        guard !pendingEpochs.isEmpty else { return }
        try write { _ in }
    }

    /// The trials whose deferred epoch rows a failed write lost since the last call.
    func takeLostEpochs() -> Set<String> {
        defer { lostEpochs = [] }
        return lostEpochs
    }

    /// How a trial's attempt ended, as the coordinator decided from its events and its end.
    enum Outcome {
        /// `completed` is written when the `finished` event arrives; nothing more to do.
        case completed
        case failed(message: String, end: TrialEnd)
        case diverged(message: String, end: TrialEnd)
        case interrupted(message: String, signal: Int32?)
    }

    /// A local worker was spawned.
    func started(trial: String, pid: Int32?) throws {
        try write { try $0.markStarted(trial: trial, pid: pid) }
    }

    /// Records one launcher event of `trial`. Events that change no row (progress, errors, which the coordinator
    /// keeps for the outcome) leave the events cursor where it is: reading them again after a restart is harmless.
    /// Returns the note a `started` event added (a resume with other result bits than before), if any.
    @discardableResult
    func record(_ event: LaunchEvent, trial: String, cursor: EventsCursor?) throws -> String? {
        try write { tx in
            var wrote = true
            var note: String?
            switch event {
            case .workerStarted(let pid, _):
                try tx.markStarted(trial: trial, pid: pid)
            case .queueState(let state, let reason, let node):
                if let cursor {
                    try tx.updateSlurmState(
                        jobID: cursor.jobID, arrayIndex: cursor.arrayIndex, state: state, reason: reason, node: node)
                }
                wrote = false
            case .event(.started(let s)):
                // Epoch rows past the checkpoint belong to an attempt that died before saving; they are re-run.
                // Rows up to it are re-recorded from the checkpoint, in case a commit was lost with a coordinator.
                try tx.deleteEpochs(trial: trial, after: s.resumedFromEpoch)
                for m in s.history { try tx.recordEpoch(trial: trial, m) }
                try tx.recordParameterCount(trial: trial, s.parameters)
                // Where this attempt runs, in the same transaction: a restarted coordinator records it once.
                note = try tx.recordProvenance(trial: trial, s.provenance, resumedFrom: s.resumedFromEpoch)
            case .event(.epoch(let m)):
                try tx.recordEpoch(trial: trial, m)
            case .event(.finished(let f)):
                try tx.markCompleted(
                    trial: trial, test: f.test, seconds: f.seconds, confusion: f.confusion,
                    patience: PatienceEnding(f))
            case .event(.paused):
                try tx.markPaused(trial: trial)
            case .event(.progress), .event(.error), .unparsable, .ended:
                wrote = false
            }
            if wrote, let cursor {
                try tx.advanceEvents(jobID: cursor.jobID, arrayIndex: cursor.arrayIndex, to: cursor.offset)
            }
            return note
        }
    }

    /// Records how an attempt ended; for a Slurm task, also that it left the queue.
    func ended(trial: String, _ outcome: Outcome, cursor: EventsCursor?) throws {
        try write { tx in
            switch outcome {
            case .completed:
                break
            case .failed(let message, let end), .diverged(let message, let end):
                let diverged = if case .diverged = outcome { true } else { false }
                try tx.markFailed(
                    trial: trial, status: diverged ? .diverged : .failed, exitStatus: end.exitStatus,
                    signal: end.signal, error: message, stderrTail: end.stderrTail.isEmpty ? nil : end.stderrTail)
            case .interrupted(let message, let signal):
                try tx.markInterrupted(trial: trial, signal: signal, error: message)
            }
            if let cursor {
                try tx.advanceEvents(jobID: cursor.jobID, arrayIndex: cursor.arrayIndex, to: cursor.offset)
                try tx.endSlurmTask(jobID: cursor.jobID, arrayIndex: cursor.arrayIndex)
            }
        }
    }

    /// Records a rung's decisions under `rule`, and stops the trials of the grid points that did not go on.
    func decided(
        _ decisions: [HalvingState.Decision], rule: String, metric: String,
        stopping trials: [(trial: String, decision: HalvingState.Decision)]
    ) throws {
        let rows = decisions.map {
            RungRow(
                rule: rule, rung: $0.rung, epoch: $0.epoch, gridPoint: $0.gridPoint, metricName: metric,
                metric: $0.score, rank: $0.rank, promoted: $0.promoted)
        }
        try write { tx in
            try tx.recordRung(rows, stopping: trials.map(\.trial))
            for (trial, d) in trials {
                try tx.addNote(
                    trial: trial,
                    "stopped by successive halving at rung \(d.rung + 1) (epoch \(d.epoch)): its configuration ranked "
                        + "\(d.rank) by the mean \(metric) over its seeds")
            }
        }
    }

    /// Registers trials a scheduler added while the sweep runs, with their ordinals and grid points, in one
    /// transaction; each gets `reason` as a note.
    func added(_ trials: [TrialSpec], reason: String) throws {
        try write { tx in
            try tx.registerAddedTrials(trials.map(NewTrial.init))
            for trial in trials { try tx.addNote(trial: trial.id, AddedTrials.note(reason: reason)) }
        }
    }

    /// Records a note on a trial (shown by `status`).
    func note(trial: String, _ text: String) throws {
        try write { try $0.addNote(trial: trial, text) }
    }
}

extension SweepRecorder: SubmissionJournal {
    func willSubmit(trials: [String], tasks: [Int]?, placeholder: String, folder: String) throws {
        try write { tx in
            for (index, trial) in trials.enumerated() {
                try tx.recordSlurmTask(
                    trial: trial, jobID: placeholder, arrayIndex: index, arrayTask: tasks?[index], folder: folder)
            }
        }
    }

    func submitted(placeholder: String, jobID: String) throws {
        try write { try $0.renameSlurmJob(from: placeholder, to: jobID) }
    }

    func notSubmitted(placeholder: String) throws {
        try write { try $0.forgetSlurmJob(placeholder) }
    }
}
