/// How much memory a data set holds once loaded: what ``MemoryEstimate`` counts for a trial's data, and for generated
/// data the same figure before anything is generated (a `samples: 10000000, sequence_length: 100000` set is 4 TB).
extension SequenceSet {
    /// Bytes of the stored values (1 per byte, 4 per float or token id) and the targets (4 per label or value).
    public var bytes: Double {
        let element: Double
        switch storage {
        case .bytes: element = 1
        case .floats, .tokens: element = 4
        }
        let targetWidth: Double
        switch targets {
        case .classes: targetWidth = 1
        case .values(_, let width): targetWidth = Double(width)
        }
        return Double(count) * (Double(timesteps) * Double(features) * element + 4 * targetWidth)
    }
}

extension DatasetSplits {
    /// Bytes of the training, validation and test splits as loaded.
    public var bytes: Double { train.bytes + (validation?.bytes ?? 0) + test.bytes }
}

extension DatasetSpec {
    /// What a generated data set (``isSynthetic``) will hold, computed from the spec alone: its steps, features,
    /// classes and bytes (`samples` training and `samples / 4` test examples of floats, a label each). Nil for data
    /// read from files.
    public var generatedSize: (timesteps: Int, features: Int, classes: Int, bytes: Double)? {
        guard let task = SyntheticTask(rawValue: name) else { return nil }
        let examples = Double(samples) + Double(samples / 4)
        let bytes = examples * (Double(sequenceLength) * Double(task.features) * 4 + 4)
        return (sequenceLength, task.features, 2, bytes)
    }
}
