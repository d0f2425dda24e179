import Foundation
import RNNCore
import RNNData
import RNNTestSupport
import Testing

/// The data options a user's own files need: `input_scale` (no silent division by 255), `validation` (a hold-out
/// that represents a class-sorted file), and the fingerprint that keys trials by the files' contents.
@Suite struct DataOptionsTests {
    /// A class-sorted npz: 3 classes × 10 training examples `[30, 2, 1]` (labels 0…0, 1…1, 2…2), 6 test examples;
    /// x of uint8 (value = example index × 8) or float32 (the same numbers).
    static func sortedFile(in directory: TempDirectory, bytes: Bool, name: String = "sorted.npz") throws -> String {
        let count = 30
        let values = (0..<(count * 2)).map { ($0 / 2) * 8 }
        let labels = (0..<count).map { Int64($0 / 10) }
        let testValues = Array(values.prefix(12))
        let x: [UInt8] =
            bytes
            ? NPZWriter.npy(values.map(UInt8.init), shape: [count, 2, 1])
            : NPZWriter.npy(values.map(Float.init), shape: [count, 2, 1])
        let xTest: [UInt8] =
            bytes
            ? NPZWriter.npy(testValues.map(UInt8.init), shape: [6, 2, 1])
            : NPZWriter.npy(testValues.map(Float.init), shape: [6, 2, 1])
        let path = try directory.file(name)
        try? FileManager.default.removeItem(atPath: path)  // regenerated in place
        try NPZWriter.npz(
            at: path,
            [
                ("x_train", x), ("y_train", NPZWriter.npy(labels, shape: [count])),
                ("x_test", xTest), ("y_test", NPZWriter.npy((0..<6).map { Int64($0 % 3) }, shape: [6])),
            ], compressed: false)
        return path
    }

    @Test func inputScaleDividesByteInputsOnlyWhenAutoAndSaysSo() throws {
        let directory = try TempDirectory()
        let bytes = try Self.sortedFile(in: directory, bytes: true)
        let floats = try Self.sortedFile(in: directory, bytes: false, name: "floats.npz")
        func first(_ path: String, _ scale: InputScale) throws -> (Float, String) {
            let spec = DatasetSpec(name: "npz", dataDir: path, inputScale: scale)
            let splits = try DatasetLoader.load(spec)
            // Example 3 holds 24 at both steps.
            return (splits.train.value(example: 3, t: 1, f: 0), DatasetLoader.scalingDescription(splits, spec: spec))
        }
        #expect(try first(bytes, .auto) == (24 / 255, "uint8 values divided by 255 (input_scale: auto)"))
        #expect(try first(bytes, .none) == (24, "values as stored (input_scale: none)"))
        #expect(try first(bytes, .factor(0.5)) == (12, "values multiplied by 0.5 (input_scale: 0.5)"))
        #expect(try first(floats, .auto) == (24, "values as stored (input_scale: auto)"))
        #expect(try first(floats, .factor(0.25)).0 == 6)
        // The test split is scaled the same way.
        let spec = DatasetSpec(name: "npz", dataDir: bytes, inputScale: .none)
        #expect(try DatasetLoader.load(spec).test.value(example: 5, t: 0, f: 0) == 40)
    }

    @Test func aNumberCannotScaleTokenIds() {
        let spec = DatasetSpec(name: "npz", dataDir: "x.npz", input: .tokens, inputScale: .factor(2))
        #expect(throws: DataError.self) { try spec.validate() }
    }

