/// A coding key that is just its name: for JSON objects whose keys are data (a metric's record name, a report
/// column), not a fixed list.
public struct NameKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }

    public init(_ name: String) { stringValue = name }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
