import Foundation

/// A logarithmic map from a positive data domain to pixels, for parameters drawn log-uniformly (a learning rate
/// from 3e-4 to 1e-2 spreads its samples evenly on it), with ticks at the decades.
public struct LogScale: Sendable, Equatable {
    public var domain: (lower: Double, upper: Double)
    public var range: (start: Double, end: Double)

    public init(domain: (lower: Double, upper: Double), range: (start: Double, end: Double)) {
        precondition(domain.lower > 0 && domain.upper > domain.lower, "a log scale needs 0 < lower < upper")
        self.domain = domain
        self.range = range
    }

    public func callAsFunction(_ value: Double) -> Double {
        let span = log10(domain.upper) - log10(domain.lower)
        return range.start + (log10(value) - log10(domain.lower)) / span * (range.end - range.start)
    }

    /// Ticks inside the domain: the powers of ten, and when fewer than three of those fit, also their 2× and 5×
    /// multiples (a domain within one or two decades still gets a few ticks).
    public var ticks: [Double] {
        let first = Int(floor(log10(domain.lower))) - 1
        let last = Int(ceil(log10(domain.upper))) + 1
        let inside = { (value: Double) in value >= domain.lower * (1 - 1e-9) && value <= domain.upper * (1 + 1e-9) }
        let decades = (first...last).map { Self.power($0) }.filter(inside)
        if decades.count >= 3 { return decades }
        return (first...last).flatMap { exponent in [1.0, 2, 5].map { $0 * Self.power(exponent) } }.filter(inside)
    }

    /// 10^exponent, exact for negative exponents too (1e-3, not 0.0010000000000000002).
    static func power(_ exponent: Int) -> Double {
        exponent >= 0 ? pow(10, Double(exponent)) : 1 / pow(10, Double(-exponent))
    }

    /// A tick's label: `0.001`, `0.005`, `10`, `1e-05` (`%g`, at most 6 significant digits).
    public static func label(_ value: Double) -> String { String(format: "%g", value) }

    public static func == (a: LogScale, b: LogScale) -> Bool { a.domain == b.domain && a.range == b.range }
}
