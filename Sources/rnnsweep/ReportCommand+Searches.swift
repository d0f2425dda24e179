import ArgumentParser
import Foundation
import RNNSweep
import RNNTraining

/// `report --searches …`: the search-method comparison, a mode of `report` like `--compare`.
extension ReportCommand {
    /// `--metric` and `--top-k` belong to `--searches`, which shows no single sweep's table.
    func validateSearches() throws {
        guard !searches.isEmpty else {
            if metric != nil || topK != 3 {
                throw ValidationError("--metric and --top-k apply to --searches")
            }
            return
        }
        let others: [(String, Bool)] = [
            ("a sweep argument", sweep != nil), ("--compare", compare != nil), ("--compare-db", compareDb != nil),
            ("--objectives", objectives != nil), ("--curves", curves), ("--rows", rows != nil),
            ("--metrics", metrics != nil), ("--sort", sort != nil), ("--where", !filters.isEmpty),
            ("--all-trials", allTrials),
        ]
        let given = others.filter(\.1).map(\.0)
        if !given.isEmpty {
            throw ValidationError(
                "--searches compares whole sweeps named in it; \(given.joined(separator: ", ")) do not apply")
        }
    }

    func compareSearches(store: MetricsStore) throws {
        let (methods, key) = try CLIError.wrap { () throws -> ([ComparedMethod], MetricKey?) in
            let methods = try searches.map(ComparedMethod.parse)
            guard let metric else { return (methods, nil) }
            guard let key = MetricKey(name: metric), key.split == .validation else {
                throw SearchComparisonError.badMetric(metric)
            }
            return (methods, key)
        }
        let text = try CLIError.runtime {
            try ReportDocument.searchComparison(
                store: store, databaseName: database.url.lastPathComponent, methods: methods, metric: key, topK: topK,
                format: format)
        }
        if let output {
            try CLIError.runtime { try Self.save(text, to: output) }
        } else {
            Output.print(text, terminator: text.unicodeScalars.last == "\n" ? "" : "\n")
        }
    }
}
