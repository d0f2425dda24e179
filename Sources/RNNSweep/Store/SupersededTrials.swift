import Foundation
import GRDB
import RNNTraining

/// Which of a sweep's rows a registration supersedes: those its definition no longer expands to, after the
/// experiment file was edited (a grid value removed, `epochs` changed). They keep their results and are marked
/// `superseded_at` (``StoreSchema/v10SupersededTrials``), so reports and `status` show the current definition's
/// trials by default and the older ones only with `--all-trials`.
public enum SupersededTrials: Sendable, Equatable {
    /// The registered trials are the whole definition: every other row is superseded.
    case allOthers
    /// The registered trials are (a shard of) a definition whose trials (every shard's) have these parameters
    /// (``key(_:)``: everything that identifies a trial but where its data lives): a row is superseded when it is not
    /// registered and no trial of the definition has its parameters. So a row of an older version of the data, or
    /// of data that moved, stays current (reports split data versions by `data` and warn of them), and a shard,
    /// which cannot fingerprint the other shards' data, supersedes only what the definition dropped.
    case outside(definition: Set<String>)

    /// The parameters of a trial as ``outside(definition:)`` compares them: its identity without `data_dir`.
    public static func key(_ parameters: TrainingParameters) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // ParameterValue is a JSON scalar: encoding cannot fail.
        return String(decoding: try! encoder.encode(parameters.locationFreeIdentityValues), as: UTF8.self)
    }

    /// Sets `superseded_at` (now) on the sweep's rows this registration supersedes that do not have it yet.
    func mark(sweep: SweepID, registered: [String], _ db: Database) throws {
        let kept = Set(registered)
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, params FROM trials WHERE sweep_id = ? AND superseded_at IS NULL",
            arguments: [sweep.rawValue])
        for row in rows {
            let id: String = row["id"]
            guard !kept.contains(id) else { continue }
            if case .outside(let definition) = self {
                let json: String = row["params"]
                // Parameters this rnnsweep cannot read are not judged: the row stays as it was.
                guard let parameters = try? JSONDecoder().decode(TrainingParameters.self, from: Data(json.utf8)),
                    !definition.contains(Self.key(parameters))
                else { continue }
            }
            try db.execute(
                sql: "UPDATE trials SET superseded_at = \(StoreSchema.now) WHERE sweep_id = ? AND id = ?",
                arguments: [sweep.rawValue, id])
        }
    }
}
