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
/// - `epochs`: one row per (sweep, trial, epoch), epochs numbered from 1.
///
/// Example: `SELECT t.params, e.epoch, e.val_accuracy FROM epochs e JOIN trials t
/// ON t.sweep_id = e.sweep_id AND t.id = e.trial_id ORDER BY t.ordinal, e.epoch;`
public enum StoreSchema {
    /// SQL for "now" in the stored timestamp format.
    static let now = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

    /// The identifiers of all migrations, oldest first.
    public static var migrationIdentifiers: [String] { ["v1", "v2-sweep-source"] }

    /// The migrator that creates or upgrades a database; only the coordinator runs it.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-sweep-source") { db in
            try db.execute(sql: v2SweepSource)
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
}
