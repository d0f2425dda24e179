import RNNData
import Testing

/// The real Fashion-MNIST files from Debian's `dataset-fashion-mnist` (installed here and in CI).
@Suite struct FashionMNISTTests {
    @Test func realFilesLoadWithKnownShapesLabelsAndPixelSums() throws {
        let splits = try DatasetLoader.load(DatasetSpec(name: "fashion-mnist"))
        #expect(splits.train.count == 60000 && splits.test.count == 10000)
        #expect(splits.timesteps == 28 && splits.features == 28 && splits.classes == 10)
        #expect(splits.summary == "fashion-mnist rows: 60000 train / 10000 test, 28 steps × 28 features, 10 classes")
        #expect(splits.train.labels.prefix(10) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        #expect(splits.test.labels.prefix(10) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
        // Balanced: 6000 training images per class.
        var perClass = [Int](repeating: 0, count: 10)
        for label in splits.train.labels { perClass[Int(label)] += 1 }
        #expect(perClass == [Int](repeating: 6000, count: 10))
        // Sums computed once with NumPy from the same files.
        guard case .bytes(let train) = splits.train.storage, case .bytes(let test) = splits.test.storage else {
            Issue.record("Fashion-MNIST should stay as bytes")
            return
        }
        #expect(train.prefix(784).reduce(0) { $0 + Int($1) } == 76247)
        #expect(test.prefix(784).reduce(0) { $0 + Int($1) } == 33456)
        #expect(splits.train.value(example: 0, t: 10, f: 14) == Float(228) / 255)
    }

    @Test func pixelsViewAndLimitOnTheRealFiles() throws {
        let splits = try DatasetLoader.load(
            DatasetSpec(name: "fashion-mnist", view: .pixels, limit: 1000, validationSplit: 0.1))
        #expect(splits.train.count == 900 && splits.validation?.count == 100 && splits.test.count == 10000)
        #expect(splits.timesteps == 784 && splits.features == 1)
        #expect(splits.train.value(example: 0, t: 10 * 28 + 14, f: 0) == Float(228) / 255)
        #expect(
            splits.validation?.labels
                == Array(try DatasetLoader.load(DatasetSpec(name: "fashion-mnist", limit: 1000)).train.labels[900...]))
    }
}
