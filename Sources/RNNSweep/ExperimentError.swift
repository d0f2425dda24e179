import RNNTraining

/// Why an experiment file was rejected. `description` is `file:line:column: message`.
public struct ExperimentError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong, for callers and tests that branch on it.
    public enum Kind: Sendable, Hashable {
        case unreadable
        case malformedYAML
        case missingName
        /// A key that is neither a known top-level key nor a parameter.
        case unknownKey(String)
        /// A known key in a place where it is not allowed (e.g. `seed` in the grid).
        case misplacedKey(String)
        /// The wrong YAML shape, e.g. a list where one value belongs.
        case invalidStructure
        case invalidParameter(ParameterError)
        case emptyGrid
        case duplicateTrials
        case tooManyTrials(limit: Int)
    }

    /// The experiment file.
    public var path: String
    /// Where in the file; 1:1 for errors about the file as a whole.
    public var position: SourcePosition
    public var kind: Kind
    /// The message without the `file:line:column:` prefix.
    public var message: String

    public init(path: String, position: SourcePosition, kind: Kind, message: String) {
        self.path = path
        self.position = position
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(path):\(position): \(message)" }
}
