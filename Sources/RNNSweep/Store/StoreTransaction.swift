import Foundation
import GRDB
import RNNTraining

/// The writes of one sweep inside one SQLite transaction (``MetricsStore/write(sweep:_:)``), so that several rows
/// change together or not at all — e.g. an event's rows and the position up to which its events file has been read.
/// Each method checks the trial's status against the store's rules (see ``MetricsStore``).
public struct StoreTransaction {
    let db: Database
    public let sweep: SweepID

    /// Marks a non-completed trial `running`: attempts += 1, `started_at` = now, results of earlier attempts
    /// cleared. Epoch rows are kept (see ``deleteEpochs(trial:after:)``). `pid` is the local worker's process id
    /// (nil on Slurm, whose job and node are in `slurm_tasks`).
    public func markStarted(trial: String, pid: Int32?) throws {
        try update(trial, attempted: "start", allowed: { $0 != .completed }) {
            try db.execute(
                sql: """
                    UPDATE trials SET status = 'running', attempts = attempts + 1, worker_pid = ?,
                        started_at = \(StoreSchema.now), finished_at = NULL, seconds = NULL, exit_status = NULL,
                        signal = NULL, error = NULL, stderr_tail = NULL,
                        \(MetricColumns.test.map { "\($0.recordName) = NULL" }.joined(separator: ", "))
                    WHERE sweep_id = ? AND id = ?
                    """, arguments: [pid, sweep.rawValue, trial])
        }
    }

    /// Marks a non-completed trial `running` without counting an attempt: it is queued somewhere (a Slurm array
    /// task) and its attempts are counted when a worker starts (``markStarted(trial:pid:)``).
    public func markQueued(trial: String) throws {
        try update(trial, attempted: "queue", allowed: { $0 != .completed }) {
            try db.execute(
                sql: """
                    UPDATE trials SET status = 'running', worker_pid = NULL, finished_at = NULL, exit_status = NULL,
                        signal = NULL, error = NULL, stderr_tail = NULL WHERE sweep_id = ? AND id = ?
                    """, arguments: [sweep.rawValue, trial])
        }
    }

    /// Inserts or replaces one epoch row of a `running` trial and sets `trials.last_epoch` to it.
    public func recordEpoch(trial: String, _ record: EpochMetrics) throws {
        try recordEpochs(trial: trial, CollectionOfOne(record))
    }

    /// Inserts or replaces epoch rows of a `running` trial, in order, and sets `trials.last_epoch` to the last one's
    /// epoch: what ``recordEpoch(trial:_:)`` of each does, with the status checked and `last_epoch` set once (a
    /// worker's short epochs arrive dozens at a time, and these statements were most of the coordinator's writing).
    public func recordEpochs(trial: String, _ records: some Collection<EpochMetrics>) throws {
        guard let first = records.first else { return }
        try update(trial, attempted: "record epoch \(first.epoch) of", allowed: { $0 == .running }) {
            let columns = MetricColumns.epoch
            // Cached statements: an epoch comes every few milliseconds on small data, and preparing these anew
            // each time was a visible share of the coordinator's CPU.
            let insert = try db.cachedStatement(sql: Self.insertEpoch)
            var last = first.epoch
            for record in records {
                last = record.epoch
                let values: [(any DatabaseValueConvertible)?] =
                    [sweep.rawValue, trial, record.epoch]
                    + columns.map { MetricValue.databaseValue(record.value($0)) } + [
                        MetricValue.databaseValue(record.seconds)
                    ]
                try insert.execute(arguments: StatementArguments(values))
            }
            try db.cachedStatement(sql: "UPDATE trials SET last_epoch = ? WHERE sweep_id = ? AND id = ?")
                .execute(arguments: [last, sweep.rawValue, trial])
        }
    }

    /// The statement ``recordEpochs(trial:_:)`` inserts an epoch row with (built once: its columns are fixed).
    private static let insertEpoch = """
        INSERT OR REPLACE INTO epochs (sweep_id, trial_id, epoch, \(MetricColumns.epochList), seconds)
        VALUES (\(Array(repeating: "?", count: MetricColumns.epoch.count + 4).joined(separator: ", ")))
        """

