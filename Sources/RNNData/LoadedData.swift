/// What a loader produces before `DatasetLoader` applies `limit` and `validation_split`.
struct LoadedData: Sendable {
    var train: SequenceSet
    var validation: SequenceSet?
    var test: SequenceSet
    var classes: Int
    /// The files read, for ``DecodedDataCache`` to tell whether its copy is still theirs (empty: generated data).
    var sources: [String] = []
}
