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
/// source arrives `interrupted` (its coordinator is not the target's). Sources are only read. A sweep of the same name
/// but a different experiment is refused (``DatabaseMergeError``) unless renamed: two data sets never share a sweep.
public enum DatabaseMerge {
    public struct Report: Sendable, CustomStringConvertible {
        public var sweeps: Set<String> = []
        public var added = 0
        public var replaced = 0
        public var identical = 0
        public var kept = 0
        public var conflicts: [String] = []

        public var description: String {
            var lines = [
                "merged \(sweeps.count) sweep(s): \(added) trial(s) added, \(replaced) completed trial(s) replaced an "
                    + "unfinished one, \(identical) already identical, \(kept) kept as the target had them, "
                    + "\(conflicts.count) conflict(s)"
            ]
            lines += conflicts.map { "conflict: \($0)" }
            return lines.joined(separator: "\n")
        }
    }

    /// Merges `sources` into `target` in one transaction: all of it, or (on any error) nothing. A sweep whose
    /// name the target (or an earlier source) has for a different experiment is refused before anything is written
    /// (``DatabaseMergeError/differentExperiment(sweep:target:source:difference:)``), unless `rename` gives it
    /// another name: then it arrives as a sweep of that name, its trials its own.
    public static func merge(sources: [URL], into target: URL, rename: String? = nil) throws -> Report {
        let standardized = target.standardizedFileURL.path
        for source in sources where source.standardizedFileURL.path == standardized {
            throw MetricsStoreError.mergeIntoSource(path: source.path)
        }
        // Read-only; a database of an older schema is read through a migrated in-memory copy.
        let readers = try sources.map { try MetricsStore.openExisting(at: $0) }
        let names = try targetNames(readers: readers, sources: sources, target: target, rename: rename)
        let store = try MetricsStore.create(at: target)
        var report = Report()
        try store.pool.write { db in
            for (index, reader) in readers.enumerated() {
                try merge(from: reader, path: sources[index].path, names: names[index], into: db, report: &report)
            }
        }
        return report
    }

    /// For each source, the target name of each of its sweeps: its own, or `rename` for the one sweep whose name
    /// the target or an earlier source holds for another experiment. Reads only; throws before anything is written.
    private static func targetNames(readers: [MetricsStore], sources: [URL], target: URL, rename: String?) throws
        -> [[String: String]]
    {
        // Name → (experiment, where it comes from), as the merge will have met them.
        var known: [String: (experiment: String, path: String)] = [:]
        if FileManager.default.fileExists(atPath: target.path),
            let existing = try? MetricsStore.openExisting(at: target)
        {
            for sweep in try existing.sweeps() { known[sweep.name] = (sweep.experimentJSON, target.path) }
        }
        var names: [[String: String]] = []
        var differing: [(error: DatabaseMergeError, sweep: String, experiment: String)] = []
        for (reader, source) in zip(readers, sources) {
            var mapping: [String: String] = [:]
            for sweep in try reader.sweeps() {
                mapping[sweep.name] = sweep.name
                guard let first = known[sweep.name] else {
                    known[sweep.name] = (sweep.experimentJSON, source.path)
                    continue
                }
                guard let difference = ExperimentDifference(first.experiment, sweep.experimentJSON) else { continue }
                differing.append(
                    (
                        .differentExperiment(
                            sweep: sweep.name, target: first.path, source: source.path, difference: difference),
                        sweep.name, sweep.experimentJSON
                    ))
                if let rename { mapping[sweep.name] = rename }
            }
            names.append(mapping)
        }
        guard let rename else {
            if let first = differing.first { throw first.error }
            return names
        }
        guard differing.count == 1 else {
            throw DatabaseMergeError.renameAmbiguous(new: rename, differing: differing.map(\.sweep))
        }
        if let taken = known[rename], ExperimentDifference(taken.experiment, differing[0].experiment) != nil {
            throw DatabaseMergeError.renameTaken(new: rename, path: taken.path)
        }
        return names
    }

