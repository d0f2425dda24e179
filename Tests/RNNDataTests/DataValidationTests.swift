import Foundation
import RNNTestSupport
import Testing

@testable import RNNData

/// Bad data fails at load, naming the array (or file), the index and the value, instead of being trained on.
@Suite struct DataValidationTests {
    /// An npz of "digits": 20 training examples with labels 0...9 twice, 10 test examples; 3 steps × 2 features.
    static func digits(trainLabels: [Int64]? = nil, testLabels: [Int64]? = nil) -> [(String, [UInt8])] {
        let train = trainLabels ?? (0..<20).map { Int64($0 % 10) }
        let test = testLabels ?? (0..<10).map { Int64(9 - $0) }
        return [
            ("x_train", NPZWriter.npy(NPZTests.x(train.count), shape: [train.count, 3, 2])),
            ("y_train", NPZWriter.npy(train, shape: [train.count])),
            ("x_test", NPZWriter.npy(NPZTests.x(test.count, offset: 50), shape: [test.count, 3, 2])),
            ("y_test", NPZWriter.npy(test, shape: [test.count])),
        ]
    }

    func loadError(_ members: [(String, [UInt8])]) throws -> (DataError, String) {
        try NPZTests().loadError(members)
    }

    @Test func aLabelOf255AmongDigitsIsAMissingClassNotA256ClassModel() throws {
        var labels = (0..<20).map { Int64($0 % 10) }
        labels[13] = 255
        let (error, path) = try loadError(Self.digits(trainLabels: labels))
        #expect(error == .missingClass(path: path, member: "y_train", missing: 10, index: 13, value: 255))
        #expect(error.description.contains("array 'y_train' has label 255 at index 13 but no label 10"))
    }

    @Test func aGapInTheClassesIsReported() throws {
        let (error, path) = try loadError(Self.digits(trainLabels: [0, 1, 3, 1, 0, 3]))
        #expect(error == .missingClass(path: path, member: "y_train", missing: 2, index: 2, value: 3))
    }

    @Test func aTestLabelOutsideTheTrainingClassesIsReported() throws {
        var test = (0..<10).map { Int64($0 % 10) }
        test[7] = 10
        let (error, path) = try loadError(Self.digits(testLabels: test))
        #expect(error == .labelNotInTraining(path: path, member: "y_test", index: 7, value: 10, classes: 10))
        #expect(error.description.contains("array 'y_test' has label 10 at index 7, outside the classes 0..<10"))
    }

    @Test func nanInXNamesTheArrayAndTheFirstBadIndex() throws {
        var members = Self.digits()
        var values = NPZTests.x(20)
        values[2 * 6 + 3] = .nan
        values[5 * 6] = .infinity
        members[0] = ("x_train", NPZWriter.npy(values, shape: [20, 3, 2]))
        let (error, path) = try loadError(members)
        guard case .nonFiniteValue(let reported, let member, let index, let value, let stride) = error else {
            Issue.record("expected a non-finite value error, got \(error)")
            return
        }
        #expect(reported == path && member == "x_train" && index == 15 && value.isNaN && stride == 6)
        #expect(error.description.contains("array 'x_train' has nan at index 15 (example 2)"))
    }

    @Test func infinityInXTestIsReported() throws {
        var members = Self.digits()
        var values = NPZTests.x(10, offset: 50)
        values[59] = -.infinity
        members[2] = ("x_test", NPZWriter.npy(values, shape: [10, 3, 2]))
        let (error, path) = try loadError(members)
        #expect(error == .nonFiniteValue(path: path, member: "x_test", index: 59, value: -.infinity, stride: 6))
    }

    @Test func emptyXTrainIsRejected() throws {
        var members = Self.digits()
        members[0] = ("x_train", NPZWriter.npy([Float](), shape: [0, 3, 2]))
        members[1] = ("y_train", NPZWriter.npy([Int64](), shape: [0]))
        let (error, path) = try loadError(members)
        #expect(error == .emptySplit(path: path, member: "x_train"))
        #expect(error.description.contains("array 'x_train' holds no examples"))
    }

