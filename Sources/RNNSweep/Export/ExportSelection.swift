import Foundation
import RNNTraining

/// Which trial of a sweep `export` takes: one named by id (or a unique prefix of it), or the best completed one.
public enum ExportSelection: Sendable, Equatable {
    case trial(String)
    case best

    /// The chosen row, and a warning when it is not a finished model.
    ///
    /// `best` is the completed trial with the best test value of its task's headline metric (the highest test
    /// accuracy; the lowest test MAE for regression), ties going to the earliest ordinal. A trial named by id must be
    /// completed, or stopped, paused or interrupted (a model from before its last epoch, exported with a warning).
    func choose(from rows: [TrialRow], sweep: String) throws(ExportError) -> (row: TrialRow, warning: String?) {
        switch self {
        case .trial(let id):
            // The exact id, else the only id it begins.
            let exact = rows.filter { $0.id == id }
            let matches = exact.isEmpty ? rows.filter { $0.id.hasPrefix(id) } : exact
            guard matches.count == 1, let row = matches.first else { throw .unknownTrial(id, sweep: sweep) }
            switch row.status {
            case .completed: return (row, nil)
            case .stopped, .paused, .interrupted:
                return (
                    row,
                    "trial \(row.id) is \(row.status), not completed: the export is its model after epoch "
                        + "\(row.lastEpoch.map(String.init) ?? "?"), not a finished model"
                )
            case .pending, .running, .failed, .diverged: throw .notFinished(trial: row.id, status: row.status)
            }
        case .best:
            let candidates = rows.filter { $0.status == .completed }.compactMap { row -> (TrialRow, Metric, Double)? in
                let metric = Self.task(of: row).primaryMetric
                guard let value = row.test[metric], value.isFinite else { return nil }
                return (row, metric, value)
            }
            guard
                let best = candidates.min(by: { a, b in
                    if a.2 != b.2 { return a.1.higherIsBetter ? a.2 > b.2 : a.2 < b.2 }
                    return a.0.ordinal < b.0.ordinal
                })
            else { throw .noCompletedTrial(sweep: sweep) }
            return (best.0, nil)
        }
    }

    /// The trial's task, from its stored parameters (classification when they do not say).
    static func task(of row: TrialRow) -> Task {
        let params = try? JSONDecoder().decode([String: ParameterValue].self, from: Data(row.paramsJSON.utf8))
        return params?["task"]?.stringValue.flatMap(Task.init(rawValue:)) ?? .classification
    }
}
