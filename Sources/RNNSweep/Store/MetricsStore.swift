import Foundation
import GRDB

/// The sweep metrics database: a narrow, documented contract over one SQLite file (schema: ``StoreSchema``).
///
/// Rules:
/// - **One writer.** Only the coordinator writes. It calls ``create(at:)`` (which creates and migrates the file)
///   before any other process opens it; `status`/`report` and a refused second coordinator use
///   ``openExisting(at:readOnly:)``, which never creates or migrates.
/// - **Each write is its own small transaction** (`BEGIN IMMEDIATE`, busy timeout 10 s): an epoch is committed
///   as soon as it is recorded, so readers see progress live and a crash loses at most the current write.
/// - **Completed trials are immutable**: every write that targets a completed trial throws
///   ``MetricsStoreError/contractViolation(sweep:trial:status:attempted:)``.
/// - **Epoch rows are only appended/replaced for the running attempt**: ``recordEpoch(sweep:trial:_:)`` requires
///   status `running`. ``markStarted(sweep:trial:pid:)`` keeps earlier rows; the caller drops them with
///   ``deleteEpochs(sweep:trial:after:)`` — after 0 for a fresh start, after k when resuming from a checkpoint
///   of epoch k (the resumed run re-records k+1…).
/// - **Registering is idempotent**: re-registering a sweep keeps its trials; re-registering trials only inserts
///   missing ones (as `pending`) and updates positions (`ordinal`, `grid_point`) of existing ones.
/// - **Stale `running` rows** (a coordinator died) are turned into `interrupted` by
///   ``markStaleRunningAsInterrupted(sweep:)``, which the caller runs only while it holds the sweep.
/// - NaN metrics are stored as `'NaN'` text, ±infinity as REAL, missing as NULL (``MetricValue``).
public final class MetricsStore: Sendable {
    /// The database file.
    public let url: URL
    let pool: DatabasePool

    /// Read-only access for ad-hoc queries (`status` summaries, tests). Writes go through the methods.
    public var reader: any DatabaseReader { pool }

    private init(url: URL, pool: DatabasePool) {
        self.url = url
        self.pool = pool
    }

    static func configuration(readOnly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        return configuration
    }

    /// Creates (or opens) the database at `url` for the coordinator: creates the parent directory, opens a WAL
    /// `DatabasePool` and applies pending migrations. Throws ``MetricsStoreError/newerSchema(path:unknown:)``
    /// for a file written by a newer rnnsweep.
    public static func create(at url: URL) throws -> MetricsStore {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let pool = try DatabasePool(path: url.path, configuration: configuration(readOnly: false))
        let migrator = StoreSchema.migrator
        try pool.read { db in try checkNotNewer(db, migrator: migrator, path: url.path) }
        try migrator.migrate(pool)
        return MetricsStore(url: url, pool: pool)
    }

    /// Opens an existing, fully migrated database; never creates or migrates it.
    /// Throws ``MetricsStoreError/missingDatabase(path:)`` when there is no file,
    /// ``MetricsStoreError/newerSchema(path:unknown:)`` or ``MetricsStoreError/notMigrated(path:)``.
    public static func openExisting(at url: URL, readOnly: Bool = true) throws -> MetricsStore {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MetricsStoreError.missingDatabase(path: url.path)
        }
        let pool = try DatabasePool(path: url.path, configuration: configuration(readOnly: readOnly))
        let migrator = StoreSchema.migrator
        try pool.read { db in
            try checkNotNewer(db, migrator: migrator, path: url.path)
            guard try migrator.hasCompletedMigrations(db) else {
                throw MetricsStoreError.notMigrated(path: url.path)
            }
        }
        return MetricsStore(url: url, pool: pool)
    }

    private static func checkNotNewer(_ db: Database, migrator: DatabaseMigrator, path: String) throws {
        let unknown = try migrator.appliedIdentifiers(db).subtracting(StoreSchema.migrationIdentifiers)
        if !unknown.isEmpty {
            throw MetricsStoreError.newerSchema(path: path, unknown: unknown.sorted())
        }
    }
}
