import GRDB

extension MetricsStore {
    /// One `epochs` row's place in the order it was written.
    public struct EpochRecord: Sendable, Equatable {
        public var trial: String
        public var epoch: Int

        public init(trial: String, epoch: Int) {
            self.trial = trial
            self.epoch = epoch
        }
    }

    /// Every epoch row of the sweep in the order it was written (`rowid` order): the coordinator's recording order,
    /// since the recorder is the only writer and appends each epoch in its own transaction. An epoch recorded again
    /// (a resume that repeats it) is in the place of its latest write; ``DatabaseMerge`` copies rows in this order.
    public func epochRecordingOrder(sweep: SweepID) throws -> [EpochRecord] {
        try pool.read { db in
            var records: [EpochRecord] = []
            let rows = try Row.fetchCursor(
                db, sql: "SELECT trial_id, epoch FROM epochs WHERE sweep_id = ? ORDER BY rowid",
                arguments: [sweep.rawValue])
            while let row = try rows.next() { records.append(EpochRecord(trial: row["trial_id"], epoch: row["epoch"])) }
            return records
        }
    }
}
