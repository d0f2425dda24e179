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
            throw MetricsStoreError.cannotOpen(
                path: url.path, reason: DatabaseOpening.explain(errno: errno, at: url.path))
        }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        try? handle.close()
        if header.isEmpty { return .empty }
        guard header.prefix(16) == Data("SQLite format 3\u{0}".utf8) else {
            throw MetricsStoreError.notADatabase(path: url.path, reason: "it is not a SQLite database")
        }
        if let truncation = truncation(header: header, url: url) {
            throw MetricsStoreError.damaged(path: url.path, reason: truncation)
        }
        let tables: [String]
        var applied: [String] = []
        do {
            let reader = try DatabaseOpening.readOnly(url, configuration: MetricsStore.configuration(readOnly: true))
            (tables, applied) = try reader.read { db in
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                let applied =
                    tables.contains("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
                return (tables, applied)
            }
        } catch {
            // Locked, damaged or unopenable: never "someone else's database".
            throw DatabaseOpening.classify(error, url: url)
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

    /// Why a file with a SQLite header is too short for the page count its header records (a truncated copy), or
    /// nil. The header's count is valid only when its "version valid for" matches the change counter, and the main
    /// file alone is judged only without a write-ahead log holding frames: pages committed to the log are part of
    /// the database, and a checkpoint that the disk filling up cut short leaves a main file shorter than its header
    /// (SQLite reads those pages from the log).
    static func truncation(header: Data, url: URL) -> String? {
        guard header.count >= 100 else { return "it is truncated (\(header.count) bytes)" }
        func int(_ offset: Int, _ width: Int) -> Int {
            header[offset..<offset + width].reduce(0) { $0 << 8 | Int($1) }
        }
        let raw = int(16, 2)
        let pageSize = raw == 1 ? 65536 : raw
        let pages = int(28, 4)
        guard pages > 0, int(24, 4) == int(92, 4), pageSize >= 512 else { return nil }
        let log = URL(fileURLWithPath: url.path + "-wal")
        // A log's 32-byte header, then frames of a 24-byte header and a page each.
        if let logSize = (try? FileManager.default.attributesOfItem(atPath: log.path))?[.size] as? Int,
            logSize >= 32 + 24 + pageSize
        {
            return nil
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int
        guard let size, size < pages * pageSize else { return nil }
        return "it is truncated: \(size) bytes where its header records \(pages) pages of \(pageSize)"
    }
}
