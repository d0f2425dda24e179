/// What a loader produces before `DatasetLoader` applies `limit` and `validation_split`.
struct LoadedData: Sendable {
    var train: SequenceSet
    var validation: SequenceSet?
    var test: SequenceSet
    /// Classes of a classification set; 0 for regression.
    var classes: Int
    /// The id that ids outside the vocabulary map to, when the file says (an npz's `oov_id`); nil: refuse them.
    var oovToken: Int32? = nil
    /// The files read, for ``DecodedDataCache`` to tell whether its copy is still theirs (empty: generated data).
    var sources: [String] = []
}
