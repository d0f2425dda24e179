import Foundation
import RNNData
import RNNTestSupport
import Testing

@Suite struct NPZTests {
    /// x[n, t, f] = n + t / 10 + f / 100 for `count` examples of 3 steps × 2 features.
    static func x(_ count: Int, offset: Int = 0) -> [Float] {
        var values: [Float] = []
        for n in 0..<count {
            for t in 0..<3 {
                for f in 0..<2 { values.append(Float(n + offset) + Float(t) / 10 + Float(f) / 100) }
            }
        }
        return values
    }

    static func standardMembers(train: Int = 8, test: Int = 4) -> [(String, [UInt8])] {
        [
            ("x_train", NPZWriter.npy(x(train), shape: [train, 3, 2])),
            ("y_train", NPZWriter.npy((0..<train).map { Int64($0 % 3) }, shape: [train])),
            ("x_test", NPZWriter.npy(x(test, offset: 50), shape: [test, 3, 2])),
            ("y_test", NPZWriter.npy((0..<test).map { Int64(($0 + 1) % 3) }, shape: [test])),
        ]
    }

    func load(_ members: [(String, [UInt8])], compressed: Bool = false, split: Double = 0) throws -> DatasetSplits {
        let directory = try TempDirectory()
        let path = try directory.file("data.npz")
        try NPZWriter.npz(at: path, members, compressed: compressed)
        return try DatasetLoader.load(DatasetSpec(name: "npz", dataDir: path, validationSplit: split))
    }

