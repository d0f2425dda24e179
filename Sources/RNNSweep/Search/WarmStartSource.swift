/// One earlier sweep named in `search: warm_start:`, whose completed trials seed a TPE search (``WarmStart``).
public struct WarmStartSource: Sendable, Hashable {
    /// The earlier sweep's name in the same database.
    public var name: String
    /// Where the name is written, for errors about it (an unknown sweep).
    public var position: SourcePosition

    public init(name: String, position: SourcePosition) {
        self.name = name
        self.position = position
    }
}
