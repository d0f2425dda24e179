import Foundation

/// "Nice" axis ticks: multiples of 1, 2 or 5 × 10ᵏ, chosen so that about `count` of them cover a domain
/// (the rule of d3-array's `ticks`: the step whose ratio to span/count is nearest on a log scale, with the
/// thresholds √50, √10 and √2).
public enum NiceTicks {
    /// The tick step for about `count` ticks over [lower, upper] (upper > lower).
    public static func step(_ lower: Double, _ upper: Double, count: Int) -> Double {
        precondition(upper > lower && count > 0, "a tick step needs upper > lower and count > 0")
        let raw = (upper - lower) / Double(count)
        let power = pow(10, floor(log10(raw)))
        let ratio = raw / power
        let factor: Double
        switch ratio {
        case 50.squareRoot()...: factor = 10
        case 10.squareRoot()...: factor = 5
        case 2.squareRoot()...: factor = 2
        default: factor = 1
        }
        return factor * power
    }

    /// The multiples of ``step(_:_:count:)`` inside [lower, upper], ascending (0.3, not 0.30000000000000004).
    public static func ticks(_ lower: Double, _ upper: Double, count: Int) -> [Double] {
        let step = step(lower, upper, count: count)
        // A hair of tolerance keeps a bound that is itself a multiple (0.3 = 3 × 0.1) inside.
        let first = ceil(index(lower, step) - 1e-9)
        let last = floor(index(upper, step) + 1e-9)
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { multiple($0, step) }
    }

    /// `value / step`, through the step's integral inverse when the step is below 1 (exact for 0.1, 0.05, …).
    static func index(_ value: Double, _ step: Double) -> Double {
        step < 1 ? value * (1 / step).rounded() : value / step
    }

    /// `index × step`, as a division by the inverse when the step is below 1, so 3 × 0.1 reads 0.3.
    static func multiple(_ index: Double, _ step: Double) -> Double {
        step < 1 ? index / (1 / step).rounded() : index * step
    }

    /// [lower, upper] widened to multiples of the step, so the first and last ticks sit on the ends. A domain of
    /// one value is first widened by ±1 (or ±5 % of its magnitude), since a scale needs a span.
    public static func niceDomain(_ lower: Double, _ upper: Double, count: Int) -> (lower: Double, upper: Double) {
        var (lower, upper) = (lower, upper)
        if upper <= lower {
            let pad = lower == 0 ? 1 : abs(lower) * 0.05
            (lower, upper) = (lower - pad, lower + pad)
        }
        let step = step(lower, upper, count: count)
        return (multiple(floor(index(lower, step) + 1e-9), step), multiple(ceil(index(upper, step) - 1e-9), step))
    }

    /// Decimals that show every tick of `step` exactly: 0 for 1, 2, 5, 10…; 1 for 0.5, 0.2; 2 for 0.05…
    public static func decimals(forStep step: Double) -> Int {
        max(0, -Int(floor(log10(step) + 1e-9)))
    }

    /// The label of a tick: `85`, `0.4`, `0.05`.
    public static func label(_ value: Double, step: Double) -> String {
        let text = String(format: "%.\(decimals(forStep: step))f", value)
        // A tick at zero computed as −1e-17 must not read "-0".
        return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." })
            ? String(text.dropFirst()) : text
    }
}
