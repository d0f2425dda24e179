/// Fashion-MNIST (Zalando): 60000 + 10000 greyscale 28×28 images in 10 classes, as IDX files.
enum FashionMNIST {
    /// Where Debian's `dataset-fashion-mnist` package installs the files.
    static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
    /// The labels 0…9 as the data set's authors name them (and Keras's documentation lists them).
    static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    static func load(dataDir: String?, view: SequenceView) throws(DataError) -> LoadedData {
        let directory = FileBytes.expand(dataDir ?? defaultDirectory)
        guard let files = IDXDirectory(directory) else { throw .fashionMNISTNotFound(path: directory) }
        let (train, test) = try files.read()
        return LoadedData(
            train: train.sequences(view), validation: nil, test: test.sequences(view), classes: 10,
            sources: files.paths, classNames: classNames)
    }
}
