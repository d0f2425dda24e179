import Foundation

/// The regularized incomplete beta function I_x(a, b), by the continued fraction of Numerical Recipes
/// (3rd ed., §6.4, `betai`/`betacf`, modified Lentz's method) — the building block of the Student-t CDF.
enum IncompleteBeta {
    /// Relative change of one continued-fraction step below which it has converged (a few ulps).
    static let tolerance = 4 * Double.ulpOfOne
    /// Enough for a, b up to about 10⁶ (the fraction converges in O(√max(a, b)) steps).
    static let maximumIterations = 20_000

    /// I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1. `complement` must be 1 − x; callers pass it computed without
    /// cancellation (for the t distribution, t²/(ν + t²)), so that both tails keep their relative precision.
    static func regularized(a: Double, b: Double, x: Double, complement y: Double) -> Double {
        precondition(a > 0 && b > 0, "I_x(a, b) needs a, b > 0")
        precondition((0...1).contains(x) && (0...1).contains(y), "I_x(a, b) needs 0 ≤ x ≤ 1")
        if x == 0 { return 0 }
        if y == 0 { return 1 }
        // x^a (1 − x)^b / B(a, b), in logarithms: the powers alone under- or overflow for large a, b.
        let front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(y))
        // The fraction converges fast only for x < (a + 1)/(a + b + 2); otherwise use I_x(a, b) = 1 − I_{1−x}(b, a).
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(a: a, b: b, x: x) / a
        }
        return 1 - front * continuedFraction(a: b, b: a, x: y) / b
    }

    /// The continued fraction of I_x(a, b) (NR's `betacf`), evaluated by modified Lentz's method.
    static func continuedFraction(a: Double, b: Double, x: Double) -> Double {
        // Lentz's method replaces a zero denominator by a tiny number instead of dividing by zero.
        let tiny = Double.leastNormalMagnitude / Double.ulpOfOne
        func guarded(_ value: Double) -> Double { abs(value) < tiny ? tiny : value }
        let sum = a + b
        var c = 1.0
        var d = 1 / guarded(1 - sum * x / (a + 1))
        var h = d
        for m in 1...maximumIterations {
            let m = Double(m)
            let m2 = 2 * m
            // Even step: d_{2m} = m(b − m)x / ((a + 2m − 1)(a + 2m)).
            var coefficient = m * (b - m) * x / ((a - 1 + m2) * (a + m2))
            d = 1 / guarded(1 + coefficient * d)
            c = guarded(1 + coefficient / c)
            h *= d * c
            // Odd step: d_{2m+1} = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
            coefficient = -(a + m) * (sum + m) * x / ((a + m2) * (a + 1 + m2))
            d = 1 / guarded(1 + coefficient * d)
            c = guarded(1 + coefficient / c)
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= tolerance { break }
        }
        return h
    }
}
