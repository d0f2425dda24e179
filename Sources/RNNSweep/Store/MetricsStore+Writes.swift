import Foundation
import GRDB
import RNNTraining

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
    /// and `grid_point` follow the new expansion, its data warnings the latest check, and a row without a data
    /// fingerprint (registered before fingerprints) gets the one it was matched with. Every registered row is
    /// current (`superseded_at` cleared).
    ///
    /// `superseding` says which of the sweep's other rows the registration supersedes (``SupersededTrials``);
    /// nil supersedes none (a caller that registers extra trials, not a definition).
    public func registerTrials(sweep: SweepID, trials: [NewTrial], superseding: SupersededTrials? = nil) throws {
        try pool.write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO trials (sweep_id, id, ordinal, grid_point, seed, params, data_fingerprint,
                        data_warnings)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(sweep_id, id) DO UPDATE SET ordinal = excluded.ordinal,
                        grid_point = excluded.grid_point,
                        data_fingerprint = coalesce(trials.data_fingerprint, excluded.data_fingerprint),
                        data_warnings = excluded.data_warnings, superseded_at = NULL
                    """)
            for trial in trials {
                try statement.execute(arguments: [
                    sweep.rawValue, trial.id, trial.ordinal, trial.gridPoint, trial.seed, trial.paramsJSON,
                    trial.dataFingerprint,
                    trial.dataWarnings.isEmpty ? nil : trial.dataWarnings.joined(separator: "\n"),
                ])
            }
            if let superseding {
                try superseding.mark(sweep: sweep, registered: trials.map(\.id), db)
            }
        }
    }

    /// The sweep's folder relative to the database's folder: the one it already has, else `proposed` (recorded).
    public func runDirectory(sweep: SweepID, proposed: String) throws -> String {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE sweeps SET run_directory = coalesce(run_directory, ?) WHERE id = ?",
                arguments: [proposed, sweep.rawValue])
            return try String.fetchOne(
                db, sql: "SELECT run_directory FROM sweeps WHERE id = ?", arguments: [sweep.rawValue]) ?? proposed
        }
    }

    /// Records how busy this `run` kept its local workers (0…1; nil: not measured), for the report.
    public func setBusyFraction(sweep: SweepID, _ fraction: Double?) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE sweeps SET busy_fraction = ? WHERE id = ?", arguments: [fraction, sweep.rawValue])
        }
    }

    /// Records the executor settings of this `run` (JSON), for `sync`.
    public func setExecutor(sweep: SweepID, json: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE sweeps SET executor = ? WHERE id = ?", arguments: [json, sweep.rawValue])
        }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`) on the sweep's rows.
    @discardableResult
    public func write<T>(sweep: SweepID, _ body: (StoreTransaction) throws -> T) throws -> T {
        try pool.write { db in try body(StoreTransaction(db: db, sweep: sweep)) }
    }

    // The single-write forms below are one transaction each (see `StoreTransaction` for what they do).

    public func markStarted(sweep: SweepID, trial: String, pid: Int32?) throws {
        try write(sweep: sweep) { try $0.markStarted(trial: trial, pid: pid) }
    }

    public func recordEpoch(sweep: SweepID, trial: String, _ record: EpochMetrics) throws {
        try write(sweep: sweep) { try $0.recordEpoch(trial: trial, record) }
    }

    public func markCompleted(sweep: SweepID, trial: String, test: [Metric: Double], seconds: Double?) throws {
        try write(sweep: sweep) { try $0.markCompleted(trial: trial, test: test, seconds: seconds) }
    }

    /// `markCompleted` of a classification trial (test loss and accuracy).
    public func markCompleted(
        sweep: SweepID, trial: String, testLoss: Double?, testAccuracy: Double?, seconds: Double?
    ) throws {
        var test: [Metric: Double] = [:]
        test[.loss] = testLoss
        test[.accuracy] = testAccuracy
        try markCompleted(sweep: sweep, trial: trial, test: test, seconds: seconds)
    }

    public func markFailed(
        sweep: SweepID, trial: String, status: TrialStatus, exitStatus: Int32? = nil, signal: Int32? = nil,
        error: String?, stderrTail: String? = nil, seconds: Double? = nil
    ) throws {
        try write(sweep: sweep) {
            try $0.markFailed(
                trial: trial, status: status, exitStatus: exitStatus, signal: signal, error: error,
                stderrTail: stderrTail, seconds: seconds)
        }
    }

    public func markInterrupted(sweep: SweepID, trial: String, signal: Int32? = nil, error: String? = nil) throws {
        try write(sweep: sweep) { try $0.markInterrupted(trial: trial, signal: signal, error: error) }
    }

    public func deleteEpochs(sweep: SweepID, trial: String, after epoch: Int) throws {
        try write(sweep: sweep) { try $0.deleteEpochs(trial: trial, after: epoch) }
    }

    @discardableResult
    public func markStaleRunningAsInterrupted(sweep: SweepID) throws -> Int {
        try write(sweep: sweep) { try $0.markStaleRunningAsInterrupted() }
    }
}
