/// Checks a loader runs on what it read before anything is trained on it, so bad data fails at load with the array
/// and the index instead of training a wrong model (a label 255 among digits made a 256-class model) or a NaN loss.
enum DataValidation {
    /// The number of classes K of training labels that must be exactly 0..<K, each present at least once.
    static func classes(of labels: [Int32], path: String, member: String) throws(DataError) -> Int {
        guard let largest = labels.max() else { throw .emptySplit(path: path, member: member) }
        let classes = Int(largest) + 1
        var seen = [Bool](repeating: false, count: classes)
        for label in labels { seen[Int(label)] = true }
        if let missing = seen.firstIndex(of: false) {
            // The first label above the missing class is what makes the gap; name it.
            let index = labels.firstIndex(where: { Int($0) > missing })!
            throw .missingClass(path: path, member: member, missing: missing, index: index, value: Int(labels[index]))
        }
        return classes
    }

    /// Test or validation labels must be classes of the training set.
    static func check(_ labels: [Int32], within classes: Int, path: String, member: String) throws(DataError) {
        if let bad = labels.firstIndex(where: { Int($0) >= classes }) {
            throw .labelNotInTraining(path: path, member: member, index: bad, value: Int(labels[bad]), classes: classes)
        }
    }

    /// Float inputs must be finite; bytes always are.
    static func checkFinite(_ storage: SequenceSet.Storage, stride: Int, path: String, member: String)
        throws(DataError)
    {
        guard case .floats(let values) = storage, let bad = values.firstIndex(where: { !$0.isFinite }) else { return }
        throw .nonFiniteValue(path: path, member: member, index: bad, value: values[bad], stride: stride)
    }
}
