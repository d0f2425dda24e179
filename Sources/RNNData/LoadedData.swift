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
    /// The name of each class, in class-index order, when the files name them (folder names, `.ts` labels, a CSV's
    /// label strings); nil when the classes are bare indices.
    var classNames: [String]? = nil
    /// Text: the token of each id (0 padding, 1 out of vocabulary, then the vocabulary), to store beside checkpoints.
    var vocabulary: [String]? = nil
}
