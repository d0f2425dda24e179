import Foundation
import GRDB

/// The sweep metrics database: a narrow, documented contract over one SQLite file (schema: ``StoreSchema``).
///
/// Rules:
/// - **One writer.** Only the coordinator writes. It calls ``create(at:waiting:)`` (which creates and migrates the
///   file) before any other process opens it; `status`/`report` and a refused second coordinator use
///   ``openExisting(at:readOnly:waiting:)``, which never creates or migrates.
/// - **Each write is its own small transaction** (`BEGIN IMMEDIATE`, busy timeout 10 s): an epoch is committed
///   as soon as it is recorded, so readers see progress live and a crash loses at most the current write.
///   The coordinator's ``SweepRecorder`` retries a write another process keeps busy (``BusyRetry``): a skipped
///   write would be a lost epoch. A completed trial has every epoch row 1…`last_epoch` (``EpochHole``).
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
    /// A WAL `DatabasePool` on the file; for reading a file of an older schema, an in-memory migrated copy.
    let pool: any DatabaseWriter

    /// Read-only access for ad-hoc queries (`status` summaries, tests). Writes go through the methods.
    public var reader: any DatabaseReader { pool }
    /// True for a migrated in-memory copy of an older file: it does not see later changes to the file.
    public let isSnapshot: Bool

    private init(url: URL, pool: any DatabaseWriter, isSnapshot: Bool = false) {
        self.url = url
        self.pool = pool
        self.isSnapshot = isSnapshot
    }

    static func configuration(readOnly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        return configuration
    }

    /// Creates (or opens) the database at `url` for the coordinator: creates the parent directory, opens a WAL
    /// `DatabasePool` and applies pending migrations. A file that is not an rnnsweep database (or is a newer
    /// one's) is refused before anything is written to it (``DatabaseFile/inspect(_:)``); one this process cannot
    /// write is refused with ``MetricsStoreError/cannotWrite(path:reason:)``.
    ///
    /// Creation and migration hold ``MigrationLock`` exclusively, so concurrent rnnsweep processes (two `run`s, a
    /// `status` meanwhile) wait for each other instead of racing GRDB's check-then-apply; `waiting` is told once
    /// when another process holds the database.
    public static func create(at url: URL, waiting: @escaping (String) -> Void = MetricsStore.tellOnStandardError)
        throws -> MetricsStore
    {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw MetricsStoreError.cannotWrite(path: url.path, reason: "its folder cannot be created (\(error))")
        }
        if let problem = DatabaseOpening.writeProblem(url) {
            // Say what is wrong with the file first: a foreign or damaged file is that before it is unwritable.
            _ = try DatabaseFile.inspect(url)
            throw MetricsStoreError.cannotWrite(path: url.path, reason: problem)
        }
        let lock = try MigrationLock.exclusive(for: url) {
            waiting("database \(url.path) is being created or migrated by another process — waiting")
        }
        defer { withExtendedLifetime(lock) {} }
        let file = try DatabaseFile.inspect(url)
        if case .rnnsweep(let applied) = file { try checkNotNewer(applied, path: url.path) }
        do {
            return try BusyRetry().run(waiting: { _ in
                waiting("database \(url.path) busy (held by another process) — waiting")
            }) {
                let pool = try DatabasePool(path: url.path, configuration: configuration(readOnly: false))
                try StoreSchema.migrator.migrate(pool)
                return MetricsStore(url: url, pool: pool)
            }
        } catch {
            throw DatabaseOpening.classify(error, url: url)
        }
    }

    /// Opens an existing database for reading; never writes it. A database of an older rnnsweep schema is read
    /// through a migrated in-memory copy. Throws ``MetricsStoreError/missingDatabase(path:)`` when there is no
    /// file, and the errors of ``DatabaseFile/inspect(_:)`` for a file that is not ours.
    /// With `readOnly: false` (a writer that must not create or migrate), a file not fully migrated is refused
    /// with ``MetricsStoreError/notMigrated(path:)``.
    ///
    /// A read-only file (a read-only folder, another user's file) is opened `immutable=1` (``DatabaseOpening``).
    /// A database that another process is creating or migrating is waited for (``MigrationLock``).
    public static func openExisting(
        at url: URL, readOnly: Bool = true, waiting: @escaping (String) -> Void = MetricsStore.tellOnStandardError
    )
        throws -> MetricsStore
    {
        let lock = MigrationLock.shared(for: url) {
            waiting("database \(url.path) is being created or migrated by another process — waiting")
        }
        defer { withExtendedLifetime(lock) {} }
        let file = try DatabaseFile.inspect(url)
        guard case .rnnsweep(let applied) = file else {
            throw MetricsStoreError.missingDatabase(path: url.path)
        }
        try checkNotNewer(applied, path: url.path)
        let pool: any DatabaseWriter
        do {
            if readOnly {
                pool = try DatabaseOpening.readOnly(url, configuration: configuration(readOnly: true))
            } else {
                if let problem = DatabaseOpening.writeProblem(url) {
                    throw MetricsStoreError.cannotWrite(path: url.path, reason: problem)
                }
                pool = try DatabasePool(path: url.path, configuration: configuration(readOnly: false))
            }
        } catch {
            throw DatabaseOpening.classify(error, url: url)
        }
        if Set(applied) == Set(StoreSchema.migrationIdentifiers) { return MetricsStore(url: url, pool: pool) }
        guard readOnly else { throw MetricsStoreError.notMigrated(path: url.path) }
        let memory = try DatabaseQueue(configuration: configuration(readOnly: false))
        try pool.backup(to: memory)
        try StoreSchema.migrator.migrate(memory)
        return MetricsStore(url: url, pool: memory, isSnapshot: true)
    }

    /// The default way to say why a command waits for the database: a line on standard error, which the
    /// commands' output (standard output) does not mix with.
    public static func tellOnStandardError(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
    }

    private static func checkNotNewer(_ applied: [String], path: String) throws {
        let unknown = Set(applied).subtracting(StoreSchema.migrationIdentifiers)
        if !unknown.isEmpty {
            throw MetricsStoreError.newerSchema(path: path, unknown: unknown.sorted())
        }
    }
}