    /// Records the parameter count a `running` trial's worker reported when it started.
    public func recordParameterCount(trial: String, _ count: Int) throws {
        try update(trial, attempted: "record the parameter count of", allowed: { $0 == .running }) {
            try db.execute(
                sql: "UPDATE trials SET param_count = ? WHERE sweep_id = ? AND id = ?",
                arguments: [count, sweep.rawValue, trial])
        }
    }

    /// Marks a `running` trial `completed` with its test metrics. From then on the trial is immutable.
    /// A classifier's test confusion matrix is stored with it (`test_confusion`, JSON).
    /// With patience, where it stopped the trial and which epoch the test measures (`patience`, v11 columns).
    public func markCompleted(
        trial: String, test: [Metric: Double], seconds: Double?, confusion: [[Int]]? = nil,
        patience: PatienceEnding = PatienceEnding()
    ) throws {
        try update(trial, attempted: "complete", allowed: { $0 == .running }) {
            let columns = MetricColumns.test
            let values: [(any DatabaseValueConvertible)?] =
                columns.map { MetricValue.databaseValue(test[$0.metric]) }
                + [MetricValue.databaseValue(seconds), confusion.map(TrialRow.confusionJSON)]
                + [patience.stoppedEpoch, patience.bestEpoch, patience.restoredEpoch, sweep.rawValue, trial]
            try db.execute(
                sql: """
                    UPDATE trials SET status = 'completed', finished_at = \(StoreSchema.now),
                        \(columns.map { "\($0.recordName) = ?" }.joined(separator: ", ")), seconds = ?,
                        test_confusion = ?, patience_stopped_epoch = ?, best_epoch = ?, restored_epoch = ?
                    WHERE sweep_id = ? AND id = ?
                    """,
                arguments: StatementArguments(values))
        }
    }

    /// Marks a non-completed trial `failed` or `diverged` with what is known about the worker's end.
    public func markFailed(
        trial: String, status: TrialStatus, exitStatus: Int32? = nil, signal: Int32? = nil, error: String?,
        stderrTail: String? = nil, seconds: Double? = nil
    ) throws {
        precondition(status == .failed || status == .diverged, "markFailed takes .failed or .diverged")
        try update(trial, attempted: "mark \(status)", allowed: { $0 != .completed }) {
            try db.execute(
                sql: """
                    UPDATE trials SET status = ?, finished_at = \(StoreSchema.now), exit_status = ?, signal = ?,
                        error = ?, stderr_tail = ?, seconds = coalesce(?, seconds) WHERE sweep_id = ? AND id = ?
                    """,
                arguments: [
                    status.rawValue, exitStatus, signal, error, stderrTail,
                    MetricValue.databaseValue(seconds), sweep.rawValue, trial,
                ])
        }
    }

    /// Marks a non-completed trial `interrupted` (user stop, coordinator shutdown); it runs again next time.
    public func markInterrupted(trial: String, signal: Int32? = nil, error: String? = nil) throws {
        try update(trial, attempted: "interrupt", allowed: { $0 != .completed }) {
            try db.execute(
                sql: """
                    UPDATE trials SET status = 'interrupted', finished_at = \(StoreSchema.now), signal = ?,
                        error = ? WHERE sweep_id = ? AND id = ?
                    """, arguments: [signal, error, sweep.rawValue, trial])
        }
    }

    /// Drops the epoch rows after `epoch` of a non-completed trial (0 = all), so that a fresh or resumed attempt
    /// re-records them; `last_epoch` becomes the highest remaining epoch.
    public func deleteEpochs(trial: String, after epoch: Int) throws {
        try update(trial, attempted: "delete epochs of", allowed: { $0 != .completed }) {
            try db.execute(
                sql: "DELETE FROM epochs WHERE sweep_id = ? AND trial_id = ? AND epoch > ?",
                arguments: [sweep.rawValue, trial, epoch])
            try db.execute(
                sql: """
                    UPDATE trials SET last_epoch = (SELECT max(epoch) FROM epochs
                        WHERE epochs.sweep_id = trials.sweep_id AND epochs.trial_id = trials.id)
                    WHERE sweep_id = ? AND id = ?
                    """, arguments: [sweep.rawValue, trial])
        }
    }

