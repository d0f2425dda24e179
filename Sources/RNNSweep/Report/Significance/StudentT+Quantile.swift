import Foundation

extension StudentT {
    /// The quantile t with P(T ≤ t) = `p`, 0 < p < 1 (the t of a confidence interval: `quantile(0.975, ν)`).
    ///
    /// Solved on the upper tail (``upperTail(_:degreesOfFreedom:)``) by bracketing, then bisection until two adjacent
    /// doubles straddle the root: slower than Newton's method but it cannot diverge, and a report needs a handful.
    /// The tail is used rather than the cdf so that a quantile near 1 keeps its relative precision.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1, got \(p)")
        if p == 0.5 { return 0 }
        let tail = p > 0.5 ? 1 - p : p
        var low = 0.0
        var high = 1.0
        while upperTail(high, degreesOfFreedom: nu) > tail { (low, high) = (high, high * 2) }
        while true {
            let middle = low + (high - low) / 2
            if middle <= low || middle >= high { break }
            if upperTail(middle, degreesOfFreedom: nu) > tail { low = middle } else { high = middle }
        }
        // The double nearer the root: where the tail is closer to the target.
        let chosen =
            abs(upperTail(low, degreesOfFreedom: nu) - tail) <= abs(upperTail(high, degreesOfFreedom: nu) - tail)
            ? low : high
        return p > 0.5 ? chosen : -chosen
    }
}
