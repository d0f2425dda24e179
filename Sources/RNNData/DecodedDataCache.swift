import Foundation
import RNNCore

/// Decoded datasets kept in a folder (a sweep keeps its own next to its database), so that a worker starts by reading
/// 55 MB of Fashion-MNIST bytes instead of inflating gzip (≈ 0.4 s) on every start — successive halving starts a
/// worker once per rung per trial.
///
/// A cache file is trusted only when everything about it checks out; anything else is a miss, and the data is read
/// from its sources again (and the file rewritten): its size is exactly what its header declares, every source file
/// still has the size and modification time it had when the cache was written, and the payload's checksum matches.
public struct DecodedDataCache: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// Version 2 added token storage, regression targets and `oov_id`; version 3 class names and a text
    /// vocabulary. A file of an older version is a miss, and rewritten.
    static let magic = Array("rnnsweep-data-3\n".utf8)
    /// Far above any real header (a few hundred bytes, or a text vocabulary's few megabytes); a larger claim is a
    /// corrupt file.
    static let maximumHeaderLength = 64 << 20

    /// The file for a dataset read under `key` (what identifies the read: dataset, folder, view, environment).
    func file(for key: String) -> URL {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: short, stable file names
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let readable = key.split(separator: "|").prefix(1).joined()
        return directory.appendingPathComponent("\(readable)-\(String(hash, radix: 16)).data")
    }

    /// The cached data for `key`, or nil when there is none or it does not check out.
    func load(key: String) -> LoadedData? {
        try? Self.decode(file: file(for: key).path)
    }

    /// Writes `data` for `key` (``AtomicFile``: a reader sees all of it or nothing). Failing to write is not an error:
    /// the next start reads the sources again.
    func store(_ data: LoadedData, key: String) {
        guard let bytes = try? Self.encode(data) else { return }
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? AtomicFile.write(bytes, to: file(for: key).path, durable: false)
    }

    // MARK: - Format
    //
    // magic (16 bytes) · header length (UInt64 LE) · header (JSON) · payload: for each set, its targets (labels as
    // Int32 LE, or regression targets as Float32 LE) then its values (bytes, Float32 LE, or token ids as Int32 LE).

    struct Header: Codable {
        struct Source: Codable, Equatable {
            var path: String
            var size: Int
            var modified: Int64
        }
        struct Set: Codable {
            var role: String
            var count: Int
            var timesteps: Int
            var features: Int
            /// `bytes`, `floats` or `tokens`.
            var storage: String
            /// Regression targets per example; 0 for class labels.
            var targetWidth: Int
        }
        var sources: [Source]
        /// 0 for regression.
        var classes: Int
        var oovToken: Int32?
        var classNames: [String]?
        var vocabulary: [String]?
        var sets: [Set]
        var payloadLength: Int
        var checksum: UInt64
    }

    enum CacheError: Error { case invalid }

    /// The size and modification time (ns) of a source file now.
    static func fingerprint(_ path: String) -> Header.Source? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return .init(
            path: path, size: Int(info.st_size),
            modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    static func encode(_ data: LoadedData) throws -> [UInt8] {
        guard !data.sources.isEmpty else { throw CacheError.invalid }
        let sources = data.sources.compactMap(fingerprint)
        guard sources.count == data.sources.count else { throw CacheError.invalid }
        let roles = [("train", data.train), ("validation", data.validation), ("test", data.test)]
        var payload: [UInt8] = []
        var sets: [Header.Set] = []
        var checksum = Checksum()
        // The same pieces, in the same order, as `decode` reads and checks them.
        func append(_ piece: UnsafeRawBufferPointer) {
            payload.append(contentsOf: piece)
            checksum.add(piece)
        }
        for case (let role, let set?) in roles {
            let kind: String
            switch set.storage {
            case .bytes: kind = "bytes"
            case .floats: kind = "floats"
            case .tokens: kind = "tokens"
            }
            var width = 0
            switch set.targets {
            case .classes(let labels): labels.withUnsafeBytes(append)
            case .values(let values, let w):
                width = w
                values.withUnsafeBytes(append)
            }
            sets.append(
                .init(
                    role: role, count: set.count, timesteps: set.timesteps, features: set.features, storage: kind,
                    targetWidth: width))
            switch set.storage {
            case .bytes(let values): values.withUnsafeBytes(append)
            case .floats(let values): values.withUnsafeBytes(append)
            case .tokens(let values): values.withUnsafeBytes(append)
            }
        }
        let header = Header(
            sources: sources, classes: data.classes, oovToken: data.oovToken, classNames: data.classNames,
            vocabulary: data.vocabulary, sets: sets, payloadLength: payload.count, checksum: checksum.value)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // the same data, the same file
        let json = Array(try encoder.encode(header))
        var length = UInt64(json.count).littleEndian
        return magic + withUnsafeBytes(of: &length) { Array($0) } + json + payload
    }

    /// Reads and checks a cache file; throws on anything that does not check out, never traps.
    static func decode(file path: String) throws -> LoadedData {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CacheError.invalid }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CacheError.invalid }
        let fileSize = Int(info.st_size)
        let prefix = try read(fd, at: 0, count: magic.count + 8, as: UInt8.self)
        guard Array(prefix[0..<magic.count]) == magic else { throw CacheError.invalid }
        var rawLength: UInt64 = 0
        for i in 0..<8 { rawLength |= UInt64(prefix[magic.count + i]) << (8 * UInt64(i)) }
        guard rawLength <= UInt64(maximumHeaderLength), rawLength <= UInt64(max(fileSize - magic.count - 8, 0)) else {
            throw CacheError.invalid
        }
        let headerStart = magic.count + 8
        let headerLength = Int(rawLength)
        let header = try JSONDecoder().decode(
            Header.self, from: Data(try read(fd, at: headerStart, count: headerLength, as: UInt8.self)))
        let payloadStart = headerStart + headerLength
        guard header.payloadLength >= 0, payloadStart.addingReportingOverflow(header.payloadLength) == (fileSize, false)
        else { throw CacheError.invalid }
        // The sources are as they were: same size, same modification time.
        guard !header.sources.isEmpty, header.sources.allSatisfy({ fingerprint($0.path) == $0 }) else {
            throw CacheError.invalid
        }
        guard header.classes >= 0, header.classes <= NPZDataset.maximumClasses else { throw CacheError.invalid }
        if let oov = header.oovToken, oov < 0 || Int(oov) >= InputKind.maximumVocabulary {
            throw CacheError.invalid
        }
        if let names = header.classNames, names.count != header.classes { throw CacheError.invalid }

        var checksum = Checksum()
        var offset = payloadStart
        var sets: [String: SequenceSet] = [:]
        for set in header.sets {
            guard set.count >= 1, set.timesteps >= 1, set.features >= 1, sets[set.role] == nil,
                ["train", "validation", "test"].contains(set.role)
            else { throw CacheError.invalid }
            let (stride, o1) = set.timesteps.multipliedReportingOverflow(by: set.features)
            let (values, o2) = stride.multipliedReportingOverflow(by: set.count)
            guard !o1, !o2, offset <= fileSize else { throw CacheError.invalid }
            // A set's targets are what the header's classes say: labels with classes, real targets without.
            guard (header.classes == 0) == (set.targetWidth > 0), set.targetWidth >= 0 else { throw CacheError.invalid }
            let targets: SequenceSet.Targets
            if set.targetWidth > 0 {
                let (n, o3) = set.count.multipliedReportingOverflow(by: set.targetWidth)
                guard !o3 else { throw CacheError.invalid }
                let real = try read(fd, at: offset, count: n, as: Float.self)
                real.withUnsafeBytes { checksum.add($0) }
                offset += n * 4
                guard real.allSatisfy(\.isFinite) else { throw CacheError.invalid }
                targets = .values(real, width: set.targetWidth)
            } else {
                let labels = try read(fd, at: offset, count: set.count, as: Int32.self)
                labels.withUnsafeBytes { checksum.add($0) }
                offset += set.count * 4
                guard labels.allSatisfy({ $0 >= 0 && Int($0) < header.classes }) else { throw CacheError.invalid }
                targets = .classes(labels)
            }
            guard offset <= fileSize else { throw CacheError.invalid }
            let storage: SequenceSet.Storage
            switch set.storage {
            case "floats":
                let floats = try read(fd, at: offset, count: values, as: Float.self)
                floats.withUnsafeBytes { checksum.add($0) }
                offset += values * 4
                guard floats.allSatisfy(\.isFinite) else { throw CacheError.invalid }
                storage = .floats(floats)
            case "tokens":
                let ids = try read(fd, at: offset, count: values, as: Int32.self)
                ids.withUnsafeBytes { checksum.add($0) }
                offset += values * 4
                guard set.features == 1, ids.allSatisfy({ $0 >= 0 && Int($0) < InputKind.maximumVocabulary })
                else { throw CacheError.invalid }
                storage = .tokens(ids)
            case "bytes":
                let bytes = try read(fd, at: offset, count: values, as: UInt8.self)
                bytes.withUnsafeBytes { checksum.add($0) }
                offset += values
                storage = .bytes(bytes)
            default: throw CacheError.invalid
            }
            sets[set.role] = SequenceSet(
                timesteps: set.timesteps, features: set.features, targets: targets, storage: storage)
        }
        guard offset == fileSize, checksum.value == header.checksum, let train = sets["train"],
            let test = sets["test"]
        else { throw CacheError.invalid }
        // A split whose targets are wider than the training split's would overrun the trainer's batch buffers.
        guard [test, sets["validation"]].compactMap({ $0 }).allSatisfy(train.sharesShape) else {
            throw CacheError.invalid
        }
        return LoadedData(
            train: train, validation: sets["validation"], test: test, classes: header.classes,
            oovToken: header.oovToken, sources: header.sources.map(\.path), classNames: header.classNames,
            vocabulary: header.vocabulary)
    }

    /// `count` values of `T` read with pread(2) from `offset`, straight into the array; throws when the file ends
    /// first or the count is absurd.
    private static func read<T>(_ fd: Int32, at offset: Int, count: Int, as: T.Type) throws -> [T] {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow, count >= 0, bytes <= FileBytes.maximumSize else { throw CacheError.invalid }
        var complete = true
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var done = 0
            while done < bytes {
                let n = pread(fd, raw.baseAddress! + done, bytes - done, off_t(offset + done))
                if n <= 0 { break }
                done += n
            }
            complete = done == bytes
            // Byte, Int32 and Float have no invalid bit patterns; a short read is thrown away below.
            if !complete { raw.initializeMemory(as: UInt8.self, repeating: 0) }
            initialized = count
        }
        guard complete else { throw CacheError.invalid }
        return values
    }
}

