import Foundation
import GRDB
import RNNTraining

/// `rnnsweep merge A.sqlite B.sqlite … --into C.sqlite`: the sweeps of several databases (e.g. the shards of one
/// sweep run on different machines) in one.
///
/// Rules: sweeps are matched by name and trials by id. A trial only one side has is copied with its epochs. A
/// completed trial replaces one that is not. Two completed trials with the same id must have the same metrics
/// (bit for bit: every test metric, every epoch's training and validation metrics); if not, it is a **conflict**: reported,
/// and the target keeps its row — nothing is ever silently overwritten. A trial that was queued or running in a
/// source arrives `interrupted` (its coordinator is not the target's). Sources are only read.
public enum DatabaseMerge {
    public struct Report: Sendable, CustomStringConvertible {
        public var sweeps: Set<String> = []
        public var added = 0
        public var replaced = 0
        public var identical = 0
        public var kept = 0
        public var conflicts: [String] = []
        public var warnings: [String] = []

        public var description: String {
            var lines = [
                "merged \(sweeps.count) sweep(s): \(added) trial(s) added, \(replaced) completed trial(s) replaced an "
                    + "unfinished one, \(identical) already identical, \(kept) kept as the target had them, "
                    + "\(conflicts.count) conflict(s)"
            ]
            lines += warnings.map { "warning: \($0)" }
            lines += conflicts.map { "conflict: \($0)" }
            return lines.joined(separator: "\n")
        }
    }

    public static func merge(sources: [URL], into target: URL) throws -> Report {
        let standardized = target.standardizedFileURL.path
        for source in sources where source.standardizedFileURL.path == standardized {
            throw MetricsStoreError.mergeIntoSource(path: source.path)
        }
        let store = try MetricsStore.create(at: target)
        var report = Report()
        for source in sources {
            // Read-only; a database of an older schema is read through a migrated in-memory copy.
            let reader = try MetricsStore.openExisting(at: source)
            try store.pool.write { db in
                try merge(from: reader, path: source.path, into: db, report: &report)
            }
        }
        return report
    }

    private static func merge(from source: MetricsStore, path: String, into db: Database, report: inout Report)
        throws
    {
        try source.pool.read { sdb in
            // The data versions the trials point to, with their files and class names: the first record wins.
            let versions = try Row.fetchAll(sdb, sql: "SELECT * FROM data_versions").map(DataVersion.init(row:))
            try MetricsStore.insertDataVersions(versions, db: db)
            for sweep in try Row.fetchAll(sdb, sql: "SELECT * FROM sweeps ORDER BY id") {
                let name: String = sweep["name"]
                report.sweeps.insert(name)
                let targetID = try targetSweep(sweep, in: db, from: path, report: &report)
                let sourceID: Int64 = sweep["id"]
                let inFlight = Set(
                    try String.fetchAll(
                        sdb, sql: "SELECT trial_id FROM slurm_tasks WHERE sweep_id = ? AND ended_at IS NULL",
                        arguments: [sourceID]))
                for trial in try Row.fetchAll(
                    sdb, sql: "SELECT * FROM trials WHERE sweep_id = ? ORDER BY ordinal", arguments: [sourceID])
                {
                    let epochs = try Row.fetchAll(
                        sdb, sql: "SELECT * FROM epochs WHERE sweep_id = ? AND trial_id = ? ORDER BY epoch",
                        arguments: [sourceID, trial["id"] as String])
                    try mergeTrial(
                        trial, epochs: epochs, inFlight: inFlight.contains(trial["id"]), sweep: targetID,
                        sweepName: name, from: path, into: db, report: &report)
                }
            }
        }
    }

