import Foundation
import RNNSweep
import RNNTraining
import Testing

/// What a sweep ended with, bit for bit: the comparison every determinism test makes between runs that must agree
/// (1 or 2 workers, local or Slurm, interrupted and resumed). Wall-clock seconds, pids and notes are left out.
struct SweepOutcome: Equatable {
    /// One trial: who it is, where it stands, how patience ended it, and its test metrics' bits (every metric its
    /// task measures).
    struct Trial: Equatable {
        var id: String
        var ordinal: Int
        var gridPoint: Int
        var status: TrialStatus
        var patience: PatienceEnding
        var tests: [UInt64?]
    }

    /// One rung decision with its metric's bits, so a diverged configuration's NaN compares equal to itself.
    struct Rung: Equatable {
        var rule: String
        var rung: Int
        var epoch: Int
        var gridPoint: Int
        var metricName: String
        var metric: UInt64?
        var rank: Int
        var promoted: Bool
    }

    /// In ordinal order.
    var trials: [Trial]
    var curves: [MetricCurve]
    /// In the store's order (rule, rung, rank).
    var rungs: [Rung]

    init(_ database: SweepDatabase) throws {
        let store = try #require(database.open())
        let sweep = try #require(try store.sweep(named: database.sweepName))
        trials = try store.trials(sweep: sweep.id).sorted { $0.ordinal < $1.ordinal }.map { row in
            Trial(
                id: row.id, ordinal: row.ordinal, gridPoint: row.gridPoint, status: row.status,
                patience: row.patience, tests: Metric.allCases.map { row.test[$0]?.bitPattern })
        }
        curves = MetricCurve.of(try store.epochsByTrial(sweep: sweep.id))
        rungs = try store.rungs(sweep: sweep.id).map { row in
            Rung(
                rule: row.rule, rung: row.rung, epoch: row.epoch, gridPoint: row.gridPoint,
                metricName: row.metricName, metric: row.metric?.bitPattern, rank: row.rank, promoted: row.promoted)
        }
    }

    init(_ workspace: SweepWorkspace, sweep: String) throws {
        try self.init(workspace.sweepDatabase(sweep))
    }

    /// Each trial's status by id.
    var statuses: [String: TrialStatus] {
        Dictionary(uniqueKeysWithValues: trials.map { ($0.id, $0.status) })
    }

    /// Each trial's test metrics' bits by id.
    var tests: [String: [UInt64?]] {
        Dictionary(uniqueKeysWithValues: trials.map { ($0.id, $0.tests) })
    }
}
