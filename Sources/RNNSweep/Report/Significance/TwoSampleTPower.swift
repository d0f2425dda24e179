/// The power of a two-sided two-sample t-test with equal group sizes, and the group size that reaches a target
/// power: "how many seeds per row would detect this difference". Defined as statsmodels' `TTestIndPower` with
/// `ratio = 1`: with n per group, ν = 2n − 2, noncentrality δ = d·√(n/2) (d = |difference| / pooled sd), critical
/// value c = t_{1−α/2, ν}, power = P(T′ > c) + P(T′ < −c) for T′ noncentral t(ν, δ) (``NoncentralT``).
public enum TwoSampleTPower {
    /// The power with `n` per group (n > 1; fractional n as statsmodels allows).
    public static func power(effectSize d: Double, perGroup n: Double, alpha: Double) -> Double {
        precondition(n > 1, "a two-sample t-test needs more than one value per group")
        let nu = 2 * n - 2
        let delta = d * (n / 2).squareRoot()
        let critical = StudentT.quantile(1 - alpha / 2, degreesOfFreedom: nu)
        return NoncentralT.survival(critical, degreesOfFreedom: nu, noncentrality: delta)
            + NoncentralT.cdf(-critical, degreesOfFreedom: nu, noncentrality: delta)
    }

    /// The smallest whole n ≥ 2 per group whose power reaches `target`: statsmodels'
    /// `solve_power(effect_size: d, alpha:, power:, ratio: 1)` rounded up (power grows with n, so the first whole n
    /// past its root is the first that reaches the target). Nil when d is 0 or not finite, or when more than `limit`
    /// seeds would be needed.
    public static func perGroup(effectSize d: Double, alpha: Double, power target: Double, limit: Int = 1_000_000)
        -> Int?
    {
        guard d.isFinite, d > 0 else { return nil }
        func reaches(_ n: Int) -> Bool { power(effectSize: d, perGroup: Double(n), alpha: alpha) >= target }
        if reaches(2) { return 2 }
        // Double until the target is reached, then bisect: reaches(low) is false, reaches(high) true.
        var low = 2
        var high = 4
        while !reaches(high) {
            if high >= limit { return nil }
            low = high
            high = min(2 * high, limit)
        }
        while high - low > 1 {
            let middle = (low + high) / 2
            if reaches(middle) { high = middle } else { low = middle }
        }
        return high
    }
}
