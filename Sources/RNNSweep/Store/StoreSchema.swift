import GRDB

/// The metrics database schema, as append-only SQL migrations.
///
/// Never edit a shipped migration: add a new identifier ("v2", …) with `ALTER TABLE`/`CREATE` statements.
/// Timestamps are ISO-8601 UTC text with milliseconds (`strftime('%Y-%m-%dT%H:%M:%fZ','now')`), readable in the
/// `sqlite3` shell and sortable as text. Metric columns are REAL, except NaN, which is the TEXT `'NaN'`
/// (see ``MetricValue``); NULL means "not measured".
///
/// Tables (query them with `sqlite3 FILE`):
/// - `sweeps`: one row per sweep name; `experiment` is the resolved experiment as JSON, `varying_keys` a JSON
///   array of the parameter keys that vary, in file order; `experiment_text` the file as written and `command`
///   the command line of the latest `run` (both NULL in databases from before v2-sweep-source).
/// - `trials`: one row per (sweep, trial); `id` is a 16-hex hash of the resolved `params` (a JSON object), so the
///   same parameters in two sweeps are two rows. `status` is one of pending, running, completed, failed,
///   diverged, interrupted; `attempts` counts starts; `last_epoch` is the latest recorded epoch.
/// - `epochs`: one row per (sweep, trial, epoch), epochs numbered from 1; one column per training and validation
///   metric (`MetricColumns.epoch`: `loss`, `accuracy`, `mae`, `rmse`, `val_…`), NULL where the task does not report it.
/// - `trials.test_…`: the test metrics (`MetricColumns.test`).
///
/// Example: `SELECT t.params, e.epoch, e.val_accuracy FROM epochs e JOIN trials t
/// ON t.sweep_id = e.sweep_id AND t.id = e.trial_id ORDER BY t.ordinal, e.epoch;`
public enum StoreSchema {
    /// SQL for "now" in the stored timestamp format.
    static let now = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

    /// The identifiers of all migrations, oldest first.
    public static var migrationIdentifiers: [String] {
        [
            "v1", "v2-sweep-source", "v3-executors", "v4-provenance", "v5-successive-halving", "v6-regression-metrics",
            "v7-data-files", "v8-parameter-count", "v9-sweep-owners", "v10-superseded-trials",
            "v11-patience", "v12-worker-busy", "v13-trials-per-task",
        ]
    }

