import GRDB

/// The coordinator that holds a sweep (`sweep_owners`): which process on which machine, and when it last showed
/// it is alive. Mutual exclusion that does not depend on the `.lock` file alone, which anyone can delete.
public struct SweepOwnerRow: Sendable, Equatable {
    public var sweep: String
    public var host: String
    /// `/proc/sys/kernel/random/boot_id` of the owner's machine: a pid of an earlier boot is no process of this one.
    public var bootID: String
    public var pid: Int32
    /// The process's start time in clock ticks since boot (`/proc/<pid>/stat`, field 22).
    public var processStart: UInt64
    public var claimedAt: String
    public var heartbeatAt: String
    /// Seconds since `heartbeat_at`, by the clock of the process that read the row.
    public var heartbeatAge: Double

    /// True when this row names the process `identity`.
    func isHeld(by identity: ProcessIdentity) -> Bool {
        host == identity.host && bootID == identity.bootID && pid == identity.pid
            && processStart == identity.processStart
    }
}

extension SweepOwnerRow {
    init(row: Row) {
        sweep = row["sweep"]
        host = row["host"]
        bootID = row["boot_id"]
        pid = row["pid"]
        processStart = UInt64(row["process_start"] as Int64)
        claimedAt = row["claimed_at"]
        heartbeatAt = row["heartbeat_at"]
        heartbeatAge = row["age"]
    }
}

extension MetricsStore {
    /// What ``claimSweep(_:by:isLive:)`` found.
    public enum SweepClaim: Sendable, Equatable {
        /// The sweep is now held by the caller; `previous` is a dead owner whose row it replaced.
        case claimed(previous: SweepOwnerRow?)
        /// A live coordinator holds it: nothing was written.
        case heldBy(SweepOwnerRow)
    }

    /// Claims sweep `name` for `identity` in one write transaction: the current owner, if any, is asked to `isLive`
    /// inside it, so two coordinators claiming at once cannot both win.
    public func claimSweep(_ name: String, by identity: ProcessIdentity, isLive: (SweepOwnerRow) -> Bool) throws
        -> SweepClaim
    {
        try pool.write { db in
            let previous = try Self.owner(db, name)
            if let previous, !previous.isHeld(by: identity), isLive(previous) { return .heldBy(previous) }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO sweep_owners (sweep, host, boot_id, pid, process_start)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [name, identity.host, identity.bootID, identity.pid, Int64(identity.processStart)])
            return .claimed(previous: previous.flatMap { $0.isHeld(by: identity) ? nil : $0 })
        }
    }

    /// Refreshes the heartbeat of `identity`'s claim; false when the claim is no longer its own.
    @discardableResult
    public func heartbeat(sweep name: String, by identity: ProcessIdentity) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE sweep_owners SET heartbeat_at = \(StoreSchema.now)
                    WHERE sweep = ? AND host = ? AND boot_id = ? AND pid = ? AND process_start = ?
                    """,
                arguments: [name, identity.host, identity.bootID, identity.pid, Int64(identity.processStart)])
            return db.changesCount > 0
        }
    }

    /// Gives up `identity`'s claim (a claim since taken over by another process is left alone).
    public func releaseSweep(_ name: String, by identity: ProcessIdentity) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    DELETE FROM sweep_owners
                    WHERE sweep = ? AND host = ? AND boot_id = ? AND pid = ? AND process_start = ?
                    """,
                arguments: [name, identity.host, identity.bootID, identity.pid, Int64(identity.processStart)])
        }
    }

    /// The recorded owner of sweep `name`, live or not; nil when none is recorded.
    public func sweepOwner(_ name: String) throws -> SweepOwnerRow? {
        try pool.read { db in try Self.owner(db, name) }
    }

    private static func owner(_ db: Database, _ name: String) throws -> SweepOwnerRow? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT *, (julianday('now') - julianday(heartbeat_at)) * 86400.0 AS age
                FROM sweep_owners WHERE sweep = ?
                """, arguments: [name]
        ).map(SweepOwnerRow.init(row:))
    }
}
