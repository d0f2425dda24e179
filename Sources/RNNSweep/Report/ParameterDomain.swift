import Foundation
import RNNTraining

/// The values a searched or varied parameter ranges over, as the search charts draw its axis and the importance
/// encodes it: a numeric interval (the `search:` distribution's bounds; a grid axis of numbers from its smallest to
/// its largest value), on a log axis for `log_uniform` and `int_log_uniform`; or categories (a `choice`'s values in
/// the file's order, any other grid axis's values in grid order).
public enum ParameterDomain: Sendable, Equatable {
    case numeric(lower: Double, upper: Double, logarithmic: Bool)
    case categorical([ParameterValue])

    /// The domain of `parameter`, whose values in the reported configurations are `observed`.
    public static func of(
        _ parameter: SearchObjective.Parameter, experimentJSON: String, observed: [ParameterValue?]
    ) -> ParameterDomain {
        let values = observed.compactMap { $0 }
        let numbers = values.compactMap(\.numericValue)
        if let distribution = parameter.distribution,
            let arguments = searchedArguments(inExperimentJSON: experimentJSON)[parameter.key]
        {
            if distribution == "choice" {
                return .categorical(arguments + distinct(values).filter { !arguments.contains($0) })
            }
            let bounds = arguments.compactMap(\.numericValue) + numbers
            if let lower = bounds.min(), let upper = bounds.max() {
                return .numeric(lower: lower, upper: upper, logarithmic: parameter.isLogarithmic && lower > 0)
            }
        }
        if numbers.count == values.count, let lower = numbers.min(), let upper = numbers.max(), upper > lower {
            return .numeric(lower: lower, upper: upper, logarithmic: false)
        }
        return .categorical(distinct(values))
    }

    /// Whether the parameter takes a single value (it explains nothing, and Optuna leaves it out).
    public var isSingle: Bool {
        switch self {
        case .numeric(let lower, let upper, _): return !(upper > lower)
        case .categorical(let values): return values.count <= 1
        }
    }

    /// Whether a chart draws the parameter on a log axis.
    public var isLogarithmic: Bool {
        if case .numeric(_, _, true) = self { return true }
        return false
    }

    /// The position of `value` among the categories, nil for a numeric domain or a value not among them.
    public func category(of value: ParameterValue) -> Int? {
        guard case .categorical(let values) = self else { return nil }
        return values.firstIndex(of: value)
    }

    private static func distinct(_ values: [ParameterValue]) -> [ParameterValue] {
        var seen: [ParameterValue] = []
        for value in values where !seen.contains(value) { seen.append(value) }
        return seen
    }

    /// The arguments of each `search:` distribution (`[0.0003, 0.01]`, a choice's values) in the sweep's resolved
    /// experiment JSON (``SearchObjective/searchSpace(inExperimentJSON:)``).
    static func searchedArguments(inExperimentJSON json: String) -> [String: [ParameterValue]] {
        Dictionary(
            SearchObjective.searchSpace(inExperimentJSON: json).map { ($0.key, $0.arguments) },
            uniquingKeysWith: { first, _ in first })
    }
}
