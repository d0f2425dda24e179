import Foundation
import GRDB

extension MetricsStore {
    /// Inserts the sweep, or updates description, path, experiment, varying keys, experiment text and command of
    /// the sweep with the same name (its trials are kept). Returns its id. `experimentText` is the experiment file
    /// as written and `command` the command line that runs it; both replace the stored ones (nil stores NULL), so
    /// they always describe the latest registration.
    @discardableResult
    public func registerSweep(
        name: String, description: String?, experimentPath: String?, experimentJSON: String, varyingKeys: [String],
        experimentText: String? = nil, command: String? = nil
    ) throws -> SweepID {
        let keysJSON = String(decoding: try JSONEncoder().encode(varyingKeys), as: UTF8.self)
        return try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sweeps
                        (name, description, experiment_path, experiment, varying_keys, experiment_text, command)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET description = excluded.description,
                        experiment_path = excluded.experiment_path, experiment = excluded.experiment,
                        varying_keys = excluded.varying_keys, experiment_text = excluded.experiment_text,
                        command = excluded.command, updated_at = \(StoreSchema.now)
                    """,
                arguments: [name, description, experimentPath, experimentJSON, keysJSON, experimentText, command])
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM sweeps WHERE name = ?", arguments: [name])
            return SweepID(rawValue: id!)
        }
    }

    /// Inserts missing trials as `pending`; existing rows keep their status and results, only their `ordinal`
    /// and `grid_point` follow the new expansion.
    public func registerTrials(sweep: SweepID, trials: [NewTrial]) throws {
        try pool.write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO trials (sweep_id, id, ordinal, grid_point, seed, params) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(sweep_id, id) DO UPDATE SET ordinal = excluded.ordinal,
                        grid_point = excluded.grid_point
                    """)
            for trial in trials {
                try statement.execute(arguments: [
                    sweep.rawValue, trial.id, trial.ordinal, trial.gridPoint, trial.seed, trial.paramsJSON,
                ])
            }
        }
    }

    /// Marks a non-completed trial `running`: attempts += 1, `started_at` = now, results of earlier attempts
    /// cleared. Epoch rows are kept (see ``deleteEpochs(sweep:trial:after:)``).
    public func markStarted(sweep: SweepID, trial: String, pid: Int32?) throws {
        try update(sweep, trial, attempted: "start", allowed: { $0 != .completed }) { db in
            try db.execute(
                sql: """
                    UPDATE trials SET status = 'running', attempts = attempts + 1, worker_pid = ?,
                        started_at = \(StoreSchema.now), finished_at = NULL, seconds = NULL, exit_status = NULL,
                        signal = NULL, error = NULL, stderr_tail = NULL, test_loss = NULL, test_accuracy = NULL
                    WHERE sweep_id = ? AND id = ?
                    """, arguments: [pid, sweep.rawValue, trial])
        }
    }

    /// Inserts or replaces one epoch row of a `running` trial and sets `trials.last_epoch` to it.
    public func recordEpoch(sweep: SweepID, trial: String, _ record: EpochRecord) throws {
        try update(sweep, trial, attempted: "record epoch \(record.epoch) of", allowed: { $0 == .running }) { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO epochs
                        (sweep_id, trial_id, epoch, loss, accuracy, val_loss, val_accuracy, seconds)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    sweep.rawValue, trial, record.epoch, MetricValue.databaseValue(record.loss),
                    MetricValue.databaseValue(record.accuracy), MetricValue.databaseValue(record.valLoss),
                    MetricValue.databaseValue(record.valAccuracy), MetricValue.databaseValue(record.seconds),
                ])
            try db.execute(
                sql: "UPDATE trials SET last_epoch = ? WHERE sweep_id = ? AND id = ?",
                arguments: [record.epoch, sweep.rawValue, trial])
        }
    }

    /// Marks a `running` trial `completed` with its test metrics. From then on the trial is immutable.
    public func markCompleted(
        sweep: SweepID, trial: String, testLoss: Double?, testAccuracy: Double?, seconds: Double?
    ) throws {
        try update(sweep, trial, attempted: "complete", allowed: { $0 == .running }) { db in
            try db.execute(
                sql: """
                    UPDATE trials SET status = 'completed', finished_at = \(StoreSchema.now), test_loss = ?,
                        test_accuracy = ?, seconds = ? WHERE sweep_id = ? AND id = ?
                    """,
                arguments: [
                    MetricValue.databaseValue(testLoss), MetricValue.databaseValue(testAccuracy),
                    MetricValue.databaseValue(seconds), sweep.rawValue, trial,
                ])
        }
    }

    /// Marks a non-completed trial `failed` or `diverged` with what is known about the worker's end.
    public func markFailed(
        sweep: SweepID, trial: String, status: TrialStatus, exitStatus: Int32? = nil, signal: Int32? = nil,
        error: String?, stderrTail: String? = nil, seconds: Double? = nil
    ) throws {
        precondition(status == .failed || status == .diverged, "markFailed takes .failed or .diverged")
        try update(sweep, trial, attempted: "mark \(status)", allowed: { $0 != .completed }) { db in
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
    public func markInterrupted(sweep: SweepID, trial: String, signal: Int32? = nil, error: String? = nil) throws {
        try update(sweep, trial, attempted: "interrupt", allowed: { $0 != .completed }) { db in
            try db.execute(
                sql: """
                    UPDATE trials SET status = 'interrupted', finished_at = \(StoreSchema.now), signal = ?,
                        error = ? WHERE sweep_id = ? AND id = ?
                    """, arguments: [signal, error, sweep.rawValue, trial])
        }
    }

    /// Drops the epoch rows after `epoch` of a non-completed trial (0 = all), so that a fresh or resumed attempt
    /// re-records them; `last_epoch` becomes the highest remaining epoch.
    public func deleteEpochs(sweep: SweepID, trial: String, after epoch: Int) throws {
        try update(sweep, trial, attempted: "delete epochs of", allowed: { $0 != .completed }) { db in
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

    /// Turns every `running` trial of the sweep into `interrupted` and returns how many there were. Only call it
    /// while holding the sweep (no other coordinator can be running these trials).
    @discardableResult
    public func markStaleRunningAsInterrupted(sweep: SweepID) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE trials SET status = 'interrupted', finished_at = \(StoreSchema.now),
                        error = coalesce(error, 'found running with no coordinator (stale)')
                    WHERE sweep_id = ? AND status = 'running'
                    """, arguments: [sweep.rawValue])
            return db.changesCount
        }
    }

    /// Runs `body` in one write transaction after checking the trial exists and its status allows the write.
    private func update(
        _ sweep: SweepID, _ trial: String, attempted: String, allowed: (TrialStatus) -> Bool,
        _ body: (Database) throws -> Void
    ) throws {
        try pool.write { db in
            guard
                let text = try String.fetchOne(
                    db, sql: "SELECT status FROM trials WHERE sweep_id = ? AND id = ?",
                    arguments: [sweep.rawValue, trial])
            else { throw MetricsStoreError.unknownTrial(sweep: sweep.description, trial: trial) }
            let status = TrialStatus(rawValue: text) ?? .pending
            guard allowed(status) else {
                throw MetricsStoreError.contractViolation(
                    sweep: sweep.description, trial: trial, status: status, attempted: attempted)
            }
            try body(db)
        }
    }
}
