import GRDB

/// One successive-halving decision (`rungs`): a grid point's rank and fate at a rung, under a rule.
public struct RungRow: Sendable, Equatable {
    /// The rule's parameters, e.g. `successive_halving metric=val_accuracy min_epochs=2 reduction_factor=3`.
    public var rule: String
    public var rung: Int
    public var epoch: Int
    public var gridPoint: Int
    public var metricName: String
    /// The mean over the grid point's seeds (NaN for a diverged seed).
    public var metric: Double?
    public var rank: Int
    public var promoted: Bool

    public init(
        rule: String, rung: Int, epoch: Int, gridPoint: Int, metricName: String, metric: Double?, rank: Int,
        promoted: Bool
    ) {
        self.rule = rule
        self.rung = rung
        self.epoch = epoch
        self.gridPoint = gridPoint
        self.metricName = metricName
        self.metric = metric
        self.rank = rank
        self.promoted = promoted
    }

    init(row: Row) throws {
        rule = row["rule"]
        rung = row["rung"]
        epoch = row["epoch"]
        gridPoint = row["grid_point"]
        metricName = row["metric_name"]
        metric = try MetricValue.read(row, "metric")
        rank = row["rank"]
        promoted = (row["decision"] as String) == "promoted"
    }
}

extension StoreTransaction {
    /// Records a rung's decisions, and stops the trials of the grid points that did not go on.
    public func recordRung(_ decisions: [RungRow], stopping trials: [String]) throws {
        for d in decisions {
            try db.execute(
                sql: """
                    INSERT INTO rungs (sweep_id, rule, rung, epoch, grid_point, metric_name, metric, rank, decision)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    sweep.rawValue, d.rule, d.rung, d.epoch, d.gridPoint, d.metricName,
                    MetricValue.databaseValue(d.metric),
                    d.rank, d.promoted ? "promoted" : "stopped",
                ])
        }
        for trial in trials {
            try db.execute(
                sql: """
                    UPDATE trials SET status = 'stopped', finished_at = \(StoreSchema.now)
                    WHERE sweep_id = ? AND id = ? AND status IN ('paused', 'pending', 'interrupted')
                    """, arguments: [sweep.rawValue, trial])
        }
    }

    /// A `running` trial reached its rung and waits for the rung's decision.
    public func markPaused(trial: String) throws {
        try db.execute(
            sql: "UPDATE trials SET status = 'paused' WHERE sweep_id = ? AND id = ? AND status = 'running'",
            arguments: [sweep.rawValue, trial])
    }
}

extension MetricsStore {
    /// The sweep's rung decisions, in rung then rank order.
    public func rungs(sweep: SweepID) throws -> [RungRow] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM rungs WHERE sweep_id = ? ORDER BY rule, rung, rank", arguments: [sweep.rawValue]
            ).map(RungRow.init(row:))
        }
    }
}
