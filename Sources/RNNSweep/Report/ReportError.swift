import Foundation

/// Errors from building a report; descriptions name the option and list the valid choices.
public enum ReportError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// No sweep with this name in the database.
    case unknownSweep(String, available: [String])
    /// A `--where`/`--rows`/`--sort` key that no trial has.
    case unknownKey(String, option: String, valid: [String])
    /// A metric name outside ``ReportMetric``.
    case unknownMetric(String, valid: [String])
    /// A `--where` argument that is not `key=value`.
    case badFilter(String)
    /// Filters left no trial (or the sweep has none).
    case noTrials(sweep: String, filters: String?)
    /// An `--objectives` metric with no better direction (`epochs`).
    case objectiveWithoutDirection(String)
    /// `--compare` problems: no sweep to compare with, or nothing both sweeps can be matched on.
    case badComparison(String)

    public var description: String {
        switch self {
        case .unknownSweep(let name, let available):
            let list = available.isEmpty ? "the database has no sweeps" : "sweeps: \(available.joined(separator: ", "))"
            return "no sweep named \(name) (\(list))"
        case .unknownKey(let key, let option, let valid):
            return "\(option): unknown parameter \(key); valid keys: \(valid.joined(separator: ", "))"
        case .unknownMetric(let name, let valid):
            return "unknown metric \(name); choose among \(valid.joined(separator: ", "))"
        case .badFilter(let text):
            return "--where \(text): expected key=value, e.g. --where optimizer=adam"
        case .noTrials(let sweep, let filters):
            if let filters { return "no trial of sweep \(sweep) matches \(filters)" }
            return "sweep \(sweep) has no trials yet; run `rnnsweep run FILE` first"
        case .objectiveWithoutDirection(let name):
            return "--objectives: \(name) has no better direction; choose metrics where higher or lower is better"
        case .badComparison(let reason):
            return "--compare: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
