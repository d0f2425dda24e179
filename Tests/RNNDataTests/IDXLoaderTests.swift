import Foundation
import RNNData
import Testing

@Suite struct IDXLoaderTests {
    let fixture = MNISTFixture(trainCount: 10, testCount: 4)

    @Test(arguments: [false, true])
    func loadsRawAndGzipFilesThroughTheMNISTLoader(gzip: Bool) throws {
        let directory = try TempDirectory()
        try fixture.write(into: directory, gzip: gzip)
        let splits = try DatasetLoader.load(DatasetSpec(name: "mnist", dataDir: directory.path), environment: [:])
        #expect(splits.classes == 10)
        #expect(splits.train.count == 10 && splits.test.count == 4 && splits.validation == nil)
        #expect(splits.timesteps == MNISTFixture.rows && splits.features == MNISTFixture.columns)
        #expect(splits.train.isBytes)
        #expect(splits.train.labels == (0..<10).map { MNISTFixture.label($0) })
        #expect(splits.test.labels == (0..<4).map { MNISTFixture.label($0, test: true) })
        #expect(splits.train.storage == .bytes(fixture.images(test: false)))
        #expect(splits.test.value(example: 3, t: 2, f: 1) == Float(MNISTFixture.pixel(3, 2, 1, test: true)) / 255)
        #expect(splits.summary == "mnist rows: 10 train / 4 test, 4 steps × 3 features, 10 classes")
    }

    @Test func everyViewPutsAKnownPixelAtTheRightStepAndFeature() throws {
        let directory = try TempDirectory()
        try fixture.write(into: directory, gzip: true)
        let (image, r, c) = (7, 3, 1)
        let expected = Float(MNISTFixture.pixel(image, r, c)) / 255
        func load(_ view: SequenceView) throws -> SequenceSet {
            try DatasetLoader.load(DatasetSpec(name: "mnist", dataDir: directory.path, view: view), environment: [:])
                .train
        }
        let rows = try load(.rows)
        #expect(rows.timesteps == 4 && rows.features == 3)
        #expect(rows.value(example: image, t: r, f: c) == expected)
        let columns = try load(.columns)
        #expect(columns.timesteps == 3 && columns.features == 4)
        #expect(columns.value(example: image, t: c, f: r) == expected)
        #expect(columns.isBytes)
        let pixels = try load(.pixels)
        #expect(pixels.timesteps == 12 && pixels.features == 1)
        #expect(pixels.value(example: image, t: r * MNISTFixture.columns + c, f: 0) == expected)
        // The whole columns view is the transpose of the rows view.
        for t in 0..<3 {
            for f in 0..<4 { #expect(columns.value(example: 2, t: t, f: f) == rows.value(example: 2, t: f, f: t)) }
        }
    }

    @Test func limitKeepsTheFirstTrainingExamplesOnly() throws {
        let directory = try TempDirectory()
        try fixture.write(into: directory, gzip: false)
        let splits = try DatasetLoader.load(
            DatasetSpec(name: "mnist", dataDir: directory.path, limit: 6), environment: [:])
        #expect(splits.train.count == 6 && splits.test.count == 4)
        #expect(splits.train.labels == (0..<6).map { MNISTFixture.label($0) })
        #expect(splits.train.storage == .bytes(Array(fixture.images(test: false)[0..<(6 * 12)])))
    }

    @Test func validationSplitTakesTheLastFractionWithKerasRounding() throws {
        let directory = try TempDirectory()
        try fixture.write(into: directory, gzip: false)
        func load(_ split: Double, limit: Int? = nil) throws -> DatasetSplits {
            try DatasetLoader.load(
                DatasetSpec(name: "mnist", dataDir: directory.path, limit: limit, validationSplit: split),
                environment: [:])
        }
        let quarter = try load(0.25)  // int(10 * 0.75) = 7
        #expect(quarter.train.count == 7 && quarter.validation?.count == 3)
        #expect(quarter.train.labels == (0..<7).map { MNISTFixture.label($0) })
        #expect(quarter.validation?.labels == (7..<10).map { MNISTFixture.label($0) })
        #expect(quarter.validation?.value(example: 0, t: 1, f: 2) == Float(MNISTFixture.pixel(7, 1, 2)) / 255)
        #expect(quarter.summary == "mnist rows: 7 train / 3 validation / 4 test, 4 steps × 3 features, 10 classes")
        // 10 * (1 - 0.8) is 1.9999999999999996 in binary floating point; Keras truncates it to 1.
        let tricky = try load(0.8)
        #expect(tricky.train.count == 1 && tricky.validation?.count == 9)
        // The split applies to the limited set: int(8 * 0.5) = 4.
        let limited = try load(0.5, limit: 8)
        #expect(limited.train.count == 4 && limited.validation?.count == 4)
        #expect(limited.validation?.labels == (4..<8).map { MNISTFixture.label($0) })
    }

    @Test func aSplitThatEmptiesASideIsAnError() throws {
        let directory = try TempDirectory()
        try fixture.write(into: directory, gzip: false)
        // With limit 2, int(2 * 0.4) = 0 examples would be left for training.
        let empty = #expect(throws: DataError.self) {
            try DatasetLoader.load(
                DatasetSpec(name: "mnist", dataDir: directory.path, limit: 2, validationSplit: 0.6), environment: [:])
        }
        #expect(empty?.description.contains("leaves 0 for training and 2 for validation") == true)
        let whole = #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "mnist", dataDir: directory.path, validationSplit: 1.0))
        }
        #expect(whole?.description.contains("validation_split") == true)
    }

    @Test func idxDirectoryAcceptsTheDottedFileNames() throws {
        let directory = try TempDirectory()
        try fixture.write(into: directory, gzip: false)
        for stem in ["train-images", "train-labels", "t10k-images", "t10k-labels"] {
            let kind = stem.hasSuffix("images") ? "idx3" : "idx1"
            try FileManager.default.moveItem(
                atPath: directory.path + "/\(stem)-\(kind)-ubyte", toPath: directory.path + "/\(stem).\(kind)-ubyte")
        }
        let splits = try DatasetLoader.load(DatasetSpec(name: "mnist", dataDir: directory.path), environment: [:])
        #expect(splits.train.count == 10)
    }
}