    /// What each split holds, as labels in file order.
    func labels(_ path: String, _ validation: ValidationSplit, seed: UInt64 = 1) throws -> (
        train: [Int32], held: [Int32]
    ) {
        let splits = try DatasetLoader.load(
            DatasetSpec(name: "npz", dataDir: path, validationSplit: 0.2, seed: seed, validation: validation))
        return (splits.train.labels, try #require(splits.validation).labels)
    }

    @Test func lastHoldsOutTheEndAsKerasDoes() throws {
        let directory = try TempDirectory()
        let (train, held) = try labels(try Self.sortedFile(in: directory, bytes: false), .last)
        // Keras: split_at = int(30 × 0.8) = 24; the last six are all class 2.
        #expect(train == [Int32](repeating: 0, count: 10) + [Int32](repeating: 1, count: 10) + [2, 2, 2, 2])
        #expect(held == [2, 2, 2, 2, 2, 2])
    }

    @Test func stratifiedHoldsOutTheSameShareOfEveryClassDrawnFromDataSeed() throws {
        let directory = try TempDirectory()
        let path = try Self.sortedFile(in: directory, bytes: false)
        let (train, held) = try labels(path, .stratified)
        #expect(held == [0, 0, 1, 1, 2, 2], "two of each class, in file order")
        #expect(train.count == 24)
        // Which examples: a draw from data_seed, the same every time, another with another seed.
        func heldValues(_ seed: UInt64) throws -> [Float] {
            let splits = try DatasetLoader.load(
                DatasetSpec(name: "npz", dataDir: path, validationSplit: 0.2, seed: seed, validation: .stratified))
            let validation = try #require(splits.validation)
            return (0..<validation.count).map { validation.value(example: $0, t: 0, f: 0) }
        }
        #expect(try heldValues(1) == heldValues(1))
        #expect(try heldValues(1) != heldValues(2))
    }

    @Test func shuffledHoldsOutARandomFractionDrawnFromDataSeed() throws {
        let directory = try TempDirectory()
        let path = try Self.sortedFile(in: directory, bytes: false)
        let a = try labels(path, .shuffled, seed: 4)
        #expect(a.train.count == 24 && a.held.count == 6)
        #expect(try labels(path, .shuffled, seed: 4) == a)
        #expect(Set(a.held).count > 1, "not just the file's end")
        #expect(throws: DataError.self) {
            try DatasetSpec(name: "npz", dataDir: path, task: .regression, validation: .stratified).validate()
        }
    }

    @Test func theFingerprintFollowsTheContentsNotThePath() throws {
        let directory = try TempDirectory()
        let path = try Self.sortedFile(in: directory, bytes: false)
        func fingerprint(_ path: String, cache: FingerprintCache? = nil) throws -> String {
            try DatasetLoader.load(DatasetSpec(name: "npz", dataDir: path)).fingerprint(cache: cache)!
        }
        let original = try fingerprint(path)
        #expect(original.count == 64)
        // The same bytes elsewhere, under another name: the same fingerprint.
        let moved = try directory.file("elsewhere/renamed.npz")
        try FileManager.default.copyItem(atPath: path, toPath: moved)
        #expect(try fingerprint(moved) == original)
        // Other contents: another fingerprint.
        let other = try Self.sortedFile(in: directory, bytes: true, name: "other.npz")
        #expect(try fingerprint(other) != original)
        // Generated data has none.
        #expect(try DatasetLoader.load(DatasetSpec(name: "parity", samples: 40)).fingerprint(cache: nil) == nil)
    }

    @Test func theFingerprintCacheHashesAFileOnceAndAgainWhenItChanges() throws {
        let directory = try TempDirectory()
        let path = try Self.sortedFile(in: directory, bytes: false)
        let folder = URL(fileURLWithPath: try directory.file("cache/x")).deletingLastPathComponent()
        let spec = DatasetSpec(name: "npz", dataDir: path)
        let first = try DatasetLoader.load(spec).fingerprint(cache: FingerprintCache(directory: folder))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("fingerprints.json").path))
        // Regenerated with other contents (a new modification time): hashed again, from a fresh cache object.
        _ = try Self.sortedFile(in: directory, bytes: true)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: path)
        let second = try DatasetLoader.load(spec).fingerprint(cache: FingerprintCache(directory: folder))
        #expect(first != second)
        #expect(second == (try DatasetLoader.load(spec).fingerprint(cache: nil)))
    }
}
