import Foundation

/// An advisory `flock` on `<database>.migrate.lock`, beside the database: held exclusively while a process creates
/// or migrates the database, shared while a reader inspects it. Two rnnsweep processes thus never migrate one file
/// at once (GRDB's migrator checks, then applies: two at once trapped or half-applied), and a reader never looks at
/// a database half created.
///
/// The lock file is opened without following symlinks (a planted link must not make us create or lock another
/// file) and never deleted (deleting a lock file others may hold breaks the exclusion).
final class MigrationLock {
    private let descriptor: Int32

    /// The lock file of the database at `database`.
    static func url(of database: URL) -> URL {
        database.deletingLastPathComponent().appendingPathComponent(database.lastPathComponent + ".migrate.lock")
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Takes the exclusive lock, creating the lock file (and nothing else); `waiting` is called once if another
    /// process holds it. Throws ``MetricsStoreError/cannotWrite(path:reason:)`` when the file cannot be created.
    static func exclusive(for database: URL, waiting: () -> Void) throws -> MigrationLock {
        let path = url(of: database).path
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw MetricsStoreError.cannotWrite(
                path: database.path, reason: DatabaseOpening.explain(errno: errno, at: path))
        }
        lock(fd, operation: LOCK_EX, waiting: waiting)
        return MigrationLock(descriptor: fd)
    }

    /// Takes the shared lock if the lock file exists and can be opened (a reader in a read-only folder cannot create
    /// it, and needs not: nobody can migrate there); nil otherwise.
    static func shared(for database: URL, waiting: () -> Void) -> MigrationLock? {
        let fd = open(url(of: database).path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        lock(fd, operation: LOCK_SH, waiting: waiting)
        return MigrationLock(descriptor: fd)
    }

    /// Blocks until the lock is granted; says so once when it has to wait. A migration ends, so this wait does too.
    private static func lock(_ fd: Int32, operation: Int32, waiting: () -> Void) {
        if flock(fd, operation | LOCK_NB) == 0 { return }
        waiting()
        while flock(fd, operation) != 0 && errno == EINTR {}
    }
}
