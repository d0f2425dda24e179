import Foundation
import RNNData
import Testing

@Suite struct CorruptFileTests {
    let fixture = MNISTFixture(trainCount: 10, testCount: 4)

    /// Writes a valid raw fixture, then writes `name` (replacing or beside a file); returns the directory and path.
    func directory(replacing name: String, with bytes: (MNISTFixture) -> [UInt8]) throws -> (TempDirectory, String) {
        let directory = try TempDirectory()
        try fixture.write(into: directory, gzip: false)
        return (directory, try directory.write(bytes(fixture), to: name))
    }

    func loadError(_ directory: TempDirectory) -> DataError? {
        #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "mnist", dataDir: directory.path), environment: [:])
        }
    }

    @Test func badMagicNamesTheFileAndBothNumbers() throws {
        let (directory, path) = try directory(replacing: "train-images-idx3-ubyte") {
            TestFiles.idx(dimensions: [10, 12], payload: $0.images(test: false))  // 2-D: magic 0x802
        }
        let error = try #require(loadError(directory))
        #expect(
            error
                == .badIDX(path: path, reason: "magic number is 0x00000802, expected 0x00000803 (unsigned bytes, 3-D)"))
        #expect(error.description.contains(path))
    }

    @Test func truncatedPayloadReportsExpectedAndActualBytes() throws {
        let (directory, path) = try directory(replacing: "t10k-images-idx3-ubyte") {
            Array(TestFiles.idx(dimensions: [4, 4, 3], payload: $0.images(test: true)).dropLast(5))
        }
        let error = try #require(loadError(directory))
        #expect(error == .wrongPayloadSize(path: path, expected: 48, actual: 43))
        #expect(error.description.contains("\(path) is truncated"))
        #expect(error.description.contains("48") && error.description.contains("43"))
    }

    @Test func truncatedGzipNamesTheFile() throws {
        // A `.gz` file is preferred over the raw one beside it.
        let whole = TestFiles.gzip(TestFiles.idx(dimensions: [10], payload: fixture.labels(test: false)))
        let (directory, path) = try directory(replacing: "train-labels-idx1-ubyte.gz") { _ in
            Array(whole.prefix(whole.count - 12))
        }
        let error = try #require(loadError(directory))
        guard case .badGzip(let reportedPath, _) = error else {
            Issue.record("expected a gzip error, got \(error)")
            return
        }
        #expect(reportedPath == path)
        #expect(error.description.contains(path))
    }

    @Test func corruptGzipDataNamesTheFile() throws {
        var bytes = TestFiles.gzip(TestFiles.idx(dimensions: [4], payload: fixture.labels(test: true)))
        for i in 10..<(bytes.count - 8) { bytes[i] ^= 0x5a }
        let (directory, path) = try directory(replacing: "t10k-labels-idx1-ubyte.gz") { _ in bytes }
        let error = try #require(loadError(directory))
        #expect(error.description.contains(path) && error.description.contains("gzip"))
    }

    @Test func labelCountMismatchNamesBothFiles() throws {
        let (directory, path) = try directory(replacing: "train-labels-idx1-ubyte") {
            TestFiles.idx(dimensions: [9], payload: Array($0.labels(test: false).prefix(9)))
        }
        let error = try #require(loadError(directory))
        let images = directory.path + "/train-images-idx3-ubyte"
        #expect(error == .countMismatch(images: images, imageCount: 10, labels: path, labelCount: 9))
        #expect(error.description.contains(path) && error.description.contains(images))
    }

    @Test func labelsOutsideTenClassesAreRejected() throws {
        let (directory, path) = try directory(replacing: "t10k-labels-idx1-ubyte") { _ in
            TestFiles.idx(dimensions: [4], payload: [1, 2, 10, 3])
        }
        #expect(loadError(directory) == .labelOutOfRange(path: path, index: 2, value: 10, limit: 10))
    }

    @Test func missingFashionMNISTSaysHowToInstallIt() throws {
        let directory = try TempDirectory()
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "fashion-mnist", dataDir: directory.path))
        }
        #expect(
            error?.description == "Fashion-MNIST not found at \(directory.path): install it with "
                + "`apt-get install dataset-fashion-mnist` (or set data_dir)")
    }

    @Test func missingMNISTListsTheThreePlacesItLooked() throws {
        let home = try TempDirectory()
        let empty = try TempDirectory()
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(
                DatasetSpec(name: "mnist"), environment: ["HOME": home.path, "RNNSWEEP_MNIST_DIR": empty.path])
        }
        let text = try #require(error?.description)
        #expect(text.contains("cannot be downloaded here"))
        #expect(text.contains("data_dir: not given"))
        #expect(!text.contains("--data-dir"))
        #expect(text.contains("RNNSWEEP_MNIST_DIR=\(empty.path)"))
        #expect(text.contains(home.path + "/.keras/datasets/mnist.npz"))
        #expect(text.contains("train-images-idx3-ubyte"))
    }

    @Test func unknownDatasetNamesTheKnownOnes() {
        let error = #expect(throws: DataError.self) { try DatasetLoader.load(DatasetSpec(name: "cifar")) }
        #expect(error?.description.contains("unknown dataset 'cifar'") == true)
        #expect(error?.description.contains("fashion-mnist, mnist, npz, ts, text, adding, parity, sum-sign") == true)
    }
}
