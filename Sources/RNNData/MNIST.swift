/// Digit MNIST. It cannot be downloaded here, so it is looked for, in this order: `dataDir` (a directory of IDX
/// files, or an `mnist.npz` file or a directory holding one), else the directory in `RNNSWEEP_MNIST_DIR`, else
/// Keras's cache `~/.keras/datasets/mnist.npz`.
enum MNIST {
    /// Environment variable naming a directory of MNIST IDX files.
    static let environmentKey = "RNNSWEEP_MNIST_DIR"

    static func load(dataDir: String?, view: SequenceView, environment: [String: String]) throws(DataError)
        -> LoadedData
    {
        let (train, test, sources) = try locateAndRead(dataDir: dataDir, environment: environment)
        return LoadedData(
            train: train.sequences(view), validation: nil, test: test.sequences(view), classes: 10, sources: sources)
    }

    private static func locateAndRead(dataDir: String?, environment: [String: String]) throws(DataError)
        -> (ImageSet, ImageSet, [String])
    {
        if let dataDir {
            let path = FileBytes.expand(dataDir)
            if let found = try read(path) { return found }
            throw .mnistNotFound(searched: [
                "data_dir \(path): no IDX files or mnist.npz there (the other places are not searched when "
                    + "data_dir is given)"
            ])
        }
        var searched: [String] = ["data_dir: not given"]
        if let directory = environment[environmentKey], !directory.isEmpty {
            let path = FileBytes.expand(directory)
            if let found = try read(path) { return found }
            searched.append("\(environmentKey)=\(path): no IDX files or mnist.npz there")
        } else {
            searched.append("\(environmentKey): not set")
        }
        let home = environment["HOME"] ?? FileBytes.expand("~")
        let kerasCache = home + "/.keras/datasets/mnist.npz"
        if FileBytes.isFile(kerasCache) {
            let (train, test) = try readNPZ(kerasCache)
            return (train, test, [kerasCache])
        }
        searched.append("\(kerasCache): no such file")
        throw .mnistNotFound(searched: searched)
    }

    /// Reads MNIST from a directory of IDX files, a directory holding `mnist.npz`, or an `.npz` file; with the files
    /// it read.
    private static func read(_ path: String) throws(DataError) -> (ImageSet, ImageSet, [String])? {
        if FileBytes.isFile(path) {
            let (train, test) = try readNPZ(path)
            return (train, test, [path])
        }
        if let files = IDXDirectory(path) {
            let (train, test) = try files.read()
            return (train, test, files.paths)
        }
        let npz = path + "/mnist.npz"
        guard FileBytes.isFile(npz) else { return nil }
        let (train, test) = try readNPZ(npz)
        return (train, test, [npz])
    }

    /// Reads Keras's `mnist.npz`: `x_train` uint8 [60000, 28, 28], `y_train` uint8 [60000], `x_test`, `y_test`.
    static func readNPZ(_ path: String) throws(DataError) -> (ImageSet, ImageSet) {
        let archive = try NPZArchive(path: path)
        func images(_ x: String, _ y: String) throws(DataError) -> ImageSet {
            let pixels = try archive.requiredArray(x)
            let labels = try archive.requiredArray(y)
            guard pixels.dtype == "|u1" else {
                throw .unsupportedDType(path: path, member: x, dtype: pixels.dtype, supported: ["|u1"])
            }
            guard pixels.shape.count == 3, pixels.shape[1] > 0, pixels.shape[2] > 0 else {
                throw .shapeMismatch(path: path, reason: "\(x) has shape \(pixels.shape); expected [N, 28, 28]")
            }
            guard pixels.shape[0] > 0 else { throw .emptySplit(path: path, member: x) }
            guard labels.shape == [pixels.shape[0]] else {
                throw .shapeMismatch(
                    path: path,
                    reason: "\(x) has shape \(pixels.shape) but \(y) has \(labels.shape); "
                        + "expected [\(pixels.shape[0])]")
            }
            let values = try labels.labelValues()
            if let bad = values.firstIndex(where: { $0 < 0 || $0 >= 10 }) {
                throw .labelOutOfRange(
                    path: "\(path) (array '\(y)')", index: bad, value: Int(values[bad]), limit: 10)
            }
            return ImageSet(
                rows: pixels.shape[1], columns: pixels.shape[2], pixels: pixels.payload,
                labels: values.map { Int32($0) })
        }
        let train = try images("x_train", "y_train")
        let test = try images("x_test", "y_test")
        guard train.rows == test.rows && train.columns == test.columns else {
            throw .shapeMismatch(path: path, reason: "x_train and x_test images differ in size")
        }
        return (train, test)
    }
}
