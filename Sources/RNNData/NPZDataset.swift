/// The user's own data as a NumPy `.npz` with `x_train`, `y_train`, `x_test`, `y_test` and optionally
/// `x_val`, `y_val`. x is `[N, T, F]` (or `[N, T]`, read as F = 1) of float32, float64 or uint8 (scaled by 1/255),
/// finite, N ≥ 1; y is `[N]` (or `[N, 1]`) of integers. The training labels define the classes: they must be
/// 0..<K with every class present, and the test and validation labels must be among them.
enum NPZDataset {
    /// Largest class count accepted; a bigger label is almost certainly not a class index.
    static let maximumClasses = 65536

    static func load(path: String) throws(DataError) -> LoadedData {
        let archive = try NPZArchive(path: path)
        let train = try split(archive, x: "x_train", y: "y_train")
        let classes = try DataValidation.classes(of: train.labels, path: path, member: "y_train")
        let test = try split(archive, x: "x_test", y: "y_test")
        try DataValidation.check(test.labels, within: classes, path: path, member: "y_test")
        var validation: SequenceSet?
        let xVal = try archive.array("x_val")
        let yVal = try archive.array("y_val")
        switch (xVal, yVal) {
        case (let x?, let y?):
            let set = try sequences(archive, x: x, y: y)
            try DataValidation.check(set.labels, within: classes, path: path, member: "y_val")
            validation = set
        case (nil, nil): break
        case (nil, _): throw .missingMember(path: path, member: "x_val", present: archive.arrayNames)
        case (_, nil): throw .missingMember(path: path, member: "y_val", present: archive.arrayNames)
        }
        for (name, other) in [("x_test", test), ("x_val", validation)] {
            guard let other else { continue }
            guard other.timesteps == train.timesteps && other.features == train.features else {
                throw .shapeMismatch(
                    path: path,
                    reason: "x_train has \(train.timesteps) steps × \(train.features) features but \(name) has "
                        + "\(other.timesteps) × \(other.features); all splits must agree")
            }
        }
        return LoadedData(train: train, validation: validation, test: test, classes: classes, sources: [path])
    }

    private static func split(_ archive: NPZArchive, x: String, y: String) throws(DataError) -> SequenceSet {
        try sequences(archive, x: archive.requiredArray(x), y: archive.requiredArray(y))
    }

    private static func sequences(_ archive: NPZArchive, x: NPYArray, y: NPYArray) throws(DataError) -> SequenceSet {
        let path = archive.path
        guard x.shape.count == 2 || x.shape.count == 3, x.shape.dropFirst().allSatisfy({ $0 > 0 }) else {
            throw .shapeMismatch(
                path: path,
                reason: "\(x.member) has shape \(x.shape); expected [examples, steps, features] "
                    + "(or [examples, steps] for one feature)")
        }
        guard y.shape.count == 1 || (y.shape.count == 2 && y.shape[1] == 1) else {
            throw .shapeMismatch(
                path: path,
                reason: "\(y.member) has shape \(y.shape); expected [examples] of class indices "
                    + "(not one-hot)")
        }
        guard x.shape[0] == y.shape[0] else {
            throw .shapeMismatch(
                path: path, reason: "\(x.member) has \(x.shape[0]) examples but \(y.member) has \(y.shape[0])")
        }
        guard x.shape[0] > 0 else { throw .emptySplit(path: path, member: x.member) }
        let storage = try x.sequenceStorage()
        try DataValidation.checkFinite(storage, stride: x.count / x.shape[0], path: path, member: x.member)
        let values = try y.labelValues()
        if let bad = values.firstIndex(where: { $0 < 0 }) {
            throw .negativeLabel(path: path, member: y.member, index: bad, value: Int(values[bad]))
        }
        if let bad = values.firstIndex(where: { $0 >= maximumClasses }) {
            throw .labelOutOfRange(
                path: "\(path) (array '\(y.member)')", index: bad, value: Int(values[bad]), limit: maximumClasses)
        }
        return SequenceSet(
            timesteps: x.shape[1], features: x.shape.count == 3 ? x.shape[2] : 1,
            labels: values.map { Int32($0) }, storage: storage)
    }
}
