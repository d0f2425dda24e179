import Foundation

/// At most one coordinator per sweep and database: an exclusive `flock` on `<checkpoint root>/.lock`, held for the
/// coordinator's lifetime. The kernel releases it when the process dies, however it dies, so a killed coordinator never
/// leaves a stale lock behind (unlike a "running" row in the database).
final class SweepLock {
    private let fd: Int32
    let path: String

    init(directory: URL, sweep: String) throws(SweepRunError) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent(".lock").path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .lockUnavailable(path: path, reason: String(cString: strerror(errno))) }
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
