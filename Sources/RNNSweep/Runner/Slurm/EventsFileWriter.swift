import Foundation
import RNNCore

/// The worker's side of a Slurm task's events file: one `write(2)` per line with `O_APPEND` (a reader never sees
/// half a line but the last of a killed worker), to whatever file the path names now. A file replaced under the
/// worker (a new file renamed over it) is noticed before each line and opened again: writing on into the old,
/// unlinked file would hide every later event from the coordinator, which follows the path. (A truncated file needs
/// nothing: `O_APPEND` writes at its new end.)
final class EventsFileWriter {
    private let path: String
    private var fd: Int32

    /// Opens (creating) `path` for appending, never through a planted link (``NoFollow``).
    init(path: String) throws(NoFollow.Failure) {
        self.path = path
        fd = try Self.openForAppend(path)
    }

    deinit { close(fd) }

    /// Appends `line` and a newline.
    func append(_ line: String) {
        reopenIfReplaced()
        var text = line + "\n"
        _ = text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Opens the path again when it no longer names the open file (replaced or deleted); keeps the old descriptor
    /// when that fails, so the worker trains on either way.
    private func reopenIfReplaced() {
        var current = stat()
        var named = stat()
        let gone = stat(path, &named) != 0
        guard fstat(fd, &current) == 0, gone || named.st_ino != current.st_ino || named.st_dev != current.st_dev
        else {
            return
        }
        guard let again = try? Self.openForAppend(path) else { return }
        close(fd)
        fd = again
    }

    private static func openForAppend(_ path: String) throws(NoFollow.Failure) -> Int32 {
        try NoFollow.open(path, flags: O_WRONLY | O_APPEND | O_CREAT)
    }
}
