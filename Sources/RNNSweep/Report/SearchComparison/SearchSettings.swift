import RNNTraining

/// What must be equal for searches to compare: the settings each sweep holds constant (the parameters with one value
/// in all its trials, as ``SweepComparison`` lists differing settings: `epochs`, `dataset`, `validation_split`, …)
/// and the data its trials read (their data fingerprints). A parameter one sweep searches over and another holds
/// constant is part of the search space, not a difference.
enum SearchSettings {
    /// `key: value (sweep) vs value (sweep)` for each setting where a sweep differs from the first one, and
    /// `data: …` when the fingerprints differ; empty when all compare.
    static func differences(_ sources: [ReportSource]) -> [String] {
        guard let first = sources.first else { return [] }
        var lines: [String] = []
        for other in sources.dropFirst() {
            let shared = keys(first).intersection(keys(other)).subtracting(["seed"])
            for key in shared.sorted() {
                let a = Set(first.trials.compactMap { $0.params[key] })
                let b = Set(other.trials.compactMap { $0.params[key] })
                guard a.count == 1, b.count == 1, a != b else { continue }
                lines.append("\(key): \(a.first!) (\(first.sweep.name)) vs \(b.first!) (\(other.sweep.name))")
            }
            let dataA = fingerprints(first)
            let dataB = fingerprints(other)
            if !dataA.isEmpty, !dataB.isEmpty, dataA != dataB {
                lines.append(
                    "data: \(describe(dataA)) (\(first.sweep.name)) vs \(describe(dataB)) (\(other.sweep.name))")
            }
        }
        return lines
    }

    private static func keys(_ source: ReportSource) -> Set<String> { Set(source.trials.flatMap(\.params.keys)) }

    private static func fingerprints(_ source: ReportSource) -> Set<String> {
        Set(source.trials.compactMap(\.row.dataFingerprint))
    }

    /// `fingerprint 3f2a9c1d0b7e` (the first 12 digits), several joined by `+`.
    private static func describe(_ fingerprints: Set<String>) -> String {
        "fingerprint " + fingerprints.sorted().map { String($0.prefix(12)) }.joined(separator: "+")
    }
}
