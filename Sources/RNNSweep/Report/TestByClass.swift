import RNNTraining

/// A completed classifier's test set by class: its confusion matrix (rows: the true class, columns: the predicted
/// one, as scikit-learn's `confusion_matrix`) and each class's accuracy (its diagonal count over its row: the
/// fraction of that class's examples predicted right). The diagonal sums to the examples `test_accuracy` counts.
public struct TestByClass: Sendable, Equatable {
    public var trialID: String
    public var seed: Int
    /// The classes' names from the data files (``DataVersion/classNames``), else their indices.
    public var classNames: [String]
    public var confusion: [[Int]]
    /// Per class; nil for a class without a test example.
    public var accuracy: [Double?]

    /// Nil when the trial recorded no matrix (regression, not completed, or completed before it was recorded) or
    /// a malformed one.
    public init?(_ row: TrialRow, classNames names: [String]?) {
        guard let matrix = row.testConfusion, !matrix.isEmpty, matrix.allSatisfy({ $0.count == matrix.count })
        else { return nil }
        trialID = row.id
        seed = row.seed
        confusion = matrix
        classNames =
            names.flatMap { $0.count == matrix.count ? $0 : nil } ?? matrix.indices.map { String($0) }
        accuracy = matrix.indices.map { index in
            let total = matrix[index].reduce(0, +)
            return total == 0 ? nil : Double(matrix[index][index]) / Double(total)
        }
    }

    /// The mean of each class's accuracy over `results` (seeds of one row), nil where no result has the class;
    /// empty when they disagree on the classes.
    public static func meanAccuracy(_ results: [TestByClass]) -> [Double?] {
        guard let first = results.first, results.allSatisfy({ $0.classNames == first.classNames }) else { return [] }
        return first.classNames.indices.map { index in
            let values = results.compactMap { $0.accuracy[index] }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
    }
}
