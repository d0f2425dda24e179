import Foundation

/// The noncentral t distribution with ν degrees of freedom and noncentrality δ: the distribution of the two-sample
/// t statistic when the means differ, whose tail beyond the critical value is a test's power.
///
/// CDF by Lenth's algorithm AS 243 (Applied Statistics 38, 1989, 185–189): P(T ≤ t) = Φ(−δ) + the series of
/// incomplete beta functions weighted by Poisson probabilities of δ²/2, summed until its error bound is below
/// 1e-12. Accurate to about 1e-12 absolute for the moderate δ of power calculations (|δ| ≲ 37, where e^{−δ²/2} does
/// not underflow).
public enum NoncentralT {
    /// The series' error bound and iteration cap (AS 243's `errmax`, `itrmax`).
    static let maximumError = 1e-12
    static let maximumIterations = 1000

    /// P(T ≤ t).
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double, noncentrality delta: Double) -> Double {
        precondition(nu > 0 && nu.isFinite, "degrees of freedom must be positive and finite, got \(nu)")
        if t.isNaN || delta.isNaN { return .nan }
        if t == .infinity { return 1 }
        if t == -.infinity { return 0 }
        // P(T ≤ t; δ) = 1 − P(T ≤ −t; −δ): the series is written for t ≥ 0.
        let negative = t < 0
        let tt = negative ? -t : t
        let del = negative ? -delta : delta
        var total = 0.0
        let square = tt * tt
        if square > 0 {
            let x = square / (nu + square)
            let lambda = del * del
            var p = 0.5 * exp(-0.5 * lambda)
            var q = (2 / Double.pi).squareRoot() * p * del
            var s = 0.5 - p
            var a = 0.5
            let b = 0.5 * nu
            let rxb = pow(nu / (nu + square), b)
            let logBeta = 0.5 * log(Double.pi) + lgamma(b) - lgamma(0.5 + b)
            var xodd = IncompleteBeta.regularized(a: a, b: b, x: x, complement: nu / (nu + square))
            var godd = 2 * rxb * exp(a * log(x) - logBeta)
            var xeven = 1 - rxb
            var geven = b * x * rxb
            total = p * xodd + q * xeven
            var en = 1.0
            while true {
                a += 1
                xodd -= godd
                xeven -= geven
                godd *= x * (a + b - 1) / a
                geven *= x * (a + b - 0.5) / (a + 0.5)
                p *= lambda / (2 * en)
                q *= lambda / (2 * en + 1)
                s -= p
                en += 1
                total += p * xodd + q * xeven
                let bound = 2 * s * (xodd - godd)
                if !(bound > maximumError) || en > Double(maximumIterations) { break }
            }
        }
        // Φ(−δ) = P(Z > δ).
        total += 0.5 * erfc(del / 2.0.squareRoot())
        total = min(max(total, 0), 1)
        return negative ? 1 - total : total
    }

    /// P(T > t) = 1 − cdf.
    public static func survival(_ t: Double, degreesOfFreedom nu: Double, noncentrality delta: Double) -> Double {
        1 - cdf(t, degreesOfFreedom: nu, noncentrality: delta)
    }
}
