import RNNTraining

/// One parameter's axis in a search chart: where a value sits along a pixel range, and the ticks to draw. A numeric
/// domain is linear (nice ticks) or logarithmic (``LogScale``, decade ticks); categories are evenly spaced bands,
/// each labelled with its value as the table shows it (``ParameterDisplay``), a value at its band's centre.
struct ParameterAxis {
    let key: String
    let domain: ParameterDomain
    let range: (start: Double, end: Double)

    /// The most characters of a category label shown on an axis.
    static let longestLabel = 14

    /// The width of one category's band (0 for a numeric axis).
    var bandWidth: Double {
        guard case .categorical(let values) = domain, !values.isEmpty else { return 0 }
        return abs(range.end - range.start) / Double(values.count)
    }

    /// The pixel position of `value`, nil when it is not on the axis (missing, or not a number on a numeric axis).
    func position(_ value: ParameterValue?) -> Double? {
        guard let value else { return nil }
        switch domain {
        case .numeric(let lower, let upper, let logarithmic):
            guard let number = value.numericValue else { return nil }
            if logarithmic { return LogScale(domain: (lower, upper), range: range)(number) }
            return linear(lower, upper)(number)
        case .categorical(let values):
            guard let index = values.firstIndex(of: value) else { return nil }
            let direction = range.end >= range.start ? 1.0 : -1.0
            return range.start + direction * bandWidth * (Double(index) + 0.5)
        }
    }

    /// The linear scale of a numeric axis: over the nice domain around the bounds (a single value widened).
    private func linear(_ lower: Double, _ upper: Double) -> LinearScale {
        LinearScale(domain: NiceTicks.niceDomain(lower, upper, count: 4), range: range)
    }

    /// Tick positions and labels.
    var ticks: [(position: Double, label: String)] {
        switch domain {
        case .numeric(let lower, let upper, let logarithmic):
            if logarithmic {
                let scale = LogScale(domain: (lower, upper), range: range)
                return scale.ticks.map { (scale($0), LogScale.label($0)) }
            }
            let nice = NiceTicks.niceDomain(lower, upper, count: 4)
            let step = NiceTicks.step(nice.lower, nice.upper, count: 4)
            let scale = linear(lower, upper)
            return NiceTicks.ticks(nice.lower, nice.upper, count: 4).map {
                (scale($0), NiceTicks.label($0, step: step))
            }
        case .categorical(let values):
            return values.map { value in
                // A long category would run into the next band or off the chart: cut, as the dot chart cuts labels.
                let text = ParameterDisplay.value(value, key: key)
                return (
                    position(value)!, text.count > Self.longestLabel ? text.prefix(Self.longestLabel - 1) + "…" : text
                )
            }
        }
    }

    /// What the axis's title adds after the key: `(log scale)` for a log axis.
    var note: String {
        if case .numeric(_, _, true) = domain { return " (log scale)" }
        return ""
    }
}
