import Foundation
import RNNCore

/// Reading whole files into byte arrays, with errors that name the file.
enum FileBytes {
    /// The largest file, and the largest gunzipped content, read into memory: 8 GiB, several times the largest
    /// MNIST-style dataset and still within the memory of the machines this runs on. Anything larger is refused
    /// before it is allocated.
    static let maximumSize = 8 << 30

    /// True when `path` exists and is a regular file (or a link to one).
    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// True when `path` exists and is a directory.
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The size of the file at `path` in bytes (of what a link points to). `stat`, not Foundation's
    /// `attributesOfItem`: that also looks up the owner's and group's names (it read /etc/passwd and /etc/group for
    /// every trial's data check) and describes a link, not its file.
    static func size(_ path: String) throws(DataError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        return Int(info.st_size)
    }

    /// The file's bytes, gunzipped when the file is gzip-compressed (detected by content, not by name).
    static func read(_ path: String, gunzip: Bool = true) throws(DataError) -> [UInt8] {
        let size = try size(path)
        guard size <= maximumSize else {
            throw .unreadableFile(path: path, reason: "it is \(size) bytes, more than the \(maximumSize) this reads")
        }
        let bytes = try readAll(path, expectedSize: size)
        return gunzip && Gzip.isGzip(bytes) ? try Gzip.decompress(bytes, path: path) : bytes
    }

    /// The whole file with POSIX reads straight into the array: no `Data` copy (half the peak memory of a 47 MB
    /// file), and no `Data(contentsOf:)`, which leaks a 4 KiB buffer for every empty file (Swift 6.3.1's
    /// Foundation; found by fuzzing with LeakSanitizer).
    private static func readAll(_ path: String, expectedSize: Int) throws(DataError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: max(expectedSize, 4096))
        var filled = 0
        while true {
            let count = bytes.withUnsafeMutableBytes { buffer in
                readFully(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            }
            guard count >= 0 else { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
            filled += count
            if filled < bytes.count { break }
            // The file grew since it was measured; still bounded by the same limit.
            guard bytes.count < maximumSize else {
                throw .unreadableFile(path: path, reason: "it grows past the \(maximumSize) bytes this reads")
            }
            bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, maximumSize - bytes.count)))
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// The last `count` bytes of the file at `path` (fewer when the file is shorter), read without the rest.
    static func tail(_ path: String, count: Int) throws(DataError) -> (bytes: [UInt8], fileSize: Int) {
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            let start = size > UInt64(count) ? size - UInt64(count) : 0
            try handle.seek(toOffset: start)
            let data = try handle.readToEnd() ?? Data()
            return ([UInt8](data), Int(clamping: size))
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
    }

    /// `path` with `~` expanded.
    static func expand(_ path: String) -> String {
        NSString(string: path).expandingTildeInPath
    }
}
