import Foundation
import RNNCore

/// At most one coordinator per sweep and database: an exclusive `flock` on `<checkpoint root>/.lock`, held for the
/// coordinator's lifetime. The kernel releases it when the process dies, however it dies, so a killed coordinator never
/// leaves a stale lock behind (unlike a "running" row in the database).
final class SweepLock {
    private let fd: Int32
    let path: String

    init(directory: URL, sweep: String) throws(SweepRunError) {
        path = directory.appendingPathComponent(".lock").path
        do {
            try NoFollow.directory(directory.path, allowingLink: true)
            // Never through a link or a second hard link: the pid is written into the file (it once overwrote the
            // target of a planted link).
            fd = try NoFollow.open(path, flags: O_RDWR | O_CREAT)
        } catch {
            throw .lockUnavailable(path: error.path, reason: error.reason)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, 31, 0)
            let holder =
                n > 0
                ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            close(fd)
            throw .alreadyRunning(sweep: sweep, pid: holder)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Where a sweep's files are, for commands that only read (`status`, `run --detach` before it starts).
public enum SweepFolders {
    /// The sweep's folder: the one its row names, or the one a new sweep would get.
    public static func runDirectory(database: URL, sweep: String) throws -> URL {
        if FileManager.default.fileExists(atPath: database.path),
            let row = try? MetricsStore.openExisting(at: database).sweep(named: sweep)
        {
            return SweepSetup.runDirectory(database: database, row: row)
        }
        return database.deletingLastPathComponent().appendingPathComponent(
            SweepSetup.proposedRunDirectory(database: database, sweep: sweep), isDirectory: true)
    }

    /// The pid of the coordinator holding the sweep's lock in `folder`, or nil when no coordinator holds it.
    public static func lockHolder(folder: URL) -> Int32? {
        let path = folder.appendingPathComponent(".lock").path
        guard let fd = try? NoFollow.open(path, flags: O_RDONLY) else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, 31, 0)
        let text = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
