extension WelchTest {
    /// The two-sided confidence interval of mean₁ − mean₂ at `level` (0.95: 95 %): difference ± t_{(1+level)/2, ν}·se,
    /// ν by Welch–Satterthwaite, as SciPy's `ttest_ind(equal_var=False).confidence_interval`. When both samples have
    /// zero variance the interval is the difference itself (every repeat gave the same values).
    public func confidenceInterval(level: Double = 0.95) -> (low: Double, high: Double) {
        guard let nu = degreesOfFreedom else { return (difference, difference) }
        let half = StudentT.quantile((1 + level) / 2, degreesOfFreedom: nu) * standardError
        return (difference - half, difference + half)
    }
}
