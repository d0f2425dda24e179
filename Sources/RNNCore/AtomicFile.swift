import Foundation

/// Write-then-rename (POSIX atomic replace): a reader sees the old file or the whole new one, never a part. The one
/// way rnnsweep writes a file that something may read while it is written (checkpoints, reports, data caches).
public enum AtomicFile {
    /// The errno of the step that failed.
    public struct Failure: Error, Sendable {
        public var code: Int32
        public var reason: String { String(cString: strerror(code)) }
    }

    /// Writes `bytes` to `path` through `<path>.<pid>.tmp`. `durable`: fsync the file before the rename and the
    /// folder after it, so that the new file survives a power cut (checkpoints; a report can be rendered again).
    public static func write(_ bytes: [UInt8], to path: String, durable: Bool) throws(Failure) {
        let code = bytes.withUnsafeBytes { attempt($0, path, durable) }
        if code != 0 { throw Failure(code: code) }
    }

    public static func write(_ data: Data, to path: String, durable: Bool) throws(Failure) {
        let code = data.withUnsafeBytes { attempt($0, path, durable) }
        if code != 0 { throw Failure(code: code) }
    }

    /// 0, or the errno of the step that failed (the temporary file is then gone).
    private static func attempt(_ bytes: UnsafeRawBufferPointer, _ path: String, _ durable: Bool) -> Int32 {
        let temporary = path + ".\(getpid()).tmp"
        // A new file, never one found there: O_EXCL does not follow a link planted at the temporary name (it would
        // otherwise truncate the link's target). A leftover of a killed process of the same pid is removed first;
        // unlink removes a link itself, not its target. The rename below replaces a link at `path`, never follows it.
        var fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if fd < 0 && errno == EEXIST && unlink(temporary) == 0 {
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { return errno }
        let written = writeAll(fd, bytes) && (!durable || fsync(fd) == 0)
        let code = errno
        // close(2) is where NFS and some full disks report a lost write.
        guard close(fd) == 0, written else {
            let failure = written ? errno : code
            unlink(temporary)
            return failure
        }
        guard rename(temporary, path) == 0 else {
            let failure = errno
            unlink(temporary)
            return failure
        }
        if durable {
            let parent = (path as NSString).deletingLastPathComponent
            let folder = open(parent.isEmpty ? "." : parent, O_RDONLY)
            if folder >= 0 {
                fsync(folder)
                close(folder)
            }
        }
        return 0
    }
}
