import Foundation

/// Creating files and folders in a sweep's runs folder without following a symbolic link planted there.
///
/// Whoever can write in a runs folder can put a link where rnnsweep will create a file (`.lock`, `run.log`, an
/// events file, a checkpoint's temporary file) or a folder (a trial's checkpoint folder, an executor's submission folder);
/// a coordinator running as root would then write, or truncate, the file the link points to. The last component of
/// each such path is therefore opened with `O_NOFOLLOW` (plus `O_EXCL` where the file must be new), and a folder is
/// accepted only when `lstat` shows a real directory. The folders above the runs folder are the user's and may be
/// links (a runs folder moved to a bigger disk).
public enum NoFollow {
    /// Why a path was refused or could not be created. `code` is the errno (ELOOP for a link, ENOTDIR for another
    /// kind of file), `path` the path concerned.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var code: Int32

        public var reason: String {
            switch code {
            case ELOOP: "is a symbolic link, which rnnsweep does not follow in a sweep's folder; remove it"
            case ENOTDIR: "is not a folder; remove it"
            case EMLINK: "has other hard links, which rnnsweep does not write through in a sweep's folder; remove it"
            case NoFollow.notRegularFile: "is not a regular file; remove it"
            default: String(cString: strerror(code))
            }
        }

        public var description: String { "\(path) \(reason)" }

        /// EACCES, EPERM or EROFS: the folder cannot be written (permissions, an immutable or read-only folder).
        public var isUnwritable: Bool { Self.unwritableCodes.contains(code) }

        /// The errnos of a folder that cannot be written, which a sweep treats like a full disk.
        public static let unwritableCodes: Set<Int32> = [EACCES, EPERM, EROFS]
    }

    /// A private errno-like code for "exists but is not a regular file" (no POSIX errno says it).
    public static let notRegularFile: Int32 = -1001

    /// Creates `path` and its missing parents (like `mkdir -p`), then checks that `path` itself is a real directory,
    /// not a link to one. Parents are followed: they are the user's. `allowingLink`: a link to a directory is
    /// accepted too (a folder the user named, e.g. `train --checkpoint-dir`); the errno is still reported.
    public static func directory(_ path: String, mode: mode_t = 0o755, allowingLink: Bool = false) throws(Failure) {
        var info = stat()
        let look: (String, inout stat) -> Int32 = allowingLink ? { stat($0, &$1) } : { lstat($0, &$1) }
        if look(path, &info) != 0 {
            guard errno == ENOENT else { throw Failure(path: path, code: errno) }
            try makeDirectories(path, mode: mode)
            guard look(path, &info) == 0 else { throw Failure(path: path, code: errno) }
        }
        try checkDirectory(info, path)
    }

    /// Throws unless `path` is absent or a real directory (not a link): for a folder rnnsweep may create later.
    public static func checkNotLink(_ path: String) throws(Failure) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw Failure(path: path, code: errno)
        }
        try checkDirectory(info, path)
    }

    /// Opens (creating it with `mode` when absent) the regular file `path` without following a link at its last
    /// component; a FIFO, device or a file with other hard links is refused too (writing through a hard link
    /// would change the other name's file). Returns the descriptor (close-on-exec).
    public static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(Failure) -> Int32 {
        let fd = Foundation.open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(path: path, code: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw Failure(path: path, code: code)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw Failure(path: path, code: NoFollow.notRegularFile)
        }
        guard info.st_nlink <= 1 else {
            close(fd)
            throw Failure(path: path, code: EMLINK)
        }
        // Back to blocking writes: O_NONBLOCK was only there so that opening a FIFO cannot hang.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// `mkdir -p`: each missing folder of `path`, from the top.
    private static func makeDirectories(_ path: String, mode: mode_t) throws(Failure) {
        let parent = (path as NSString).deletingLastPathComponent
        var info = stat()
        if !parent.isEmpty && parent != path && stat(parent, &info) != 0 {
            guard errno == ENOENT else { throw Failure(path: parent, code: errno) }
            try makeDirectories(parent, mode: mode)
        }
        if mkdir(path, mode) != 0 && errno != EEXIST { throw Failure(path: path, code: errno) }
    }

    private static func checkDirectory(_ info: stat, _ path: String) throws(Failure) {
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return
        case S_IFLNK: throw Failure(path: path, code: ELOOP)
        default: throw Failure(path: path, code: ENOTDIR)
        }
    }
}
