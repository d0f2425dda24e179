import GRDB
import RNNTraining

extension MetricsStore {
    /// All sweeps, oldest first.
    public func sweeps() throws -> [SweepRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sweeps ORDER BY id").map(SweepRow.init(row:))
        }
    }

    /// The sweep with this name, or nil.
    public func sweep(named name: String) throws -> SweepRow? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sweeps WHERE name = ?", arguments: [name])
                .map(SweepRow.init(row:))
        }
    }

    /// The sweep's trials in ordinal (run) order.
    public func trials(sweep: SweepID) throws -> [TrialRow] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM trials WHERE sweep_id = ? ORDER BY ordinal, id", arguments: [sweep.rawValue]
            ).map(TrialRow.init(row:))
        }
    }

    /// The trials a (non-stale) coordinator should run, in ordinal order: pending, interrupted and running
    /// (stale: the caller holds the sweep), plus failed and diverged when `retryFailed`.
    public func trialsToRun(sweep: SweepID, retryFailed: Bool) throws -> [TrialRow] {
        var statuses: Set<TrialStatus> = [.pending, .interrupted, .running]
        if retryFailed { statuses.formUnion([.failed, .diverged]) }
        return try trials(sweep: sweep).filter { statuses.contains($0.status) }
    }

    /// Epoch rows of one trial, in epoch order.
    public func epochs(sweep: SweepID, trial: String) throws -> [EpochMetrics] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM epochs WHERE sweep_id = ? AND trial_id = ? ORDER BY epoch",
                arguments: [sweep.rawValue, trial]
            ).map(EpochMetrics.init(row:))
        }
    }

    /// Epoch rows of every trial of the sweep, keyed by trial id, each in epoch order (one query).
    public func epochsByTrial(sweep: SweepID) throws -> [String: [EpochMetrics]] {
        try pool.read { db in
            var result: [String: [EpochMetrics]] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT * FROM epochs WHERE sweep_id = ? ORDER BY trial_id, epoch",
                arguments: [sweep.rawValue])
            while let row = try rows.next() {
                result[row["trial_id"], default: []].append(try EpochMetrics(row: row))
            }
            return result
        }
    }

    /// Number of trials in each status (every status present, zero when none).
    public func statusCounts(sweep: SweepID) throws -> [TrialStatus: Int] {
        try pool.read { db in
            var counts = Dictionary(uniqueKeysWithValues: TrialStatus.allCases.map { ($0, 0) })
            let rows = try Row.fetchAll(
                db, sql: "SELECT status, count(*) AS n FROM trials WHERE sweep_id = ? GROUP BY status",
                arguments: [sweep.rawValue])
            for row in rows {
                if let status = TrialStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }
}
