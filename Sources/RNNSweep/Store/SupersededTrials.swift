import Foundation
import GRDB

/// Which of a sweep's rows a registration supersedes: those its definition no longer expands to, after the
/// experiment file was edited (a grid value removed, `epochs` changed). They keep their results and are marked
/// `superseded_at` (``StoreSchema/v10SupersededTrials``), so reports and `status` show the current definition's
/// trials by default and the older ones only with `--all-trials`.
public enum SupersededTrials: Sendable, Equatable {
    /// The registered trials are the whole definition: every other row is superseded.
    case allOthers
    /// The registered trials are one shard of a definition whose trials (every shard's) have these resolved
    /// parameters (canonical JSON): a row is superseded when it is not registered and no trial of the definition has
    /// its parameters. (A shard cannot fingerprint the other shards' data, so it matches them by parameters.)
    case outside(definitionParams: [String])

    /// Sets `superseded_at` (now) on the sweep's rows this registration supersedes that do not have it yet.
    func mark(sweep: SweepID, registered: [String], _ db: Database) throws {
        let ids = String(decoding: try JSONEncoder().encode(registered), as: UTF8.self)
        var sql = """
            UPDATE trials SET superseded_at = \(StoreSchema.now)
            WHERE sweep_id = ? AND superseded_at IS NULL AND id NOT IN (SELECT value FROM json_each(?))
            """
        var arguments: StatementArguments = [sweep.rawValue, ids]
        if case .outside(let params) = self {
            sql += " AND params NOT IN (SELECT value FROM json_each(?))"
            arguments += [String(decoding: try JSONEncoder().encode(params), as: UTF8.self)]
        }
        try db.execute(sql: sql, arguments: arguments)
    }
}
