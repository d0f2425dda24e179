/// A linear map from a data domain to pixels. The range may run backwards (SVG's y grows downwards, so a
/// vertical axis maps [lower, upper] to [bottom, top]).
public struct LinearScale: Sendable, Equatable {
    public var domain: (lower: Double, upper: Double)
    public var range: (start: Double, end: Double)

    public init(domain: (lower: Double, upper: Double), range: (start: Double, end: Double)) {
        precondition(domain.upper > domain.lower, "a scale needs a domain with upper > lower")
        self.domain = domain
        self.range = range
    }

    /// The pixel position of `value` (values outside the domain map outside the range).
    public func callAsFunction(_ value: Double) -> Double {
        range.start + (value - domain.lower) / (domain.upper - domain.lower) * (range.end - range.start)
    }

    public static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range == b.range
    }
}
