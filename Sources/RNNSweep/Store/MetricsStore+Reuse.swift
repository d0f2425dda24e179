import GRDB
import RNNTraining

extension MetricsStore {
    /// A trial of this sweep taken over, completed, from another sweep of the database.
    public struct ReusedTrial: Sendable, Equatable {
        public var trial: String
        public var fromSweep: String
    }

    /// The end of the note on a reused trial (``reuseCompletedTrials(sweep:)``), by which reports tell that its
    /// epochs were not run by its own sweep.
    public static let reusedNote = "its result reused"

    /// Completes the sweep's never-started trials that another sweep of the same database has completed: a trial id
    /// is a hash of everything that defines the computation, so the other sweep's result is this trial's result (as
    /// `cells.yaml` and `networks.yaml` share their recurrent trials). The row's results, provenance and epochs are
    /// copied in one transaction, and a note names the sweep they came from. Returns what was copied.
    @discardableResult
    public func reuseCompletedTrials(sweep: SweepID) throws -> [ReusedTrial] {
        try pool.write { db in
            let candidates = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id AS trial, o.sweep_id AS other, s.name AS other_name FROM trials t
                    JOIN trials o ON o.id = t.id AND o.sweep_id != t.sweep_id AND o.status = 'completed'
                    JOIN sweeps s ON s.id = o.sweep_id
                    WHERE t.sweep_id = ? AND t.status = 'pending' AND t.attempts = 0
                    ORDER BY t.ordinal, o.finished_at DESC
                    """, arguments: [sweep.rawValue])
            var reused: [ReusedTrial] = []
            var done = Set<String>()
            // Result columns only: identity, position and parameters stay this sweep's.
            let kept: Set = [
                "sweep_id", "id", "ordinal", "grid_point", "seed", "params", "notes", "data_fingerprint",
                "data_warnings",
            ]
            for candidate in candidates {
                let trial: String = candidate["trial"]
                guard done.insert(trial).inserted else { continue }
                let other: Int64 = candidate["other"]
                let name: String = candidate["other_name"]
                guard
                    let source = try Row.fetchOne(
                        db, sql: "SELECT * FROM trials WHERE sweep_id = ? AND id = ?", arguments: [other, trial])
                else { continue }
                let columns = source.columnNames.filter { !kept.contains($0) }
                try db.execute(
                    sql: "UPDATE trials SET " + columns.map { "\($0) = ?" }.joined(separator: ", ")
                        + " WHERE sweep_id = ? AND id = ?",
                    arguments: StatementArguments(
                        columns.map { source[$0] as DatabaseValue } + [
                            sweep.rawValue.databaseValue, trial.databaseValue,
                        ]))
                try db.execute(
                    sql: "DELETE FROM epochs WHERE sweep_id = ? AND trial_id = ?", arguments: [sweep.rawValue, trial])
                try db.execute(
                    sql: """
                        INSERT INTO epochs (sweep_id, trial_id, epoch, \(MetricColumns.epochList), seconds)
                        SELECT ?, trial_id, epoch, \(MetricColumns.epochList), seconds FROM epochs
                        WHERE sweep_id = ? AND trial_id = ?
                        """, arguments: [sweep.rawValue, other, trial])
                try StoreTransaction(db: db, sweep: sweep).addNote(
                    trial: trial, "completed by sweep \(name) of this database (the same trial id); \(Self.reusedNote)")
                reused.append(ReusedTrial(trial: trial, fromSweep: name))
            }
            return reused
        }
    }
}
