import RNNCore

/// The user's own data as a NumPy `.npz` with `x_train`, `y_train`, `x_test`, `y_test` and optionally
/// `x_val`, `y_val`.
///
/// - x, values: `[N, T, F]` (or `[N, T]`, read as F = 1) of float32, float64 or uint8 (scaled by 1/255), finite.
/// - x, tokens (`input: tokens`): `[N, T]` (or `[N, T, 1]`) of integer token ids ≥ 0, 0 = padding. An optional
///   scalar `oov_id` says which id stands for ids outside the vocabulary; without it they are refused.
/// - y, classification: `[N]` (or `[N, 1]`) of integers. The training labels define the classes: they must be
///   0..<K with every class present, and the test and validation labels must be among them.
/// - y, regression (`task: regression`): `[N]` or `[N, k]` of any numeric type, finite.
/// N ≥ 1 in every split.
enum NPZDataset {
    /// Largest class count accepted; a bigger label is almost certainly not a class index.
    static let maximumClasses = 65536

    static func load(path: String, input: InputKind = .values, task: Task = .classification) throws(DataError)
        -> LoadedData
    {
        let archive = try NPZArchive(path: path)
        let reader = Reader(archive: archive, input: input, task: task)
        let train = try reader.split(x: "x_train", y: "y_train")
        var classes = 0
        if task == .classification {
            classes = try DataValidation.classes(of: train.labels, path: path, member: "y_train")
        }
        let test = try reader.split(x: "x_test", y: "y_test")
        if task == .classification {
            try DataValidation.check(test.labels, within: classes, path: path, member: "y_test")
        }
        var validation: SequenceSet?
        let xVal = try archive.array("x_val")
        let yVal = try archive.array("y_val")
        switch (xVal, yVal) {
        case (let x?, let y?):
            let set = try reader.sequences(x: x, y: y)
            if task == .classification {
                try DataValidation.check(set.labels, within: classes, path: path, member: "y_val")
            }
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
            if case .values(_, let width) = train.targets, case .values(_, let otherWidth) = other.targets,
                width != otherWidth
            {
                throw .shapeMismatch(
                    path: path,
                    reason: "y_train has \(width) targets per example but the \(name) split has \(otherWidth)")
            }
            // uint8 is scaled by input_scale: auto and floats are not: one split of each would be read two ways.
            guard train.sharesShape(with: other) else {
                throw .shapeMismatch(
                    path: path,
                    reason: "x_train and \(name) hold different kinds of values (uint8 against floating point); "
                        + "save every split with one dtype")
            }
        }
        var oov: Int32?
        if input == .tokens, let member = try archive.array("oov_id") {
            oov = try reader.oovToken(member)
        }
        return LoadedData(
            train: train, validation: validation, test: test, classes: classes, oovToken: oov, sources: [path])
    }

    private struct Reader {
        let archive: NPZArchive
        let input: InputKind
        let task: Task
        var path: String { archive.path }

        func split(x: String, y: String) throws(DataError) -> SequenceSet {
            try sequences(x: archive.requiredArray(x), y: archive.requiredArray(y))
        }

        func sequences(x: NPYArray, y: NPYArray) throws(DataError) -> SequenceSet {
            let tokens = input == .tokens
            let shapeOK =
                tokens
                ? (x.shape.count == 2 || (x.shape.count == 3 && x.shape[2] == 1))
                : (x.shape.count == 2 || x.shape.count == 3)
            guard shapeOK, x.shape.dropFirst().allSatisfy({ $0 > 0 }) else {
                throw .shapeMismatch(
                    path: path,
                    reason: tokens
                        ? "\(x.member) has shape \(x.shape); token input expects [examples, steps] of integer ids"
                        : "\(x.member) has shape \(x.shape); expected [examples, steps, features] "
                            + "(or [examples, steps] for one feature)")
            }
            guard x.shape[0] == y.shape.first ?? -1 else {
                throw .shapeMismatch(
                    path: path,
                    reason: "\(x.member) has \(x.shape[0]) examples but \(y.member) has \(y.shape.first ?? 0)")
            }
            guard x.shape[0] > 0 else { throw .emptySplit(path: path, member: x.member) }
            let storage: SequenceSet.Storage
            if tokens {
                storage = .tokens(try tokenIDs(x))
            } else {
                if x.dtype != "|u1" && NPYArray.labelTypes.contains(x.dtype) {
                    throw .integerValues(path: path, member: x.member, dtype: x.dtype)
                }
                storage = try x.sequenceStorage()
                try DataValidation.checkFinite(storage, stride: x.count / x.shape[0], path: path, member: x.member)
            }
            let features = tokens ? 1 : (x.shape.count == 3 ? x.shape[2] : 1)
            return SequenceSet(
                timesteps: x.shape[1], features: features, targets: try targets(y), storage: storage)
        }

        /// Integer ids ≥ 0 that a Float holds exactly.
        private func tokenIDs(_ x: NPYArray) throws(DataError) -> [Int32] {
            let values: [Int64]
            do { values = try x.labelValues() } catch {
                throw .tokensNotIntegers(path: path, member: x.member, dtype: x.dtype)
            }
            if let bad = values.firstIndex(where: { $0 < 0 || $0 >= Int64(InputKind.maximumVocabulary) }) {
                throw .badTokenID(
                    path: path, member: x.member, index: bad, value: Int(values[bad]), stride: x.count / x.shape[0])
            }
            return values.map { Int32($0) }
        }

        private func targets(_ y: NPYArray) throws(DataError) -> SequenceSet.Targets {
            switch task {
            case .classification:
                guard y.shape.count == 1 || (y.shape.count == 2 && y.shape[1] == 1) else {
                    throw .shapeMismatch(
                        path: path,
                        reason: "\(y.member) has shape \(y.shape); expected [examples] of class indices "
                            + "(not one-hot; or set task: regression for real targets)")
                }
                let values = try y.labelValues()
                if let bad = values.firstIndex(where: { $0 < 0 }) {
                    throw .negativeLabel(path: path, member: y.member, index: bad, value: Int(values[bad]))
                }
                if let bad = values.firstIndex(where: { $0 >= maximumClasses }) {
                    throw .labelOutOfRange(
                        path: "\(path) (array '\(y.member)')", index: bad, value: Int(values[bad]),
                        limit: maximumClasses)
                }
                return .classes(values.map { Int32($0) })
            case .regression:
                guard (y.shape.count == 1 || y.shape.count == 2), y.shape.dropFirst().allSatisfy({ $0 > 0 }) else {
                    throw .shapeMismatch(
                        path: path,
                        reason: "\(y.member) has shape \(y.shape); regression expects [examples] or "
                            + "[examples, targets] of numbers")
                }
                let values = try y.realValues()
                let width = y.shape.count == 2 ? y.shape[1] : 1
                if let bad = values.firstIndex(where: { !$0.isFinite }) {
                    throw .nonFiniteValue(path: path, member: y.member, index: bad, value: values[bad], stride: width)
                }
                return .values(values, width: width)
            }
        }

        func oovToken(_ member: NPYArray) throws(DataError) -> Int32 {
            guard member.count == 1, let value = try? member.labelValues().first, value >= 0,
                value < Int64(InputKind.maximumVocabulary)
            else {
                throw .shapeMismatch(
                    path: path,
                    reason: "array 'oov_id' must be one integer id ≥ 0 (the id that stands for ids "
                        + "outside the vocabulary), e.g. numpy.savez(..., oov_id=1)")
            }
            return Int32(value)
        }
    }
}
