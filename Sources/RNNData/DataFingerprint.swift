import Crypto
import Foundation
import RNNCore

/// What identifies a data set's contents: SHA-256 over each file's name within the data set and the SHA-256 of its
/// bytes. A trial's identity holds this instead of the data's path, so regenerating a file with other contents
/// gives new trials, and moving or renaming it (with the same contents) re-keys nothing.
///
/// A file's name within the data set is, for a text corpus in a folder (`root`), its path in that folder (so
/// `train/pos/1.txt` counts and a document moved to another class changes the fingerprint); for every other data set
/// (an npz, a `.ts` pair, IDX files), what remains of its file name after the prefix the files share. That does not
/// depend on how `data_dir` names them (a folder, a `<Name>` prefix, a file, the default location): renaming
/// `JapaneseVowels_TRAIN.ts`/`_TEST.ts` together changes nothing, and a single file's name never counts.
public enum DataFingerprint {
    /// The fingerprint (64 hex digits) of `sources` (absolute paths, in the loader's order), named within `root` (a
    /// text corpus's folder; nil otherwise), with per-file digests from `cache` when it has them.
    public static func of(sources: [String], root: String?, cache: FingerprintCache?) throws(DataError) -> String {
        let names = self.names(sources, root: root)
        var hash = SHA256()
        for (path, name) in zip(sources, names) {
            let digest: String
            if let cache {
                digest = try cache.digest(of: path)
            } else {
                digest = try FingerprintCache.computeDigest(of: path)
            }
            hash.update(data: Data((name + "\u{0}" + digest + "\n").utf8))
        }
        cache?.save()
        return hex(hash.finalize())
    }

    /// Each source's name within the data set (see the type's documentation).
    static func names(_ sources: [String], root: String?) -> [String] {
        if let root, FileBytes.isDirectory(root) {
            let prefix = URL(fileURLWithPath: root).standardizedFileURL.path + "/"
            return sources.map { source in
                let path = URL(fileURLWithPath: source).standardizedFileURL.path
                return path.hasPrefix(prefix)
                    ? String(path.dropFirst(prefix.count)) : URL(fileURLWithPath: path).lastPathComponent
            }
        }
        let files = sources.map { URL(fileURLWithPath: $0).lastPathComponent }
        guard var common = files.first else { return [] }
        for file in files.dropFirst() { common = String(common.commonPrefix(with: file)) }
        return files.map { String($0.dropFirst(common.count)) }
    }

    /// A digest as lowercase hex.
    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    /// The first 12 hex digits, for tables and messages.
    public static func short(_ fingerprint: String) -> String { String(fingerprint.prefix(12)) }
}

/// SHA-256s of files, kept by path, size and modification time in `fingerprints.json` in a folder (a sweep's
/// `<db stem>.data-cache/`), so a 55 MB file is hashed once, not on every `plan`. An entry whose file changed size
/// or time is computed again; a cache that cannot be read or written only costs the hashing.
public final class FingerprintCache: @unchecked Sendable {
    struct Entry: Codable, Equatable {
        var size: Int
        var modified: Int64
        var sha256: String
    }

    private let file: URL
    private var entries: [String: Entry]
    private var changed = false
    private let lock = NSLock()

    public init(directory: URL) {
        file = directory.appendingPathComponent("fingerprints.json")
        // FileBytes, not Data(contentsOf:), which leaks on an empty file (found by fuzzing the data cache).
        entries =
            (try? FileBytes.read(file.path, gunzip: false)).flatMap {
                try? JSONDecoder().decode([String: Entry].self, from: Data($0))
            } ?? [:]
    }

    /// The file's SHA-256 (hex), from the cache when its size and modification time are unchanged.
    func digest(of path: String) throws(DataError) -> String {
        guard let now = DecodedDataCache.fingerprint(path) else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        lock.lock()
        let cached = entries[path]
        lock.unlock()
        if let cached, cached.size == now.size, cached.modified == now.modified { return cached.sha256 }
        let digest = try Self.computeDigest(of: path)
        lock.lock()
        entries[path] = Entry(size: now.size, modified: now.modified, sha256: digest)
        changed = true
        lock.unlock()
        return digest
    }

    /// Writes the cache if an entry was added (atomically; a failure is ignored).
    func save() {
        lock.lock()
        defer { lock.unlock() }
        guard changed else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(entries) else { return }
        try? FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        if (try? AtomicFile.write([UInt8](data), to: file.path, durable: false)) != nil { changed = false }
    }

    /// SHA-256 of the file's bytes, read in 1 MiB blocks.
    static func computeDigest(of path: String) throws(DataError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var hash = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { readFully(descriptor, into: $0) }
            guard count >= 0 else { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
            buffer.withUnsafeBytes { hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            if count < buffer.count { break }  // readFully stops short only at the end of the file
        }
        return DataFingerprint.hex(hash.finalize())
    }
}