    /// Loads `members` expecting an error whose description names the file; returns it and the file's path.
    func loadError(_ members: [(String, [UInt8])]) throws -> (DataError, String) {
        let directory = try TempDirectory()
        let path = try directory.file("data.npz")
        try NPZWriter.npz(at: path, members, compressed: true)
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "npz", dataDir: path))
        }
        let found = try #require(error)
        #expect(found.description.contains(path))
        return (found, path)
    }

    @Test(arguments: [false, true])
    func float32XAndInt64YLoadStoredOrDeflated(compressed: Bool) throws {
        let splits = try load(Self.standardMembers(), compressed: compressed)
        #expect(splits.train.count == 8 && splits.test.count == 4 && splits.validation == nil)
        #expect(splits.timesteps == 3 && splits.features == 2 && splits.classes == 3)
        #expect(splits.train.storage == .floats(Self.x(8)))
        #expect(splits.train.labels == [0, 1, 2, 0, 1, 2, 0, 1])
        #expect(splits.test.value(example: 1, t: 2, f: 1) == Float(51) + Float(2) / 10 + Float(1) / 100)
        #expect(splits.view == nil)
        #expect(splits.summary == "npz: 8 train / 4 test, 3 steps × 2 features, 3 classes")
    }

    @Test func uint8XIsScaledAndTwoDimensionalXHasOneFeature() throws {
        let pixels: [UInt8] = (0..<20).map { UInt8($0 * 12) }
        let splits = try load([
            ("x_train", NPZWriter.npy(pixels, shape: [4, 5])),
            ("y_train", NPZWriter.npy(descr: "|u1", shape: [4], payload: [0, 3, 1, 2])),
            ("x_test", NPZWriter.npy(Array(pixels[0..<10]), shape: [2, 5])),
            ("y_test", NPZWriter.npy(descr: "<i4", shape: [2, 1], payload: [3, 0, 0, 0, 1, 0, 0, 0])),
        ])
        #expect(splits.train.isBytes && splits.timesteps == 5 && splits.features == 1)
        #expect(splits.classes == 4)
        #expect(splits.test.labels == [3, 1])
        #expect(splits.train.gatherTimeMajor([1]) == (5..<10).map { Float(UInt8($0 * 12)) / 255 })
    }

    @Test func ownValidationArraysBecomeTheValidationSet() throws {
        var members = Self.standardMembers()
        members.append(("x_val", NPZWriter.npy(Self.x(2, offset: 90), shape: [2, 3, 2])))
        members.append(("y_val", NPZWriter.npy([Int64(2), 1], shape: [2])))
        let splits = try load(members, compressed: true)
        #expect(splits.validation?.count == 2 && splits.validation?.labels == [2, 1])
        #expect(splits.classes == 3)
        #expect(splits.train.count == 8)
        let conflict = #expect(throws: DataError.self) { try load(members, split: 0.5) }
        #expect(conflict?.description.contains("x_val") == true)
    }

    @Test func validationSplitAppliesToNPZToo() throws {
        let splits = try load(Self.standardMembers(), split: 0.25)
        #expect(splits.train.count == 6 && splits.validation?.count == 2)
        #expect(splits.validation?.storage == .floats(Array(Self.x(8)[(6 * 6)...])))
    }

    @Test func missingMemberListsWhatIsPresent() throws {
        let (error, path) = try loadError(Array(Self.standardMembers().dropLast()))
        #expect(error == .missingMember(path: path, member: "y_test", present: ["x_train", "y_train", "x_test"]))
        #expect(error.description.contains("it holds: x_train, y_train, x_test"))
    }

    @Test func unsupportedDTypeIsNamedWithTheSupportedOnes() throws {
        var members = Self.standardMembers()
        members[0] = (
            "x_train", NPZWriter.npy(descr: "<c8", shape: [8, 3, 2], payload: [UInt8](repeating: 0, count: 384))
        )
        let (error, path) = try loadError(members)
        #expect(
            error == .unsupportedDType(path: path, member: "x_train", dtype: "<c8", supported: ["<f4", "<f8", "|u1"]))
        #expect(error.description.contains("'<c8'") && error.description.contains("'<f4'"))
        members = Self.standardMembers()
        members[1] = ("y_train", NPZWriter.npy(Array(Self.x(8)[0..<8]), shape: [8]))  // float labels
        let (labelError, _) = try loadError(members)
        #expect(labelError.description.contains("y_train") && labelError.description.contains("'<i8'"))
    }

    @Test func float64XIsNarrowedToFloat() throws {
        var members = Self.standardMembers()
        let doubles: [Double] = Self.x(8).map { Double($0) + 1e-12 }
        members[0] = (
            "x_train",
            NPZWriter.npy(
                descr: "<f8", shape: [8, 3, 2],
                payload: doubles.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian) { Array($0) } })
        )
        let splits = try load(members)
        #expect(splits.train.storage == .floats(doubles.map { Float($0) }))
    }

    @Test func shapeMismatchBetweenXAndYIsReported() throws {
        var members = Self.standardMembers()
        members[1] = ("y_train", NPZWriter.npy([Int64](repeating: 0, count: 7), shape: [7]))
        let (error, path) = try loadError(members)
        #expect(error == .shapeMismatch(path: path, reason: "x_train has 8 examples but y_train has 7"))
    }

    @Test func stepsOrFeaturesDifferingBetweenSplitsAreReported() throws {
        var members = Self.standardMembers()
        members[2] = ("x_test", NPZWriter.npy(Self.x(4), shape: [4, 2, 3]))
        let (error, path) = try loadError(members)
        #expect(error.description.hasPrefix(path + ": x_train has 3 steps × 2 features but x_test has 2 × 3"))
    }

    @Test func fortranOrderIsRejected() throws {
        var members = Self.standardMembers()
        members[0] = (
            "x_train",
            NPZWriter.npy(
                descr: "<f4", shape: [8, 3, 2], payload: [UInt8](repeating: 0, count: 192), fortranOrder: true)
        )
        let (error, path) = try loadError(members)
        #expect(error == .fortranOrder(path: path, member: "x_train"))
        #expect(error.description.contains("ascontiguousarray"))
    }

    @Test func negativeLabelsAreRejected() throws {
        var members = Self.standardMembers()
        members[3] = ("y_test", NPZWriter.npy([Int64(0), 1, -1, 2], shape: [4]))
        let (error, path) = try loadError(members)
        #expect(error == .negativeLabel(path: path, member: "y_test", index: 2, value: -1))
        #expect(error.description.contains("label -1 at index 2"))
    }

    @Test func truncatedArrayDataIsReported() throws {
        var members = Self.standardMembers()
        members[0] = ("x_train", Array(NPZWriter.npy(Self.x(8), shape: [8, 3, 2]).dropLast(4)))
        let (error, path) = try loadError(members)
        #expect(error == .wrongPayloadSize(path: "\(path) (array 'x_train')", expected: 192, actual: 188))
        #expect(error.description.contains("truncated"))
    }

    @Test func aFileThatIsNotAZipIsReported() throws {
        let directory = try TempDirectory()
        let path = try directory.write(Array("not a zip".utf8), to: "data.npz")
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "npz", dataDir: path))
        }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("not a readable .npz") == true)
    }

    @Test func kerasMNISTNPZLoadsThroughTheMNISTLoader() throws {
        let fixture = MNISTFixture(trainCount: 6, testCount: 3)
        let (r, c) = (MNISTFixture.rows, MNISTFixture.columns)
        let members: [(String, [UInt8])] = [
            ("x_train", NPZWriter.npy(fixture.images(test: false), shape: [6, r, c])),
            ("y_train", NPZWriter.npy(fixture.labels(test: false), shape: [6])),
            ("x_test", NPZWriter.npy(fixture.images(test: true), shape: [3, r, c])),
            ("y_test", NPZWriter.npy(fixture.labels(test: true), shape: [3])),
        ]
        let home = try TempDirectory()
        try NPZWriter.npz(at: home.file(".keras/datasets/mnist.npz"), members, compressed: true)
        // Found through Keras's cache under HOME...
        let cached = try DatasetLoader.load(
            DatasetSpec(name: "mnist", view: .columns), environment: ["HOME": home.path])
        #expect(cached.train.count == 6 && cached.test.count == 3 && cached.classes == 10)
        #expect(cached.timesteps == c && cached.features == r)
        #expect(cached.train.value(example: 5, t: 2, f: 3) == Float(MNISTFixture.pixel(5, 3, 2)) / 255)
        #expect(cached.test.labels == (0..<3).map { MNISTFixture.label($0, test: true) })
        // ...and given directly as the data dir.
        let direct = try DatasetLoader.load(
            DatasetSpec(name: "mnist", dataDir: home.path + "/.keras/datasets/mnist.npz"), environment: [:])
        #expect(direct.train.storage == .bytes(fixture.images(test: false)))
    }
}
