/// Welch's two-sided t-test of equal means for two samples with possibly unequal variances, with the
/// Welch–Satterthwaite degrees of freedom ν = (v₁ + v₂)² / (v₁²/(n₁ − 1) + v₂²/(n₂ − 1)), vᵢ = sᵢ²/nᵢ.
public struct WelchTest: Sendable, Equatable {
    /// (mean₁ − mean₂) / √(v₁ + v₂); ±infinity when both samples have zero variance and different means.
    public let t: Double
    /// Welch–Satterthwaite ν; nil when both variances are zero (the t distribution does not apply).
    public let degreesOfFreedom: Double?
    /// Two-sided p-value.
    public let pValue: Double
    /// mean₁ − mean₂.
    public let difference: Double
    /// √(v₁ + v₂), the standard error of ``difference``; 0 when both samples have zero variance.
    public let standardError: Double

    /// Compares two samples of at least 2 finite values each; nil otherwise.
    ///
    /// Zero variance: when one sample has zero variance ν reduces to the other's n − 1, as the formula says.
    /// When both have zero variance there is no noise to weigh the difference against: equal means give p = 1
    /// (nothing tells them apart), different means p = 0 (every repeat gave the same, different value).
    public init?(_ first: [Double], _ second: [Double]) {
        guard first.count >= 2, second.count >= 2, (first + second).allSatisfy(\.isFinite),
            let a = SampleStatistics(first), let b = SampleStatistics(second),
            let sa = a.standardDeviation, let sb = b.standardDeviation
        else { return nil }
        let va = sa * sa / Double(a.count)
        let vb = sb * sb / Double(b.count)
        let difference = a.mean - b.mean
        self.difference = difference
        standardError = (va + vb).squareRoot()
        guard va + vb > 0 else {
            t = difference == 0 ? 0 : difference > 0 ? .infinity : -.infinity
            degreesOfFreedom = nil
            pValue = difference == 0 ? 1 : 0
            return
        }
        t = difference / (va + vb).squareRoot()
        let nu = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        degreesOfFreedom = nu
        pValue = StudentT.twoSidedP(t, degreesOfFreedom: nu)
    }
}
