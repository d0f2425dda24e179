import Foundation
import GRDB
import RNNTraining

extension NewTrial {
    /// The row a planned trial registers as.
    init(_ trial: TrialSpec) {
        self.init(
            id: trial.id, ordinal: trial.ordinal, gridPoint: trial.gridPoint, seed: trial.seed,
            paramsJSON: trial.parameters.canonicalJSON, dataFingerprint: trial.dataFingerprint,
            dataWarnings: trial.dataWarnings)
    }
}

extension StoreTransaction {
    /// Registers trials a scheduler added while the sweep runs (`pending`). Unlike a definition's registration
    /// it never updates a row: a trial the sweep already has is a scheduler's mistake (it would be added twice), and
    /// the whole transaction is refused.
    public func registerAddedTrials(_ trials: [NewTrial]) throws {
        guard !trials.isEmpty else { return }
        let placeholders = trials.map { _ in "?" }.joined(separator: ",")
        let existing = try Row.fetchOne(
            db, sql: "SELECT id, status FROM trials WHERE sweep_id = ? AND id IN (\(placeholders)) ORDER BY ordinal",
            arguments: StatementArguments([sweep.rawValue] + trials.map(\.id)))
        if let existing {
            throw MetricsStoreError.contractViolation(
                sweep: sweep.description, trial: existing["id"],
                status: TrialStatus(rawValue: existing["status"]) ?? .pending, attempted: "add it again")
        }
        let statement = try db.makeStatement(
            sql: """
                INSERT INTO trials (sweep_id, id, ordinal, grid_point, seed, params, data_fingerprint, data_warnings)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for trial in trials {
            try statement.execute(arguments: [
                sweep.rawValue, trial.id, trial.ordinal, trial.gridPoint, trial.seed, trial.paramsJSON,
                trial.dataFingerprint, trial.dataWarnings.isEmpty ? nil : trial.dataWarnings.joined(separator: "\n"),
            ])
        }
    }
}
