import Foundation
import GRDB
import Synchronization

/// Opening a database file for reading wherever it lies, and saying why it cannot be opened.
///
/// A WAL database is read through its `-shm` file, which SQLite creates beside it: in a read-only folder, or beside
/// someone else's file, that fails, and archived results would be unreadable. There the file is opened
/// `immutable=1` (SQLite then takes no lock and needs no `-shm`), which is right for a file nobody can write
/// anyway. The errors tell apart a file that cannot be opened, a damaged one and one another process is creating.
enum DatabaseOpening {
    /// A reader on `url`: a read-only WAL pool, or, when that cannot work, an immutable read-only queue (both are
    /// `DatabaseWriter`s by type, as ``MetricsStore`` holds one; opened read-only, neither writes).
    static func readOnly(_ url: URL, configuration: Configuration) throws -> any DatabaseWriter {
        var configuration = configuration
        configuration.readonly = true
        do {
            let pool = try DatabasePool(path: url.path, configuration: configuration)
            try probe(pool)
            return pool
        } catch let error as DatabaseError where canTryImmutable(error, url: url) {
            do {
                let queue = try DatabaseQueue(path: immutableURI(url), configuration: configuration)
                try probe(queue)
                // Immutable reading ignores the WAL: say so when it holds commits not yet in the file.
                let wal = (try? FileManager.default.attributesOfItem(atPath: url.path + "-wal"))?[.size] as? Int
                if let wal, wal > 0, warnedWithoutWAL.withLock({ $0.insert(url.path).inserted }) {
                    MetricsStore.tellOnStandardError(
                        "\(url.path) is read without its write-ahead log (\(wal) bytes in its -wal file, which this "
                            + "user cannot use): the latest commits may be missing; "
                            + "open it as its owner to include them")
                }
                return queue
            } catch {
                throw classify(error, url: url)
            }
        } catch {
            throw classify(error, url: url)
        }
    }

    /// The files already warned about (a command opens its database more than once).
    private static let warnedWithoutWAL = Mutex<Set<String>>([])

    /// Reads the schema once: opening alone does not touch the file, so errors would only show at the first query.
    private static func probe(_ reader: any DatabaseReader) throws {
        _ = try reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
    }

    /// The errors of a `-shm` that cannot be created or written, where immutable reading helps; only when nobody
    /// can be writing the file (we cannot write its folder or the file), so that no live change is missed.
    private static func canTryImmutable(_ error: DatabaseError, url: URL) -> Bool {
        guard [.SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_PERM].contains(error.resultCode) else {
            return false
        }
        return writeProblem(url) != nil
    }

    /// `file:` URI of `url` with `immutable=1` (Debian's SQLite is built with SQLITE_USE_URI).
    static func immutableURI(_ url: URL) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "/-._~")
        let path = url.standardizedFileURL.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? url.path
        return "file:\(path)?immutable=1"
    }

    /// Why this process cannot write the database at `url` (the file, or its folder for the journal files), or nil.
    static func writeProblem(_ url: URL) -> String? {
        let folder = url.deletingLastPathComponent().path
        if access(folder, W_OK) != 0 {
            return "its folder \(folder) is not writable: \(explain(errno: errno)) (read-only folder / permissions)"
        }
        if FileManager.default.fileExists(atPath: url.path), access(url.path, W_OK) != 0 {
            return "the file is not writable: \(explain(errno: errno)) (read-only file / permissions)"
        }
        return nil
    }

    /// `strerror` with the errno's name, e.g. "Permission denied (EACCES)"; with `at`, the path it concerns.
    static func explain(errno code: Int32, at path: String? = nil) -> String {
        let names: [Int32: String] = [
            EACCES: "EACCES", EPERM: "EPERM", EROFS: "EROFS", ENOENT: "ENOENT", ELOOP: "ELOOP", ENOSPC: "ENOSPC",
            EISDIR: "EISDIR", ENOTDIR: "ENOTDIR",
        ]
        let text = "\(String(cString: strerror(code))) (\(names[code] ?? "errno \(code)"))"
        return path.map { "\(text) on \($0)" } ?? text
    }

    /// The user-facing error for a SQLite failure on the file at `url`.
    static func classify(_ error: any Error, url: URL) -> MetricsStoreError {
        if let error = error as? MetricsStoreError { return error }
        guard let error = error as? DatabaseError else { return .cannotOpen(path: url.path, reason: "\(error)") }
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .damaged(path: url.path, reason: message)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(path: url.path)
        default:
            if access(url.path, R_OK) != 0 {
                return .cannotOpen(path: url.path, reason: explain(errno: errno, at: url.path))
            }
            if let problem = writeProblem(url) { return .cannotOpen(path: url.path, reason: "\(message); \(problem)") }
            return .cannotOpen(path: url.path, reason: message)
        }
    }
}
