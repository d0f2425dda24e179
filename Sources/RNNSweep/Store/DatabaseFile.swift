import Foundation
import GRDB

/// What a `--db` path holds, found out without writing a byte to it: opening a SQLite file for writing already
/// changes it (a WAL journal, GRDB's migration table), so someone else's database must be recognised first.
enum DatabaseFile: Equatable {
    /// No file: a coordinator may create one.
    case missing
    /// A file of 0 bytes or a SQLite database without tables.
    case empty
    /// An rnnsweep database, with the schema migrations it has.
    case rnnsweep(applied: [String])

    /// The tables an rnnsweep database has (besides SQLite's own `sqlite_*`).
    static let ownTables: Set<String> = [
        "grdb_migrations", "sweeps", "trials", "epochs", "slurm_tasks", "rungs", "data_versions", "sweep_owners",
    ]

    /// Inspects `url`; throws a one-line ``MetricsStoreError`` for a directory, an unreadable file, a file that
    /// is not SQLite, or a SQLite database that is not rnnsweep's (naming what it holds).
    static func inspect(_ url: URL) throws -> DatabaseFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return .missing }
        if isDirectory.boolValue { throw MetricsStoreError.notADatabase(path: url.path, reason: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw MetricsStoreError.notADatabase(
                path: url.path, reason: "it cannot be read (\(String(cString: strerror(errno))))")
        }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        if header.isEmpty { return .empty }
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw MetricsStoreError.notADatabase(path: url.path, reason: "it is not a SQLite database")
        }
        var configuration = Configuration()
        configuration.readonly = true
        let tables: [String]
        var applied: [String] = []
        do {
            let queue = try DatabaseQueue(path: url.path, configuration: configuration)
            (tables, applied) = try queue.read { db in
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                let applied =
                    tables.contains("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
                return (tables, applied)
            }
        } catch {
            throw MetricsStoreError.notADatabase(
                path: url.path, reason: "SQLite cannot read it (\((error as? DatabaseError)?.message ?? "\(error)"))")
        }
        if tables.isEmpty { return .empty }
        let foreign = tables.filter { !ownTables.contains($0) }.sorted()
        guard tables.contains("grdb_migrations"), applied.contains("v1"), foreign.isEmpty else {
            let shown = (foreign.isEmpty ? tables.sorted() : foreign).prefix(5).joined(separator: ", ")
            throw MetricsStoreError.notADatabase(
                path: url.path,
                reason: "it is a SQLite database of something else (tables: \(shown)\(tables.count > 5 ? ", …" : ""))"
                    + "; it was left untouched")
        }
        return .rnnsweep(applied: applied)
    }
}