    private static func targetSweep(_ sweep: Row, in db: Database, from path: String, report: inout Report) throws
        -> Int64
    {
        let name: String = sweep["name"]
        if let existing = try Row.fetchOne(
            db, sql: "SELECT id, experiment FROM sweeps WHERE name = ?", arguments: [name])
        {
            if (existing["experiment"] as String) != (sweep["experiment"] as String) {
                report.warnings.append(
                    "sweep \(name) in \(path) was registered from a different experiment file than the target's; "
                        + "its trials are merged by id")
            }
            return existing["id"]
        }
        try db.execute(
            sql: """
                INSERT INTO sweeps (name, description, experiment_path, experiment, varying_keys, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                name, sweep["description"] as String?, sweep["experiment_path"] as String?,
                sweep["experiment"] as String, sweep["varying_keys"] as String, sweep["created_at"] as String,
            ])
        return db.lastInsertedRowID
    }

    private static func mergeTrial(
        _ trial: Row, epochs: [Row], inFlight: Bool, sweep: Int64, sweepName: String, from path: String,
        into db: Database, report: inout Report
    ) throws {
        let id: String = trial["id"]
        let status: String = trial["status"]
        let existing = try Row.fetchOne(
            db, sql: "SELECT * FROM trials WHERE sweep_id = ? AND id = ?", arguments: [sweep, id])
        guard let existing else {
            try insert(trial, epochs: epochs, sweep: sweep, into: db, unfinished: status == "running" || inFlight)
            report.added += 1
            return
        }
        let targetStatus: String = existing["status"]
        switch (targetStatus == "completed", status == "completed") {
        case (true, true):
            let targetEpochs = try Row.fetchAll(
                db, sql: "SELECT * FROM epochs WHERE sweep_id = ? AND trial_id = ? ORDER BY epoch",
                arguments: [sweep, id])
            if sameMetrics(existing, targetEpochs, trial, epochs) {
                report.identical += 1
            } else {
                // Name the task's headline test metric: the one column both rows have that is not NULL.
                let shown =
                    MetricColumns.test.first {
                        $0.metric != .loss && (existing[$0.recordName] as DatabaseValue) != .null
                    } ?? MetricKey(.test, .loss)
                report.conflicts.append(
                    "sweep \(sweepName) trial \(id): completed in both with different metrics (\(shown.reportName) "
                        + "\(describe(existing[shown.recordName], shown.metric)) here, "
                        + "\(describe(trial[shown.recordName], shown.metric)) in \(path)); kept the target's")
            }
        case (false, true):
            try db.execute(sql: "DELETE FROM trials WHERE sweep_id = ? AND id = ?", arguments: [sweep, id])
            try insert(trial, epochs: epochs, sweep: sweep, into: db, unfinished: false)
            report.replaced += 1
        default:
            report.kept += 1
        }
    }

    /// Copies a trial row and its epochs (every column both schemas have: they are the same, both migrated).
    private static func insert(_ trial: Row, epochs: [Row], sweep: Int64, into db: Database, unfinished: Bool) throws {
        var values = Dictionary(uniqueKeysWithValues: trial.columnNames.map { ($0, trial[$0] as DatabaseValue) })
        values["sweep_id"] = sweep.databaseValue
        if unfinished {
            values["status"] = "interrupted".databaseValue
            values["worker_pid"] = .null
            values["error"] = "was in flight in the database it was merged from".databaseValue
        }
        try insertRow(values, into: "trials", db)
        for epoch in epochs {
            var row = Dictionary(uniqueKeysWithValues: epoch.columnNames.map { ($0, epoch[$0] as DatabaseValue) })
            row["sweep_id"] = sweep.databaseValue
            try insertRow(row, into: "epochs", db)
        }
    }

    private static func insertRow(_ values: [String: DatabaseValue], into table: String, _ db: Database) throws {
        let columns = values.keys.sorted()
        try db.execute(
            sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                + "(\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))",
            arguments: StatementArguments(columns.map { values[$0]! }))
    }

    /// Equal test metrics and epoch metrics (wall-clock seconds differ between machines and are not compared).
    private static func sameMetrics(_ a: Row, _ aEpochs: [Row], _ b: Row, _ bEpochs: [Row]) -> Bool {
        func same(_ x: Row, _ y: Row, _ columns: [String]) -> Bool {
            columns.allSatisfy { (x[$0] as DatabaseValue) == (y[$0] as DatabaseValue) }
        }
        guard same(a, b, MetricColumns.test.map(\.recordName) + ["last_epoch"]), aEpochs.count == bEpochs.count else {
            return false
        }
        return zip(aEpochs, bEpochs).allSatisfy { same($0, $1, ["epoch"] + MetricColumns.epoch.map(\.recordName)) }
    }

    private static func describe(_ value: DatabaseValue, _ metric: Metric) -> String {
        if case .double(let d) = value.storage {
            return metric.isFraction ? String(format: "%.4f%%", 100 * d) : String(format: "%.6g", d)
        }
        return value.description
    }
}