    /// Records where an attempt of a `running` trial runs, from its `started` event. A fresh start (`resumedFrom`
    /// 0) replaces the stored provenance (nil stores NULL: not recorded) and clears `resumed_on`. A resume whose
    /// bits differ from the attempt before it (``Provenance/givesSameBits(as:)``: another CPU kind, build or thread
    /// count — not just another host) is appended to `resumed_on`; when the trial's start is recorded it is also
    /// noted, and the note is returned. A resume with the same bits, or one that reports nothing, changes nothing.
    @discardableResult
    public func recordProvenance(trial: String, _ provenance: Provenance?, resumedFrom epoch: Int) throws -> String? {
        var note: String?
        try update(trial, attempted: "record the provenance of", allowed: { $0 == .running }) {
            if epoch == 0 {
                let p = provenance
                try db.execute(
                    sql: """
                        UPDATE trials SET rnnsweep_version = ?, rnnsweep_commit = ?, rnnsweep_dirty = ?, host = ?,
                            cpu_model = ?, kernels = ?, backend = ?, threads = ?, resumed_on = NULL
                        WHERE sweep_id = ? AND id = ?
                        """,
                    arguments: [
                        p?.build.version, p?.build.commit, p.map { $0.build.dirty ? 1 : 0 }, p?.host, p?.cpuModel,
                        p?.kernels, p?.backend, p?.threads, sweep.rawValue, trial,
                    ])
                return
            }
            guard let provenance,
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM trials WHERE sweep_id = ? AND id = ?", arguments: [sweep.rawValue, trial])
            else { return }
            let stored = try TrialRow(row: row)
            let before = stored.resumedOn.last?.provenance ?? stored.provenance
            if let before, before.givesSameBits(as: provenance) { return }
            let resume = ProvenanceResume(fromEpoch: epoch, provenance: provenance)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let json = String(decoding: try encoder.encode(stored.resumedOn + [resume]), as: UTF8.self)
            try db.execute(
                sql: "UPDATE trials SET resumed_on = ? WHERE sweep_id = ? AND id = ?",
                arguments: [json, sweep.rawValue, trial])
            // With the start not recorded (an older rnnsweep) there is no known difference to state.
            if let before, stored.provenance != nil {
                note = resume.note(after: before)
                try addNote(trial: trial, note!)
            }
        }
        return note
    }

    /// Appends a line to a trial's `notes` (things a user should know that are not errors: a checkpoint moved
    /// aside, a resume on another machine). Allowed in any status: notes never change results.
    public func addNote(trial: String, _ note: String) throws {
        try update(trial, attempted: "annotate", allowed: { _ in true }) {
            try db.execute(
                sql: """
                    UPDATE trials SET notes = CASE WHEN notes IS NULL OR notes = '' THEN ? ELSE notes || char(10) || ?
                        END WHERE sweep_id = ? AND id = ?
                    """, arguments: [note, note, sweep.rawValue, trial])
        }
    }

    /// Turns every `running` trial of the sweep that is not in flight on Slurm into `interrupted` and returns how
    /// many there were. Only call it while holding the sweep (no other coordinator can be running these trials).
    @discardableResult
    public func markStaleRunningAsInterrupted() throws -> Int {
        try db.execute(
            sql: """
                UPDATE trials SET status = 'interrupted', finished_at = \(StoreSchema.now),
                    error = coalesce(error, 'found running with no coordinator (stale)')
                WHERE sweep_id = ? AND status = 'running' AND NOT EXISTS (SELECT 1 FROM slurm_tasks s
                    WHERE s.sweep_id = trials.sweep_id AND s.trial_id = trials.id AND s.ended_at IS NULL)
                """, arguments: [sweep.rawValue])
        return db.changesCount
    }

    /// Runs `body` after checking the trial exists and its status allows the write.
    private func update(_ trial: String, attempted: String, allowed: (TrialStatus) -> Bool, _ body: () throws -> Void)
        throws
    {
        guard
            let text = try String.fetchOne(
                db.cachedStatement(sql: "SELECT status FROM trials WHERE sweep_id = ? AND id = ?"),
                arguments: [sweep.rawValue, trial])
        else { throw MetricsStoreError.unknownTrial(sweep: sweep.description, trial: trial) }
        let status = TrialStatus(rawValue: text) ?? .pending
        guard allowed(status) else {
            throw MetricsStoreError.contractViolation(
                sweep: sweep.description, trial: trial, status: status, attempted: attempted)
        }
        try body()
    }
}