    @Test func emptyXTestIsRejected() throws {
        var members = Self.digits()
        members[2] = ("x_test", NPZWriter.npy([Float](), shape: [0, 3, 2]))
        members[3] = ("y_test", NPZWriter.npy([Int64](), shape: [0]))
        let (error, path) = try loadError(members)
        #expect(error == .emptySplit(path: path, member: "x_test"))
    }

    @Test func xAndYOfDifferentLengthsAreRejected() throws {
        var members = Self.digits()
        members[3] = ("y_test", NPZWriter.npy([Int64](repeating: 1, count: 9), shape: [9]))
        let (error, path) = try loadError(members)
        #expect(error == .shapeMismatch(path: path, reason: "x_test has 10 examples but y_test has 9"))
    }

    @Test func anEmptyIDXSplitIsRejected() throws {
        let directory = try TempDirectory()
        try MNISTFixture(trainCount: 4, testCount: 2).write(into: directory, gzip: false)
        let images = try directory.write(
            TestFiles.idx(dimensions: [0, MNISTFixture.rows, MNISTFixture.columns], payload: []),
            to: "t10k-images-idx3-ubyte")
        _ = try directory.write(TestFiles.idx(dimensions: [0], payload: []), to: "t10k-labels-idx1-ubyte")
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "mnist", dataDir: directory.path), environment: [:])
        }
        #expect(error == .emptySplit(path: images, member: nil))
    }

    @Test func idxDimensionsWhoseProductOverflowsAreAnErrorNotATrap() throws {
        let directory = try TempDirectory()
        try MNISTFixture(trainCount: 4, testCount: 2).write(into: directory, gzip: false)
        let path = try directory.write(
            TestFiles.idx(dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [1, 2, 3]),
            to: "train-images-idx3-ubyte")
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "mnist", dataDir: directory.path), environment: [:])
        }
        guard case .badIDX(let reported, let reason)? = error else {
            Issue.record("expected an IDX error, got \(String(describing: error))")
            return
        }
        #expect(reported == path && reason.contains("more bytes than any file holds"))
    }

    /// A 50 GB sparse file (no disk used) is not scanned end to end: only its last 64 KiB + 22 bytes are read.
    @Test func aHugeSparseNonZipFailsAtOnce() throws {
        let directory = try TempDirectory()
        let path = try directory.file("huge.npz")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 50 << 30) == 0)
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "npz", dataDir: path))
        }
        guard case .badArchive(let reported, let reason)? = error else {
            Issue.record("expected a not-a-zip error, got \(String(describing: error))")
            return
        }
        #expect(reported == path && reason.contains("not a zip file"))
        #expect(error?.description.contains("is not a readable .npz (zip) file") == true)
    }

    @Test func aHugeSparseIDXFileIsRefusedBeforeItIsRead() throws {
        let directory = try TempDirectory()
        try MNISTFixture(trainCount: 4, testCount: 2).write(into: directory, gzip: false)
        let path = try directory.file("train-images-idx3-ubyte")
        #expect(truncate(path, 50 << 30) == 0)
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "mnist", dataDir: directory.path), environment: [:])
        }
        guard case .unreadableFile(let reported, let reason)? = error else {
            Issue.record("expected an unreadable-file error, got \(String(describing: error))")
            return
        }
        #expect(reported == path && reason.contains("53687091200 bytes"))
    }

    @Test func aGzipBombBeyondTheLimitIsRefused() throws {
        // 16 MiB of zeros compress to ~16 KB; with the limit at 1 MiB the output stops there, it is not allocated.
        let bomb = TestFiles.gzip([UInt8](repeating: 0, count: 16 << 20))
        let error = #expect(throws: DataError.self) { try Gzip.decompress(bomb, path: "bomb.gz", limit: 1 << 20) }
        #expect(error == .badGzip(path: "bomb.gz", reason: "it decompresses to more than 1048576 bytes"))
        #expect(try Gzip.decompress(bomb, path: "bomb.gz", limit: 16 << 20).count == 16 << 20)
    }
}