    /// The migrator that creates or upgrades a database; only the coordinator runs it.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-sweep-source") { db in
            try db.execute(sql: v2SweepSource)
        }
        migrator.registerMigration("v3-executors") { db in
            try db.execute(sql: v3Executors)
        }
        migrator.registerMigration("v4-provenance") { db in
            try db.execute(sql: v4Provenance)
        }
        // Rebuilds `trials` (SQLite cannot change a CHECK constraint in place); GRDB runs it with foreign keys off,
        // so dropping the old table cascades to no epoch row, and checks them all before committing.
        migrator.registerMigration("v5-successive-halving", foreignKeyChecks: .deferred) { db in
            try db.execute(sql: try v5SuccessiveHalving(db))
        }
        migrator.registerMigration("v6-regression-metrics") { db in
            try db.execute(sql: v6RegressionMetrics)
        }
        migrator.registerMigration("v7-data-files") { db in
            try db.execute(sql: v7DataFiles)
        }
        migrator.registerMigration("v8-parameter-count") { db in
            try db.execute(sql: v8ParameterCount)
        }
        migrator.registerMigration("v9-sweep-owners") { db in
            try db.execute(sql: v9SweepOwners)
        }
        migrator.registerMigration("v10-superseded-trials") { db in
            try db.execute(sql: v10SupersededTrials)
        }
        migrator.registerMigration("v11-patience") { db in
            try db.execute(sql: v11Patience)
        }
        migrator.registerMigration("v12-worker-busy") { db in
            try db.execute(sql: v12WorkerBusy)
        }
        migrator.registerMigration("v13-trials-per-task") { db in
            try db.execute(sql: v13TrialsPerTask)
        }
        return migrator
    }

    static let v1 = """
        CREATE TABLE sweeps (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT,
            experiment_path TEXT,
            experiment TEXT NOT NULL CHECK (json_valid(experiment)),
            varying_keys TEXT NOT NULL CHECK (json_valid(varying_keys) AND json_type(varying_keys) = 'array'),
            created_at TEXT NOT NULL DEFAULT (\(now)),
            updated_at TEXT NOT NULL DEFAULT (\(now))
        );
        CREATE TABLE trials (
            sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            grid_point INTEGER NOT NULL,
            seed INTEGER NOT NULL,
            params TEXT NOT NULL CHECK (json_valid(params) AND json_type(params) = 'object'),
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending','running','completed','failed','diverged','interrupted')),
            attempts INTEGER NOT NULL DEFAULT 0,
            worker_pid INTEGER,
            started_at TEXT,
            finished_at TEXT,
            seconds REAL,
            exit_status INTEGER,
            signal INTEGER,
            error TEXT,
            stderr_tail TEXT,
            last_epoch INTEGER,
            test_loss REAL,
            test_accuracy REAL,
            PRIMARY KEY (sweep_id, id)
        );
        CREATE INDEX trials_by_status ON trials(sweep_id, status);
        CREATE TABLE epochs (
            sweep_id INTEGER NOT NULL,
            trial_id TEXT NOT NULL,
            epoch INTEGER NOT NULL CHECK (epoch >= 0),
            loss REAL,
            accuracy REAL,
            val_loss REAL,
            val_accuracy REAL,
            seconds REAL,
            PRIMARY KEY (sweep_id, trial_id, epoch),
            FOREIGN KEY (sweep_id, trial_id) REFERENCES trials(sweep_id, id) ON DELETE CASCADE
        );
        """

    /// The experiment file as written and the command that ran it, for the report's provenance. NULL for sweeps
    /// registered before this migration (the report says "not recorded").
    static let v2SweepSource = """
        ALTER TABLE sweeps ADD COLUMN experiment_text TEXT;
        ALTER TABLE sweeps ADD COLUMN command TEXT;
        """

    /// Where a sweep's files live, what it ran on, notes on trials, and the Slurm array tasks in flight.
    /// - `sweeps.run_directory`: the sweep's folder (lock, checkpoints, Slurm submissions, logs), relative to the
    ///   database's folder. Sweeps registered before this migration keep the folder they used, `<name>`; new ones
    ///   get `<database stem>.runs/<name>`, so two databases in one folder never share files.
    /// - `sweeps.executor`: the executor settings of the last `run` (JSON), which `sync` reuses.
    /// - `trials.notes`: things a user should know that are not errors (a checkpoint moved aside).
    /// - `slurm_tasks`: one row per submitted array task; `events_offset` is how far its events file has been
    ///   recorded (advanced in the transaction that records the events); `ended_at` is NULL while in flight.
    static let v3Executors = """
        ALTER TABLE sweeps ADD COLUMN run_directory TEXT;
        UPDATE sweeps SET run_directory = name;
        ALTER TABLE sweeps ADD COLUMN executor TEXT CHECK (executor IS NULL OR json_valid(executor));
        ALTER TABLE trials ADD COLUMN notes TEXT;
        CREATE TABLE slurm_tasks (
            sweep_id INTEGER NOT NULL,
            trial_id TEXT NOT NULL,
            job_id TEXT NOT NULL,
            array_index INTEGER NOT NULL CHECK (array_index >= 0),
            folder TEXT NOT NULL,
            submitted_at TEXT NOT NULL DEFAULT (\(now)),
            events_offset INTEGER NOT NULL DEFAULT 0,
            state TEXT,
            reason TEXT,
            node TEXT,
            ended_at TEXT,
            PRIMARY KEY (sweep_id, job_id, array_index),
            FOREIGN KEY (sweep_id, trial_id) REFERENCES trials(sweep_id, id) ON DELETE CASCADE
        );
        CREATE INDEX slurm_tasks_in_flight ON slurm_tasks(sweep_id, ended_at);
        """

    /// Where each trial ran and what ran it, as its worker's `started` event reported (NULL in rows from before this
    /// migration and in trials that never started: the report says "not recorded").
    /// - `rnnsweep_version`, `rnnsweep_commit` (NULL when the build knew none), `rnnsweep_dirty` (0/1), `host`,
    ///   `cpu_model` (`/proc/cpuinfo`), `kernels` (`AVX-512`, `AVX2`, `baseline`), `backend` (`oneDNN 2.6.3`),
    ///   `threads`: the attempt that ran the trial's first epoch (a fresh start replaces them).
    /// - `resumed_on`: a JSON array, one object per resume from a checkpoint that ran with other bits than the
    ///   attempt before it (another CPU kind, build or thread count; not just another host): the same keys plus
    ///   `from_epoch`, the checkpoint's epoch. NULL when every resume matched.
    static let v4Provenance = """
        ALTER TABLE trials ADD COLUMN rnnsweep_version TEXT;
        ALTER TABLE trials ADD COLUMN rnnsweep_commit TEXT;
        ALTER TABLE trials ADD COLUMN rnnsweep_dirty INTEGER CHECK (rnnsweep_dirty IN (0, 1));
        ALTER TABLE trials ADD COLUMN host TEXT;
        ALTER TABLE trials ADD COLUMN cpu_model TEXT;
        ALTER TABLE trials ADD COLUMN kernels TEXT;
        ALTER TABLE trials ADD COLUMN backend TEXT;
        ALTER TABLE trials ADD COLUMN threads INTEGER CHECK (threads >= 1);
        ALTER TABLE trials ADD COLUMN resumed_on TEXT
            CHECK (resumed_on IS NULL OR (json_valid(resumed_on) AND json_type(resumed_on) = 'array'));
        """

    /// Regression: the metrics `mae` and `rmse` per epoch (train and validation) and on the test set. A regression
    /// trial leaves the accuracy columns NULL; a classification trial these.
    static let v6RegressionMetrics = """
        ALTER TABLE epochs ADD COLUMN mae REAL;
        ALTER TABLE epochs ADD COLUMN rmse REAL;
        ALTER TABLE epochs ADD COLUMN val_mae REAL;
        ALTER TABLE epochs ADD COLUMN val_rmse REAL;
        ALTER TABLE trials ADD COLUMN test_mae REAL;
        ALTER TABLE trials ADD COLUMN test_rmse REAL;
        """

    /// The user's data files:
    /// - `trials.data_fingerprint`, the SHA-256 fingerprint of the data files the trial read (``DataFingerprint``;
    ///   NULL for generated data, and for trials registered before this migration until a run matches them with
    ///   their data). A trial's id hashes it in place of the data's path.
    /// - `data_versions`, one row per fingerprint: the files read, the data's summary and its class names (from the
    ///   folder names, `.ts` labels or a CSV's label strings), as first seen.
    /// - `trials.data_warnings`: what the data check found worth knowing (a validation split missing a class), one
    ///   per line, for the report's caption.
    /// - `trials.test_confusion`, a classifier's test confusion matrix as JSON `[[count]]`, `[true][predicted]`.
    static let v7DataFiles = """
        ALTER TABLE trials ADD COLUMN data_fingerprint TEXT;
        ALTER TABLE trials ADD COLUMN data_warnings TEXT;
        ALTER TABLE trials ADD COLUMN test_confusion TEXT;
        CREATE TABLE data_versions (
            fingerprint TEXT PRIMARY KEY NOT NULL,
            summary TEXT NOT NULL,
            sources TEXT NOT NULL,
            class_names TEXT,
            first_seen TEXT NOT NULL
        );
        """

    /// `trials.param_count`: the trainable parameter count of the trial's model, as its worker reported it when it
    /// started (the engine's count, equal to Keras's), for the `params` report metric; NULL for trials that never
    /// started since. Without it a report would have to read every trial's data again to size its model.
    static let v8ParameterCount = """
        ALTER TABLE trials ADD COLUMN param_count INTEGER;
        """

    /// `sweep_owners`: the coordinator that holds a sweep (``SweepOwnerRow``), beside the `.lock` file that anyone
    /// can delete. Keyed by the sweep's name, because it is claimed before the sweep is registered. `process_start`
    /// is the process's start time in clock ticks since boot (`/proc/<pid>/stat`), so that a recycled pid is not
    /// taken for the owner; `heartbeat_at` is refreshed while it runs, for owners on another host.
    static let v9SweepOwners = """
        CREATE TABLE sweep_owners (
            sweep TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            boot_id TEXT NOT NULL,
            pid INTEGER NOT NULL,
            process_start INTEGER NOT NULL,
            claimed_at TEXT NOT NULL DEFAULT (\(now)),
            heartbeat_at TEXT NOT NULL DEFAULT (\(now))
        );
        """

    /// `trials.superseded_at`: when a registration of the sweep stopped expanding to the trial (an edited experiment
    /// file dropped its grid point, or changed a parameter); NULL for the trials of the sweep's current definition.
    /// Superseded rows keep their results; reports and `status` hide them unless asked (`--all-trials`).
    static let v10SupersededTrials = """
        ALTER TABLE trials ADD COLUMN superseded_at TEXT;
        """

    /// Early stopping by patience: `trials.patience_stopped_epoch`, the epoch patience stopped a completed trial at
    /// (NULL when it ran its epochs); `best_epoch`, the best epoch patience saw; `restored_epoch`, the epoch whose
    /// weights restore_best put back and the test columns measure (NULL without restore_best).
    static let v11Patience = """
        ALTER TABLE trials ADD COLUMN patience_stopped_epoch INTEGER;
        ALTER TABLE trials ADD COLUMN best_epoch INTEGER;
        ALTER TABLE trials ADD COLUMN restored_epoch INTEGER;
        """

    /// How busy the latest local `run` kept its workers (``WorkerBusyTime``): the share of their wall time spent in
    /// training and evaluation steps, 0…1; NULL when not measured (another executor, nothing trained, or a run of
    /// an older rnnsweep).
    static let v12WorkerBusy = """
        ALTER TABLE sweeps ADD COLUMN busy_fraction REAL;
        """

    /// Several trials per Slurm array task: a `slurm_tasks` row is one trial of a submission (`array_index`, its
    /// place there, names its request and events files) and `array_task` is the array task that runs it with
    /// others; NULL when each task runs one trial, task `array_index` (as every row before this migration).
    static let v13TrialsPerTask = """
        ALTER TABLE slurm_tasks ADD COLUMN array_task INTEGER CHECK (array_task IS NULL OR array_task >= 0);
        """

    /// Successive halving: the statuses `paused` and `stopped`, and `rungs`, one row per (rung, grid point) with the
    /// metric the decision used and the decision, so that a resumed or re-attached sweep never decides again.
    static func v5SuccessiveHalving(_ db: Database) throws -> String {
        // The new table has every column the old one has (whatever later migrations added), in the same order.
        let columns = try db.columns(in: "trials")
        let definitions = try String.fetchOne(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'trials'")!
        let widened = definitions.replacingOccurrences(
            of: "CHECK (status IN ('pending','running','completed','failed','diverged','interrupted'))",
            with:
                "CHECK (status IN ('pending','running','completed','failed','diverged','interrupted','paused','stopped'))"
        )
        precondition(widened != definitions, "the v1 status constraint changed: update this migration")
        let names = columns.map(\.name).joined(separator: ", ")
        return """
            \(widened.replacingOccurrences(of: "CREATE TABLE trials", with: "CREATE TABLE trials_v5"));
            INSERT INTO trials_v5 (\(names)) SELECT \(names) FROM trials;
            DROP TABLE trials;
            ALTER TABLE trials_v5 RENAME TO trials;
            CREATE INDEX trials_by_status ON trials(sweep_id, status);
            CREATE TABLE rungs (
                sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
                rule TEXT NOT NULL,
                rung INTEGER NOT NULL CHECK (rung >= 0),
                epoch INTEGER NOT NULL CHECK (epoch >= 1),
                grid_point INTEGER NOT NULL,
                metric_name TEXT NOT NULL,
                metric REAL,
                rank INTEGER NOT NULL,
                decision TEXT NOT NULL CHECK (decision IN ('promoted','stopped')),
                decided_at TEXT NOT NULL DEFAULT (\(now)),
                PRIMARY KEY (sweep_id, rule, epoch, grid_point)
            );
            """
    }
}
