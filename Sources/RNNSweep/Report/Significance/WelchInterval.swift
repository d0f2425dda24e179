/// The difference of two means with its Welch confidence interval and Welch's two-sided p (``WelchTest``):
/// (m₁ − m₂) ± t_{1−α/2, ν} · √(s₁²/n₁ + s₂²/n₂), ν the Welch–Satterthwaite degrees of freedom.
public struct WelchInterval: Sendable, Equatable {
    /// mean₁ − mean₂.
    public let difference: Double
    /// The interval's ends; equal to the difference when both samples have zero variance (no noise to weigh).
    public let low: Double
    public let high: Double
    /// Welch–Satterthwaite ν; nil when both variances are zero.
    public let degreesOfFreedom: Double?
    public let pValue: Double
    /// The interval's coverage, e.g. 0.95.
    public let level: Double

    /// Nil unless both samples have at least 2 finite values (``WelchTest``).
    public init?(_ first: [Double], _ second: [Double], level: Double = 0.95) {
        guard let test = WelchTest(first, second), let a = SampleStatistics(first), let b = SampleStatistics(second),
            let sa = a.standardDeviation, let sb = b.standardDeviation
        else { return nil }
        difference = a.mean - b.mean
        degreesOfFreedom = test.degreesOfFreedom
        pValue = test.pValue
        self.level = level
        guard let nu = test.degreesOfFreedom else {
            (low, high) = (difference, difference)
            return
        }
        let standardError = (sa * sa / Double(a.count) + sb * sb / Double(b.count)).squareRoot()
        let half = StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: nu) * standardError
        (low, high) = (difference - half, difference + half)
    }
}
