import RNNTraining

/// Why a search comparison (`report --searches …`) cannot be made; nothing is rendered then.
public enum SearchComparisonError: Error, CustomStringConvertible, Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.description == b.description }

    /// A `--searches` argument that is not `LABEL=SWEEP[,SWEEP…]`.
    case badMethod(String)
    /// No `--searches` at all.
    case noMethods
    /// The same method label twice.
    case duplicateLabel(String)
    /// The same sweep under two labels (or twice under one).
    case duplicateSweep(String, labels: [String])
    /// Sweeps that do not solve the same problem: `key: value (sweep) vs value (sweep)` lines.
    case differingSettings([String])
    /// A sweep that took completed trials from another sweep of the database instead of running them: its epochs
    /// and their order are not its own search's. `sweep: (count, from sweeps)`.
    case reusedTrials([(sweep: String, count: Int)])
    /// `--metric` that is not a validation metric.
    case badMetric(String)
    /// No trial of any sweep recorded the compared metric.
    case metricNotRecorded(MetricKey)
    /// `--top-k` below 1.
    case badTopK(Int)

    public var description: String {
        switch self {
        case .badMethod(let text):
            return "--searches \(text): expected LABEL=SWEEP[,SWEEP…], e.g. --searches 'random=search-s1,search-s2'"
        case .noMethods:
            return "--searches: name at least one method, e.g. --searches 'grid=my-grid'"
        case .duplicateLabel(let label):
            return "--searches: the label \(label) is given twice; give each method once with all its sweeps"
        case .duplicateSweep(let sweep, let labels):
            return "--searches: sweep \(sweep) is given twice (under \(labels.joined(separator: " and "))); "
                + "each sweep is one sampler seed of one method"
        case .differingSettings(let lines):
            return "--searches: the sweeps do not search the same problem, so their epochs and metrics do not "
                + "compare: " + lines.joined(separator: "; ")
        case .reusedTrials(let sweeps):
            let list = sweeps.map { "\($0.sweep) (\($0.count) trial\($0.count == 1 ? "" : "s"))" }
            return "--searches: " + list.joined(separator: ", ")
                + " took completed trials from other sweeps of this database (the same trial ids) instead of running "
                + "them, so their epochs are not their own search's; run each compared sweep in a database of its "
                + "own and combine them with `rnnsweep merge`"
        case .badMetric(let name):
            return "--metric \(name): choose a validation metric, e.g. "
                + Task.allCases.map { MetricKey(.validation, $0.primaryMetric).recordName }.joined(separator: " or ")
        case .metricNotRecorded(let key):
            return "--searches: no trial of these sweeps recorded \(key.recordName); choose another --metric"
        case .badTopK(let k):
            return "--top-k \(k): keep at least one configuration"
        }
    }
}
