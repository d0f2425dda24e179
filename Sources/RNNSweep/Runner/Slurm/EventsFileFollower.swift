import Foundation

/// Follows one Slurm task's events file from the submit host. The file only grows while nobody else touches it; but
/// a tidy-up script, a full quota or a sync tool can truncate it or replace it with another file while the task
/// runs. Reading on from the old offset would then skip (or misread) everything the task writes next, and the task
/// would look killed. A file that shrank below what was read, whose device and inode changed, whose first bytes
/// changed, or whose byte before the offset is not the end of a line is read again from its start: the caller
/// skips what it has already delivered (events are idempotent by key: epoch numbers, restart numbers).
struct EventsFileFollower {
    /// Bytes of complete lines consumed: the cursor recorded with each event.
    private(set) var offset: Int
    /// The start of a line not yet complete.
    private var pending = Data()
    private var identity: FileIdentity?
    /// The file's first bytes as last seen (up to ``prefixLength``): a rewritten file starts differently.
    private var prefix = Data()

    static let prefixLength = 96

    private struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    /// What one look at the file found.
    struct Read {
        /// Complete lines, each with the offset just past its newline.
        var lines: [(text: String, end: Int)] = []
        /// The file was truncated or replaced: `lines` start again from its beginning.
        var startedOver = false
    }

    /// Starts at `offset` (0, or where an earlier coordinator stopped recording).
    init(offset: Int) { self.offset = offset }

    /// The complete lines written since the last look; nil when the file cannot be opened (not there yet).
    mutating func read(_ url: URL) -> Read? {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        let now = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        let head = Self.bytes(fd, at: 0, count: min(size, Self.prefixLength))
        var result = Read()
        if isAnotherFile(fd, size: size, identity: now, head: head) {
            offset = 0
            pending = Data()
            result.startedOver = true
        }
        identity = now
        prefix = head
        let readFrom = offset + pending.count
        guard size > readFrom else { return result }
        var buffer = pending + Self.bytes(fd, at: readFrom, count: size - readFrom)
        var consumed = offset
        while let newline = buffer.firstIndex(of: 0x0A) {
            let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
            consumed += buffer.distance(from: buffer.startIndex, to: newline) + 1
            buffer.removeSubrange(buffer.startIndex...newline)
            result.lines.append((line, consumed))
        }
        offset = consumed
        pending = buffer
        return result
    }

    /// True when the file is no longer the one read so far (replaced, shrunk or rewritten), false when it has
    /// only grown.
    private func isAnotherFile(_ fd: Int32, size: Int, identity now: FileIdentity, head: Data) -> Bool {
        if let identity, identity != now { return true }
        if size < offset + pending.count { return true }
        let common = min(prefix.count, head.count)
        if head.prefix(common) != prefix.prefix(common) { return true }
        return offset > 0 && Self.bytes(fd, at: offset - 1, count: 1).first != 0x0A
    }

    /// Up to `count` bytes at `offset` (fewer at the end of the file).
    private static func bytes(_ fd: Int32, at offset: Int, count: Int) -> Data {
        guard count > 0 else { return Data() }
        var data = Data(count: count)
        var filled = 0
        data.withUnsafeMutableBytes { buffer in
            while filled < count {
                let n = pread(fd, buffer.baseAddress! + filled, count - filled, off_t(offset + filled))
                if n > 0 {
                    filled += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
        }
        return data.prefix(filled)
    }
}
