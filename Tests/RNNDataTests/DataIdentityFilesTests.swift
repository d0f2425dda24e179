import Foundation
import RNNCore
import RNNTestSupport
import Testing

@testable import RNNData

/// What keys a data set: its fingerprint does not depend on how `data_dir` names the files, the decoded-data cache
/// keeps apart reads that differ, and splits that cannot be read alike are refused.
@Suite struct DataIdentityFilesTests {
    static let train = TSDatasetTests.multivariateHeader + "1,2,3:4,5,6:a\n1,2:3,4:b\n7:8:c\n"
    static let test = TSDatasetTests.multivariateHeader + "1,2:3,4:c\n"

    func fingerprint(_ spec: DatasetSpec) throws -> String? {
        try DatasetLoader.load(spec).fingerprint(cache: nil)
    }

    @Test func aTSPairFingerprintsAlikeByFolderPrefixFileOrName() throws {
        let directory = try TempDirectory()
        let prefix = try TSDatasetTests.write(Self.train, Self.test, into: directory)
        let byPrefix = try fingerprint(TSDatasetTests.spec(prefix))
        #expect(byPrefix != nil)
        #expect(try fingerprint(TSDatasetTests.spec(directory.path)) == byPrefix)
        #expect(try fingerprint(TSDatasetTests.spec(prefix + "_TEST.ts")) == byPrefix)
        // The pair renamed and moved: the same contents, the same fingerprint.
        let other = try TempDirectory()
        let renamed = try TSDatasetTests.write(Self.train, Self.test, into: other, name: "Renamed")
        #expect(try fingerprint(TSDatasetTests.spec(renamed)) == byPrefix)
        // TRAIN and TEST swapped are other data.
        let swapped = try TempDirectory()
        try TSDatasetTests.write(Self.test, Self.train, into: swapped)
        #expect(try fingerprint(TSDatasetTests.spec(swapped.path)) != byPrefix)
    }

    @Test func theCacheKeepsNormalisedAndRawReadsApart() throws {
        let directory = try TempDirectory()
        let prefix = try TSDatasetTests.write(Self.train, Self.test, into: directory)
        let cache = DecodedDataCache(
            directory: URL(fileURLWithPath: try directory.file("cache/x")).deletingLastPathComponent())
        func values(_ normalize: Normalization, cache: DecodedDataCache?) throws -> [Float] {
            let set = try DatasetLoader.load(
                TSDatasetTests.spec(prefix, normalize: normalize), environment: [:], cache: cache
            ).train
            return (0..<set.count).flatMap { n in
                (0..<set.timesteps).flatMap { t in (0..<set.features).map { set.value(example: n, t: t, f: $0) } }
            }
        }
        let raw = try values(.none, cache: cache)
        let normalised = try values(.channel, cache: cache)
        #expect(raw == (try values(.none, cache: nil)))
        #expect(normalised == (try values(.channel, cache: nil)))
        #expect(raw != normalised)
    }

    @Test func splitsOfDifferentDtypesAreRefused() throws {
        let directory = try TempDirectory()
        let path = try directory.file("mixed.npz")
        try NPZWriter.npz(
            at: path,
            [
                ("x_train", NPZWriter.npy([UInt8](repeating: 3, count: 8), shape: [4, 2])),
                ("y_train", NPZWriter.npy([Int64]([0, 1, 0, 1]), shape: [4])),
                ("x_test", NPZWriter.npy([Float](repeating: 3, count: 4), shape: [2, 2])),
                ("y_test", NPZWriter.npy([Int64]([0, 1]), shape: [2])),
            ], compressed: false)
        let error = #expect(throws: DataError.self) { try DatasetLoader.load(DatasetSpec(name: "npz", dataDir: path)) }
        #expect(error?.description.contains("x_train and x_test hold different kinds of values") == true, "\(error!)")
    }

    @Test func aCacheFileWhoseSplitsDisagreeIsAMiss() throws {
        let directory = try TempDirectory()
        // Regression targets one wide in training, two wide in test: a batch buffer for one would not fit the other.
        let train = SequenceSet(
            timesteps: 1, features: 1, targets: .values([1, 2], width: 1), storage: .floats([0.5, 0.25]))
        let test = SequenceSet(
            timesteps: 1, features: 1, targets: .values([1, 2], width: 2), storage: .floats([0.5]))
        let source = try directory.write(Array("source".utf8), to: "source.npz")
        let bytes = try DecodedDataCache.encode(
            LoadedData(train: train, validation: nil, test: test, classes: 0, sources: [source]))
        let file = try directory.write(bytes, to: "bad.data")
        #expect(throws: (any Error).self) { try DecodedDataCache.decode(file: file) }
    }
}
