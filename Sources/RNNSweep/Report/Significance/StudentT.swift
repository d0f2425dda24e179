/// Student's t distribution with ν > 0 degrees of freedom (ν need not be an integer: Welch's test gives
/// fractional ones).
///
/// P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0 (``IncompleteBeta``); both arguments of I are formed directly,
/// so a tail probability keeps its relative precision even when it is tiny (large |t|).
public enum StudentT {
    /// P(T ≤ t).
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN { return .nan }
        let tail = upperTail(abs(t), degreesOfFreedom: nu)
        return t < 0 ? tail : 1 - tail
    }

    /// P(T > t) = 1 − cdf(t), without the cancellation of subtracting from 1.
    public static func survival(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN { return .nan }
        let tail = upperTail(abs(t), degreesOfFreedom: nu)
        return t < 0 ? 1 - tail : tail
    }

    /// The two-sided p-value of an observed t: P(|T| ≥ |t|).
    public static func twoSidedP(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN { return .nan }
        return min(1, 2 * upperTail(abs(t), degreesOfFreedom: nu))
    }

    /// P(T > t) for t ≥ 0.
    static func upperTail(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0 && nu.isFinite, "degrees of freedom must be positive and finite, got \(nu)")
        let square = t * t
        if square.isInfinite { return 0 }
        let denominator = nu + square
        return 0.5
            * IncompleteBeta.regularized(a: nu / 2, b: 0.5, x: nu / denominator, complement: square / denominator)
    }
}
