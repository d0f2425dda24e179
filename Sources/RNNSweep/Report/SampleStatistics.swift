/// Mean and sample standard deviation of one metric over the seeds of a row.
public struct SampleStatistics: Sendable, Equatable {
    /// The folded values, in trial order.
    public let values: [Double]
    /// Arithmetic mean, summed left to right.
    public let mean: Double
    /// Sample standard deviation (divisor n − 1); nil for a single value.
    public let standardDeviation: Double?

    /// Nil when `values` is empty.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        self.values = values
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        self.mean = mean
        if values.count > 1 {
            let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            standardDeviation = (squares / (count - 1)).squareRoot()
        } else {
            standardDeviation = nil
        }
    }

    public var count: Int { values.count }
}
