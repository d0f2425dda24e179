import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// Which trial `export` takes: `--best` by the task's headline metric and its direction, ties to the earliest
/// ordinal, unfinished trials left out; `--trial` by id or unique prefix, refusing trials without a model.
@Suite("export selection")
struct ExportSelectionTests {
    /// A sweep of trials `t0`, `t1`, … of `task`, each completed with its test value of the headline metric, or
    /// left in the given status (nil value).
    static func rows(_ task: String, _ outcomes: [(TrialStatus, Double?)]) throws -> (
        StoreTemporaryDirectory, [TrialRow]
    ) {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let sweep = try store.registerSweep(
            name: "s", description: nil, experimentPath: "e.yaml", experimentJSON: "{}", varyingKeys: ["units"])
        try store.registerTrials(
            sweep: sweep,
            trials: outcomes.indices.map {
                NewTrial(
                    id: storeHexID("t\($0)"), ordinal: $0, gridPoint: $0, seed: 1,
                    paramsJSON: storeParamsJSON(["units": 4 * ($0 + 1), "task": task]))
            })
        let metric: Metric = task == "regression" ? .mae : .accuracy
        for (index, (status, value)) in outcomes.enumerated() where status != .pending {
            let id = storeHexID("t\(index)")
            try store.markStarted(sweep: sweep, trial: id, pid: 1)
            switch status {
            case .completed:
                try store.markCompleted(sweep: sweep, trial: id, test: [.loss: 1, metric: value!], seconds: 1)
            case .interrupted: try store.markInterrupted(sweep: sweep, trial: id, signal: 2)
            case .failed: try store.markFailed(sweep: sweep, trial: id, status: .failed, signal: 9, error: "killed")
            default: break
            }
        }
        return (dir, try store.trials(sweep: sweep))
    }

    @Test func bestIsTheHighestTestAccuracyTiesToTheEarliest() throws {
        let (_, rows) = try Self.rows(
            "classification", [(.completed, 0.8), (.completed, 0.9), (.interrupted, nil), (.completed, 0.9)])
        let chosen = try ExportSelection.best.choose(from: rows, sweep: "s")
        #expect(chosen.row.ordinal == 1 && chosen.warning == nil)
    }

    @Test func bestOfARegressionIsTheLowestTestMAE() throws {
        let (_, rows) = try Self.rows("regression", [(.completed, 0.4), (.completed, 0.2), (.completed, 0.3)])
        #expect(try ExportSelection.best.choose(from: rows, sweep: "s").row.ordinal == 1)
    }

    @Test func bestNeedsACompletedTrial() throws {
        let (_, rows) = try Self.rows("classification", [(.pending, nil), (.failed, nil)])
        #expect {
            try ExportSelection.best.choose(from: rows, sweep: "s")
        } throws: { "\($0)".contains("sweep 's' has no completed trial") }
    }

    @Test func aNamedTrialMustHaveAModel() throws {
        let (_, rows) = try Self.rows(
            "classification", [(.completed, 0.5), (.pending, nil), (.interrupted, nil), (.failed, nil)])
        let prefix = String(rows[0].id.prefix(6))
        #expect(try ExportSelection.trial(prefix).choose(from: rows, sweep: "s").row.id == rows[0].id)
        let interrupted = try ExportSelection.trial(rows[2].id).choose(from: rows, sweep: "s")
        #expect(interrupted.warning?.contains("is interrupted, not completed") == true)
        #expect {
            try ExportSelection.trial(rows[1].id).choose(from: rows, sweep: "s")
        } throws: { "\($0)".contains("is pending: it never ran") }
        #expect {
            try ExportSelection.trial(rows[3].id).choose(from: rows, sweep: "s")
        } throws: { "\($0)".contains("is failed, not completed") }
        #expect {
            try ExportSelection.trial("zz").choose(from: rows, sweep: "s")
        } throws: { "\($0)".contains("sweep 's' has no trial 'zz'") }
    }
}
