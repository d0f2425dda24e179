import Foundation
import Testing

@testable import RNNData

/// The decoded-data cache gives exactly what the files give, and anything about it that does not check out is a miss
/// (the files are read again), never a trap or wrong data.
@Suite struct DecodedDataCacheTests {
    let data: TempDirectory
    let cacheDirectory: TempDirectory
    var cache: DecodedDataCache { DecodedDataCache(directory: URL(fileURLWithPath: cacheDirectory.path)) }

    init() throws {
        data = try TempDirectory()
        cacheDirectory = try TempDirectory()
        try MNISTFixture(trainCount: 40, testCount: 12).write(into: data, gzip: true)
    }

    func spec(view: SequenceView = .rows) -> DatasetSpec {
        DatasetSpec(name: "fashion-mnist", dataDir: data.path, view: view, limit: 30, validationSplit: 0.2)
    }

    func load(_ spec: DatasetSpec) throws -> DatasetSplits {
        try DatasetLoader.load(spec, environment: [:], cache: cache)
    }

    func cacheFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cacheDirectory.path).sorted()
    }

    static func same(_ a: DatasetSplits, _ b: DatasetSplits) -> Bool {
        a.train == b.train && a.validation == b.validation && a.test == b.test && a.classes == b.classes
    }

    @Test func aCachedReadGivesWhatTheFilesGive() throws {
        for view in SequenceView.allCases {
            let direct = try DatasetLoader.load(spec(view: view), environment: [:])
            let first = try load(spec(view: view))  // a miss: reads the files and writes the cache
            let second = try load(spec(view: view))  // a hit
            #expect(Self.same(direct, first) && Self.same(direct, second), "\(view)")
        }
        let files = try cacheFiles()
        #expect(files.count == SequenceView.allCases.count, "one file per view: \(files)")
        #expect(files.allSatisfy { $0.hasPrefix("fashion-mnist-") && $0.hasSuffix(".data") })
        // Generated data is not cached.
        _ = try DatasetLoader.load(DatasetSpec(name: "parity", samples: 50), environment: [:], cache: cache)
        #expect(try cacheFiles().count == SequenceView.allCases.count)
    }

    @Test func theCacheIsReallyRead() throws {
        // Whole seconds: setting a time back keeps it exactly (file systems keep ns, Foundation sets µs).
        let path = data.path + "/train-labels-idx1-ubyte.gz"
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: path)
        let direct = try DatasetLoader.load(spec(), environment: [:])
        _ = try load(spec())
        // Same size and modification time, other bytes: the cache checks its sources by fingerprint, so it serves
        // its own copy, which proves that a hit does not read the files.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 8] ^= 0xFF  // the gzip CRC: reading the file now fails
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: path)
        #expect(Self.same(direct, try load(spec())))
        #expect(throws: DataError.self) { try DatasetLoader.load(spec(), environment: [:]) }
    }

    @Test func aChangedSourceIsAMiss() throws {
        _ = try load(spec())
        // Rewrite the files with other images: new size or time, so the cache must not serve the old ones.
        try MNISTFixture(trainCount: 45, testCount: 12).write(into: data, gzip: true)
        let direct = try DatasetLoader.load(spec(), environment: [:])
        let cached = try load(spec())
        #expect(Self.same(direct, cached))
        #expect(cached.train.count + (cached.validation?.count ?? 0) == 30)
        #expect(try load(spec()).test.count == 12)
    }

    @Test func everyDamageIsAMissAndTheFileIsRewritten() throws {
        let direct = try DatasetLoader.load(spec(), environment: [:])
        _ = try load(spec())
        let file = cacheDirectory.path + "/" + (try #require(try cacheFiles().first))
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        var damaged: [(String, [UInt8])] = [
            ("empty", []), ("magic only", Array(good.prefix(16))), ("truncated by one", Array(good.dropLast())),
            ("one byte more", good + [0]),
            ("huge header length", Array(good.prefix(16)) + [0, 0, 0, 0, 0, 0, 0, 0x80]),
        ]
        for at in [good.count - 1, good.count / 2, good.count - 200] {
            var flipped = good
            flipped[at] ^= 0x01
            damaged.append(("bit flipped at \(at)", flipped))
        }
        for (what, bytes) in damaged {
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            #expect(throws: (any Error).self, "\(what)") { try DecodedDataCache.decode(file: file) }
            #expect(Self.same(direct, try load(spec())), "\(what)")
            #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: file))) == good, "\(what): rewritten")
        }
    }

    @Test func hostileBytesNeverTrap() throws {
        _ = try load(spec())
        let file = cacheDirectory.path + "/" + (try #require(try cacheFiles().first))
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            var bytes = good
            // Damage the header (where lengths and counts are) as much as the payload.
            for _ in 0..<(1 + round % 8) {
                let at =
                    round % 2 == 0
                    ? Int.random(in: 0..<min(400, bytes.count), using: &generator)
                    : Int.random(in: 0..<bytes.count, using: &generator)
                bytes[at] = UInt8.random(in: 0...255, using: &generator)
            }
            if round % 5 == 0 { bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator))) }
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            if let decoded = try? DecodedDataCache.decode(file: file) {
                // Only a change the checksum cannot see (e.g. JSON whitespace) may still decode; then it is intact.
                #expect(decoded.train.count == 40 && decoded.test.count == 12)
            }
        }
    }

    @Test func aCacheFolderThatCannotBeWrittenOnlyCostsTheRead() throws {
        let blocked = try TempDirectory()
        let file = try blocked.write([1], to: "file")
        let unwritable = DecodedDataCache(directory: URL(fileURLWithPath: file + "/cache"))
        let direct = try DatasetLoader.load(spec(), environment: [:])
        #expect(Self.same(direct, try DatasetLoader.load(spec(), environment: [:], cache: unwritable)))
    }
}