    private static func merge(
        from source: MetricsStore, path: String, names: [String: String], into db: Database, report: inout Report
    ) throws {
        try source.pool.read { sdb in
            // The data versions the trials point to, with their files and class names: the first record wins.
            let versions = try Row.fetchAll(sdb, sql: "SELECT * FROM data_versions").map(DataVersion.init(row:))
            try MetricsStore.insertDataVersions(versions, db: db)
            for sweep in try Row.fetchAll(sdb, sql: "SELECT * FROM sweeps ORDER BY id") {
                let sourceName: String = sweep["name"]
                let name = names[sourceName] ?? sourceName
                report.sweeps.insert(name)
                let targetID = try targetSweep(sweep, named: name, in: db)
                let sourceID: Int64 = sweep["id"]
                let inFlight = Set(
                    try String.fetchAll(
                        sdb, sql: "SELECT trial_id FROM slurm_tasks WHERE sweep_id = ? AND ended_at IS NULL",
                        arguments: [sourceID]))
                var copied: Set<String> = []
                for trial in try Row.fetchAll(
                    sdb, sql: "SELECT * FROM trials WHERE sweep_id = ? ORDER BY ordinal", arguments: [sourceID])
                {
                    let epochs = try Row.fetchAll(
                        sdb, sql: "SELECT * FROM epochs WHERE sweep_id = ? AND trial_id = ? ORDER BY epoch",
                        arguments: [sourceID, trial["id"] as String])
                    if try mergeTrial(
                        trial, epochs: epochs, inFlight: inFlight.contains(trial["id"]), sweep: targetID,
                        sweepName: name, from: path, into: db, report: &report)
                    {
                        copied.insert(trial["id"])
                    }
                }
                // The copied trials' epochs in the source's rowid order, which is its recording order
                // (``MetricsStore/epochRecordingOrder(sweep:)``): the search comparison's x axis reads it.
                for epoch in try Row.fetchAll(
                    sdb, sql: "SELECT * FROM epochs WHERE sweep_id = ? ORDER BY rowid", arguments: [sourceID])
                where copied.contains(epoch["trial_id"]) {
                    var row = Dictionary(
                        uniqueKeysWithValues: epoch.columnNames.map { ($0, epoch[$0] as DatabaseValue) })
                    row["sweep_id"] = targetID.databaseValue
                    try insertRow(row, into: "epochs", db)
                }
            }
        }
    }

    /// The target's sweep `name` (its experiment was checked to be the source's), or a new one copied from the
    /// source's row under that name.
    private static func targetSweep(_ sweep: Row, named name: String, in db: Database) throws -> Int64 {
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM sweeps WHERE name = ?", arguments: [name]) {
            return existing
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

    /// True when the source's trial row was copied (added, or replacing an unfinished one): its epochs are then
    /// copied after the sweep's trials.
    private static func mergeTrial(
        _ trial: Row, epochs: [Row], inFlight: Bool, sweep: Int64, sweepName: String, from path: String,
        into db: Database, report: inout Report
    ) throws -> Bool {
        let id: String = trial["id"]
        let status: String = trial["status"]
        let existing = try Row.fetchOne(
            db, sql: "SELECT * FROM trials WHERE sweep_id = ? AND id = ?", arguments: [sweep, id])
        guard let existing else {
            try insert(trial, sweep: sweep, into: db, unfinished: status == "running" || inFlight)
            report.added += 1
            return true
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
            try insert(trial, sweep: sweep, into: db, unfinished: false)
            report.replaced += 1
            return true
        default:
            report.kept += 1
        }
        return false
    }

    /// Copies a trial row (every column both schemas have: they are the same, both migrated); its epochs follow.
    private static func insert(_ trial: Row, sweep: Int64, into db: Database, unfinished: Bool) throws {
        var values = Dictionary(uniqueKeysWithValues: trial.columnNames.map { ($0, trial[$0] as DatabaseValue) })
        values["sweep_id"] = sweep.databaseValue
        if unfinished {
            values["status"] = "interrupted".databaseValue
            values["worker_pid"] = .null
            values["error"] = "was in flight in the database it was merged from".databaseValue
        }
        try insertRow(values, into: "trials", db)
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