/// A fast 64-bit checksum (four multiply-rotate lanes, as in xxHash64) that can be fed in pieces: crc32 would cost
/// ≈ 40 ms of a worker's 100 ms start-up on 55 MB, this ≈ 6 ms. It guards against a truncated or damaged file, not an
/// adversary.
struct Checksum {
    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (1, 2, 3, 4)
    private var length: UInt64 = 0

    private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        let mixed = acc &+ input &* p2
        return ((mixed << 31) | (mixed >> 33)) &* p1
    }

    /// Adds a piece; each piece is mixed on its own, so the pieces' boundaries are part of the value.
    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var (a, b, c, d) = lanes
        let words = bytes.count / 32
        for w in 0..<words {
            let base = w * 32
            a = Self.round(a, bytes.loadUnaligned(fromByteOffset: base, as: UInt64.self))
            b = Self.round(b, bytes.loadUnaligned(fromByteOffset: base + 8, as: UInt64.self))
            c = Self.round(c, bytes.loadUnaligned(fromByteOffset: base + 16, as: UInt64.self))
            d = Self.round(d, bytes.loadUnaligned(fromByteOffset: base + 24, as: UInt64.self))
        }
        for i in (words * 32)..<bytes.count { a = Self.round(a, UInt64(bytes[i])) }
        lanes = (Self.round(a, UInt64(bytes.count)), b, c, d)
        length &+= UInt64(bytes.count)
    }

    var value: UInt64 {
        let (a, b, c, d) = lanes
        var h = Self.round(Self.round(Self.round(Self.round(length, a), b), c), d)
        h ^= h >> 29
        h = h &* Self.p2
        return h ^ (h >> 32)
    }
}
