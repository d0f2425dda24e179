import Foundation

/// The truncated normal distribution as Optuna's TPE computes it (`optuna/samplers/_tpe/_truncnorm.py`): the log of
/// a standard normal's mass on [a, b] with its left-tail, right-tail and central cases, the log density, and a
/// quantile for drawing.
enum TruncatedNormal {
    /// Φ(a), through erfc in the tails (Optuna's `_ndtr_single`).
    static func cdf(_ a: Double) -> Double {
        let x = a / 2.0.squareRoot()
        if x < -1 / 2.0.squareRoot() { return 0.5 * erfc(-x) }
        if x < 1 / 2.0.squareRoot() { return 0.5 + 0.5 * erf(x) }
        return 1 - 0.5 * erfc(x)
    }

    /// log Φ(a), with the asymptotic series below −20 (Optuna's `_log_ndtr_single`).
    static func logCDF(_ a: Double) -> Double {
        if a > 6 { return -cdf(-a) }
        if a > -20 { return log(cdf(a)) }
        let logLHS = -0.5 * a * a - log(-a) - 0.5 * log(2 * Double.pi)
        var lastTotal = 0.0
        var rightHandSide = 1.0
        var numerator = 1.0
        var denominatorFactor = 1.0
        let denominatorConstant = 1 / (a * a)
        var sign = 1.0
        var i = 0.0
        while abs(lastTotal - rightHandSide) > Double.ulpOfOne {
            i += 1
            lastTotal = rightHandSide
            sign = -sign
            denominatorFactor *= denominatorConstant
            numerator *= 2 * i - 1
            rightHandSide += sign * numerator * denominatorFactor
        }
        return logLHS + log(rightHandSide)
    }

    /// log of the standard normal's mass on [a, b] (Optuna's `_log_gauss_mass`).
    static func logMass(_ a: Double, _ b: Double) -> Double {
        func left(_ a: Double, _ b: Double) -> Double {
            let (p, q) = (logCDF(b), logCDF(a))
            return p + log1p(-exp(q - p))
        }
        if b <= 0 { return left(a, b) }
        if a > 0 { return left(-b, -a) }
        return log1p(-(0.5 + 0.5 * erf(a / 2.0.squareRoot())) - (0.5 + 0.5 * erf(-b / 2.0.squareRoot())))
    }

    /// log density at `x` of N(mu, sigma²) truncated to [low, high] (Optuna's `logpdf`).
    static func logPDF(_ x: Double, mu: Double, sigma: Double, low: Double, high: Double) -> Double {
        let (z, a, b) = ((x - mu) / sigma, (low - mu) / sigma, (high - mu) / sigma)
        if a == b { return .nan }
        if z < a || z > b { return -.infinity }
        return -z * z / 2 - log((2 * Double.pi).squareRoot()) - logMass(a, b) - log(sigma)
    }

    /// The `q`-quantile of N(mu, sigma²) truncated to [low, high], computed in the tail that keeps precision.
    static func quantile(_ q: Double, mu: Double, sigma: Double, low: Double, high: Double) -> Double {
        let (a, b) = ((low - mu) / sigma, (high - mu) / sigma)
        let z: Double
        if a > 0 {
            // Mirror to the left tail: P(Z > z) = Φ(−z).
            let (pa, pb) = (cdf(-b), cdf(-a))
            z = -inverseCDF(pb - q * (pb - pa))
        } else {
            let (pa, pb) = (cdf(a), cdf(b))
            z = inverseCDF(pa + q * (pb - pa))
        }
        return min(max(mu + sigma * z, low), high)
    }

    /// Φ⁻¹(p): Acklam's rational approximation refined by one Halley step.
    static func inverseCDF(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x =
                (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            x =
                (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x =
                -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
