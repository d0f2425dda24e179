import Foundation

/// Errors from ``MetricsStore``; descriptions are user-facing and name the file or sweep and the fix.
public enum MetricsStoreError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// A reader was pointed at a path with no database.
    case missingDatabase(path: String)
    /// The file was migrated by a newer rnnsweep (unknown migration identifiers).
    case newerSchema(path: String, unknown: [String])
    /// The file exists but was never (fully) migrated, and the opener may not migrate it.
    case notMigrated(path: String)
    /// No sweep with this id or name.
    case unknownSweep(String)
    /// No trial with this id in the sweep.
    case unknownTrial(sweep: String, trial: String)
    /// A write that would break the store's contract (e.g. touching a completed trial).
    case contractViolation(sweep: String, trial: String, status: TrialStatus, attempted: String)
    /// A metric column holds something other than a number, `'NaN'` or NULL.
    case badMetric(column: String, stored: String)
    /// A JSON column holds text that does not decode.
    case badJSON(column: String, detail: String)
    /// The path holds something that is not an rnnsweep database (a directory, another program's SQLite file).
    case notADatabase(path: String, reason: String)
    /// `merge` was asked to write into one of the databases it reads.
    case mergeIntoSource(path: String)
    /// The file cannot be opened at all (permissions, a read-only folder): `reason` names the file or folder and
    /// the errno.
    case cannotOpen(path: String, reason: String)
    /// A writer (`run`, `merge`) cannot write the file or its folder.
    case cannotWrite(path: String, reason: String)
    /// A SQLite database of ours that SQLite finds damaged (truncated, overwritten).
    case damaged(path: String, reason: String)
    /// Another process holds the database (creating or migrating it, or a long write) longer than we waited.
    case busy(path: String)

    public var description: String {
        switch self {
        case .missingDatabase(let path):
            return "no database at \(path); run `rnnsweep run FILE` first"
        case .newerSchema(let path, let unknown):
            return
                "database \(path) was written by a newer rnnsweep (schema migrations \(unknown.joined(separator: ", ")) "
                + "are unknown to this version); upgrade rnnsweep to read it"
        case .notMigrated(let path):
            return "database \(path) has no rnnsweep schema (or an older one); run `rnnsweep run FILE` to create "
                + "or upgrade it"
        case .unknownSweep(let name):
            return "no sweep \(name) in the database; `rnnsweep status` lists the sweeps"
        case .unknownTrial(let sweep, let trial):
            return "sweep \(sweep) has no trial \(trial)"
        case .contractViolation(let sweep, let trial, let status, let attempted):
            return "cannot \(attempted) trial \(trial) of sweep \(sweep): it is \(status)"
                + (status == .completed ? " and completed trials are immutable" : "")
        case .badMetric(let column, let stored):
            return "column \(column) holds \(stored.debugDescription); metrics must be REAL, 'NaN' or NULL"
        case .badJSON(let column, let detail):
            return "column \(column) does not hold valid JSON: \(detail)"
        case .notADatabase(let path, let reason):
            return "\(path) is not an rnnsweep database: \(reason); choose another file with --db"
        case .mergeIntoSource(let path):
            return "\(path) is one of the databases to merge; --into must name another file"
        case .cannotOpen(let path, let reason):
            return "cannot open database \(path): \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write to \(path): \(reason); copy it somewhere writable or fix the permissions"
        case .damaged(let path, let reason):
            return "database \(path) is damaged (\(reason)); recover what it holds with "
                + "`sqlite3 \(path) .recover | sqlite3 recovered.sqlite`"
        case .busy(let path):
            return "database \(path) is being created, migrated or written by another process and stayed locked; "
                + "wait for it to finish, then try again"
        }
    }

    public var errorDescription: String? { description }
}
