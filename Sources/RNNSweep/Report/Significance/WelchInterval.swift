/// The difference of two means with its Welch confidence interval and Welch's two-sided p, as one value for a
/// comparison row: ``WelchTest`` and its ``WelchTest/confidenceInterval(level:)``.
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
        guard let test = WelchTest(first, second) else { return nil }
        difference = test.difference
        degreesOfFreedom = test.degreesOfFreedom
        pValue = test.pValue
        self.level = level
        (low, high) = test.confidenceInterval(level: level)
    }
}
