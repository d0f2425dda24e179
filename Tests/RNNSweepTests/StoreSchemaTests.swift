import Foundation
import GRDB
import Testing

@testable import RNNSweep

@Suite("Store schema and opening")
struct StoreSchemaTests {
    @Test func migrationCreatesTheTables() throws {
        let dir = try StoreTemporaryDirectory()
        let url = dir.file("nested/dir/metrics.sqlite")
        let store = try MetricsStore.create(at: url)
        #expect(FileManager.default.fileExists(atPath: url.path))
        let names = try store.reader.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(
            names.filter { !$0.hasPrefix("grdb_") } == [
                "data_versions", "epochs", "rungs", "slurm_tasks", "sweep_owners", "sweeps", "trials",
            ])
        let trialColumns = try store.reader.read { db in try db.columns(in: "trials").map(\.name) }
        #expect(
            trialColumns == [
                "sweep_id", "id", "ordinal", "grid_point", "seed", "params", "status", "attempts", "worker_pid",
                "started_at", "finished_at", "seconds", "exit_status", "signal", "error", "stderr_tail",
                "last_epoch", "test_loss", "test_accuracy", "notes", "rnnsweep_version", "rnnsweep_commit",
                "rnnsweep_dirty", "host", "cpu_model", "kernels", "backend", "threads", "resumed_on", "test_mae",
                "test_rmse", "data_fingerprint", "data_warnings", "test_confusion", "param_count", "superseded_at",
                "patience_stopped_epoch", "best_epoch", "restored_epoch",
            ])
        let journal = try store.reader.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let sweepColumns = try store.reader.read { db in try db.columns(in: "sweeps").map(\.name) }
        #expect(
            sweepColumns == [
                "id", "name", "description", "experiment_path", "experiment", "varying_keys", "created_at",
                "updated_at", "experiment_text", "command", "run_directory", "executor", "busy_fraction",
            ])
        let applied = try store.reader.read { db in try StoreSchema.migrator.appliedMigrations(db) }
        #expect(
            applied == [
                "v1", "v2-sweep-source", "v3-executors", "v4-provenance", "v5-successive-halving",
                "v6-regression-metrics", "v7-data-files", "v8-parameter-count", "v9-sweep-owners",
                "v10-superseded-trials", "v11-patience", "v12-worker-busy", "v13-trials-per-task",
            ])
        let versionColumns = try store.reader.read { db in try db.columns(in: "data_versions").map(\.name) }
        #expect(versionColumns == ["fingerprint", "summary", "sources", "class_names", "first_seen"])
        let ownerColumns = try store.reader.read { db in try db.columns(in: "sweep_owners").map(\.name) }
        #expect(
            ownerColumns == ["sweep", "host", "boot_id", "pid", "process_start", "claimed_at", "heartbeat_at"])
        let epochColumns = try store.reader.read { db in try db.columns(in: "epochs").map(\.name) }
        #expect(
            epochColumns == [
                "sweep_id", "trial_id", "epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds", "mae",
                "rmse", "val_mae", "val_rmse",
            ])
        #expect(applied == StoreSchema.migrationIdentifiers)
    }

    @Test func registerSweepStoresTheExperimentTextAndTheCommand() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        _ = try store.registerSweep(
            name: "src", description: nil, experimentPath: "a.yaml", experimentJSON: "{}", varyingKeys: [],
            experimentText: "name: src\n# a comment\n", command: "rnnsweep run a.yaml")
        var row = try #require(try store.sweep(named: "src"))
        #expect(row.experimentText == "name: src\n# a comment\n" && row.command == "rnnsweep run a.yaml")
        // Re-registering replaces both: they describe the latest run (a caller without them stores NULL).
        _ = try store.registerSweep(
            name: "src", description: nil, experimentPath: "a.yaml", experimentJSON: "{}", varyingKeys: [],
            experimentText: "name: src\n", command: "rnnsweep run a.yaml --workers 2")
        row = try #require(try store.sweep(named: "src"))
        #expect(row.experimentText == "name: src\n" && row.command == "rnnsweep run a.yaml --workers 2")
        _ = try store.registerSweep(
            name: "src", description: nil, experimentPath: nil, experimentJSON: "{}", varyingKeys: [])
        row = try #require(try store.sweep(named: "src"))
        #expect(row.experimentText == nil && row.command == nil)
    }

    @Test func createIsIdempotentAndKeepsData() throws {
        let dir = try StoreTemporaryDirectory()
        let url = dir.file("m.sqlite")
        _ = try MetricsStore.create(at: url).makeSweep(name: "keep")
        let again = try MetricsStore.create(at: url)
        #expect(try again.sweeps().map(\.name) == ["keep"])
    }

    @Test func statusCheckConstraintRejectsUnknownStatus() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let sweep = try store.makeSweep()
        let queue = try DatabaseQueue(path: dir.file("m.sqlite").path)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(
                    sql: "UPDATE trials SET status = 'done' WHERE sweep_id = ?", arguments: [sweep.rawValue])
            }
        }
    }

    @Test func openExistingRefusesAMissingFileAndDoesNotCreateIt() throws {
        let dir = try StoreTemporaryDirectory()
        let url = dir.file("absent/metrics.sqlite")
        let error = #expect(throws: MetricsStoreError.self) { try MetricsStore.openExisting(at: url) }
        #expect(error == .missingDatabase(path: url.path))
        #expect(error?.description == "no database at \(url.path); run `rnnsweep run FILE` first")
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(!FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path))
    }

    @Test func openExistingReadsWhatTheCoordinatorWrote() throws {
        let dir = try StoreTemporaryDirectory()
        let url = dir.file("m.sqlite")
        let writer = try MetricsStore.create(at: url)
        let sweep = try writer.makeSweep(name: "live", trials: 2)
        let reader = try MetricsStore.openExisting(at: url, readOnly: true)
        #expect(try reader.sweep(named: "live")?.id == sweep)
        #expect(try reader.trials(sweep: sweep).count == 2)
        // A read-only store cannot write, whatever the caller tries.
        #expect(throws: DatabaseError.self) {
            try reader.registerSweep(
                name: "x", description: nil, experimentPath: nil, experimentJSON: "{}", varyingKeys: [])
        }
    }

    @Test func openExistingReadOnlyAfterTheWriterClosed() throws {
        let dir = try StoreTemporaryDirectory()
        let url = dir.file("m.sqlite")
        do {
            let writer = try MetricsStore.create(at: url)
            _ = try writer.makeSweep(name: "closed", trials: 3)
        }
        let reader = try MetricsStore.openExisting(at: url, readOnly: true)
        let sweep = try #require(try reader.sweep(named: "closed"))
        #expect(try reader.statusCounts(sweep: sweep.id)[.pending] == 3)
    }

    @Test func someoneElsesDatabaseIsRefusedAndLeftByteForByte() throws {
        let dir = try StoreTemporaryDirectory()
        let url = dir.file("theirs.sqlite")
        try DatabaseQueue(path: url.path).write { db in
            try db.execute(sql: "CREATE TABLE trials (name TEXT, score REAL); INSERT INTO trials VALUES ('a', 1)")
        }
        let before = try Data(contentsOf: url)
        let expected = MetricsStoreError.notADatabase(
            path: url.path, reason: "it is a SQLite database of something else (tables: trials); it was left untouched")
        #expect(throws: expected) { try MetricsStore.create(at: url) }
        #expect(throws: expected) { try MetricsStore.openExisting(at: url) }
        #expect(try Data(contentsOf: url) == before)
        #expect(!FileManager.default.fileExists(atPath: url.path + "-wal"))
        #expect(expected.description.split(separator: "\n").count == 1)
    }

    @Test func aDirectoryOrANonSQLiteFileIsAOneLineError() throws {
        let dir = try StoreTemporaryDirectory()
        let folder = dir.file("folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(throws: MetricsStoreError.notADatabase(path: folder.path, reason: "it is a directory")) {
            try MetricsStore.create(at: folder)
        }
        let text = dir.file("notes.sqlite")
        try Data("hello".utf8).write(to: text)
        #expect(throws: MetricsStoreError.notADatabase(path: text.path, reason: "it is not a SQLite database")) {
            try MetricsStore.create(at: text)
        }
        #expect(try Data(contentsOf: text) == Data("hello".utf8))
    }

    @Test func anOlderSchemaIsReadThroughAMigratedCopyAndLeftAsItWas() throws {
        let fixture = try #require(
            Bundle.module.url(forResource: "schema-v1", withExtension: "sqlite", subdirectory: "Fixtures"))
        let dir = try StoreTemporaryDirectory()
        let url = dir.file("old.sqlite")
        try FileManager.default.copyItem(at: fixture, to: url)
        let before = try Data(contentsOf: url)
        let reader = try MetricsStore.openExisting(at: url)
        #expect(reader.isSnapshot)
        #expect(try reader.sweep(named: "tiny") != nil)
        #expect(try Data(contentsOf: url) == before)
        #expect(throws: MetricsStoreError.notMigrated(path: url.path)) {
            try MetricsStore.openExisting(at: url, readOnly: false)
        }
    }

    @Test func aNewerSchemaIsAClearError() throws {
        let dir = try StoreTemporaryDirectory()
        let url = dir.file("m.sqlite")
        _ = try MetricsStore.create(at: url)
        try DatabaseQueue(path: url.path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2')")
        }
        let readError = #expect(throws: MetricsStoreError.self) {
            try MetricsStore.openExisting(at: url, readOnly: true)
        }
        #expect(readError == .newerSchema(path: url.path, unknown: ["v2"]))
        #expect(readError?.description.contains("newer rnnsweep") == true)
        #expect(throws: MetricsStoreError.newerSchema(path: url.path, unknown: ["v2"])) {
            try MetricsStore.create(at: url)
        }
    }
}
