/// What a loader produces before `DatasetLoader` applies `limit` and `validation_split`.
struct LoadedData: Sendable {
    var train: SequenceSet
    var validation: SequenceSet?
    var test: SequenceSet
    var classes: Int
}
