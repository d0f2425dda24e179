import Foundation

extension StudentT {
    /// The quantile (inverse CDF) t_p with P(T ≤ t_p) = p, for 0 < p < 1: ±infinity at p = 0 or 1, NaN outside.
    ///
    /// Solves P(T > t) = 1 − p (or, below the median, the mirror image) by Newton's method on the survival function,
    /// kept inside a bracket that bisection shrinks whenever a Newton step leaves it, so it converges for every ν.
    /// The tail is matched directly, not through 1 − cdf, so the quantile keeps its relative precision.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        guard (0...1).contains(p) else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        // By symmetry, t_p = −t_{1−p}: solve for the upper tail α = min(p, 1 − p) and attach the sign.
        let alpha = p > 0.5 ? 1 - p : p
        let t = upperQuantile(alpha, degreesOfFreedom: nu)
        return p > 0.5 ? t : -t
    }

    /// The t ≥ 0 with P(T > t) = α, for 0 < α < ½.
    static func upperQuantile(_ alpha: Double, degreesOfFreedom nu: Double) -> Double {
        var low = 0.0
        var high = 1.0
        while upperTail(high, degreesOfFreedom: nu) > alpha {
            low = high
            high *= 2
            if high.isInfinite { return .infinity }
        }
        var t = (low + high) / 2
        for _ in 0..<200 {
            let excess = upperTail(t, degreesOfFreedom: nu) - alpha
            if excess == 0 { return t }
            // The survival function decreases: too much tail means t is too small.
            if excess > 0 { low = t } else { high = t }
            var next = t + excess / density(t, degreesOfFreedom: nu)
            if !(next > low && next < high) { next = (low + high) / 2 }
            if abs(next - t) <= 2 * Double.ulpOfOne * t || high - low <= 2 * Double.ulpOfOne * high { return next }
            t = next
        }
        return t
    }

    /// The density f(t) = Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) · (1 + t²/ν)^(−(ν+1)/2), in logarithms (the Γ overflow).
    public static func density(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let half: Double = (nu + 1) / 2
        let logNormalizer: Double = lgamma(half) - lgamma(nu / 2) - 0.5 * log(nu * Double.pi)
        let logKernel: Double = -half * log1p(t * t / nu)
        return exp(logNormalizer + logKernel)
    }
}
