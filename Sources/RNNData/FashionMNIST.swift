/// Fashion-MNIST (Zalando): 60000 + 10000 greyscale 28×28 images in 10 classes, as IDX files.
enum FashionMNIST {
    /// Where Debian's `dataset-fashion-mnist` package installs the files.
    static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

    static func load(dataDir: String?, view: SequenceView) throws(DataError) -> LoadedData {
        let directory = FileBytes.expand(dataDir ?? defaultDirectory)
        guard let files = IDXDirectory(directory) else { throw .fashionMNISTNotFound(path: directory) }
        let (train, test) = try files.read()
        return LoadedData(
            train: train.sequences(view), validation: nil, test: test.sequences(view), classes: 10,
            sources: files.paths)
    }
}
