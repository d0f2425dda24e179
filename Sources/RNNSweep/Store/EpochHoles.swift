import Foundation
import GRDB

/// A completed trial whose epoch rows do not cover 1…`last_epoch`: an epoch write was lost (before issue 25 a
/// busy database made the coordinator skip it). The trial's final checkpoint keeps its whole history, so a `run`
/// reopens the trial and its resumed worker records every epoch again (the same path that repairs a database
/// rolled back behind its checkpoints).
public struct EpochHole: Equatable, Sendable, CustomStringConvertible {
    public let trial: String
    public let ordinal: Int
    /// The missing epoch numbers, ascending.
    public let missing: [Int]

    /// The missing epochs, comma-separated.
    var listed: String { missing.map(String.init).joined(separator: ", ") }

    public var description: String {
        let epochs = missing.count == 1 ? "epoch \(missing[0])" : "epochs \(listed)"
        return "trial #\(ordinal) \(trial): \(epochs) missing — `run` repairs it from its checkpoint"
    }
}

extension MetricsStore {
    /// The completed trials of `sweep` with missing epoch rows, by ordinal.
    public func epochHoles(sweep: SweepID) throws -> [EpochHole] {
        try reader.read { db in try EpochHole.find(db, sweep: sweep) }
    }

    /// Reopens (as `interrupted`, with a note) each completed trial of `sweep` with missing epochs whose checkpoint
    /// `hasCheckpoint` finds, so that this run resumes it from its final checkpoint and records its history again.
    /// Returns the holes it reopened. Only call it while holding the sweep.
    @discardableResult
    public func reopenTrialsWithHoles(sweep: SweepID, hasCheckpoint: (String) -> Bool) throws -> [EpochHole] {
        try write(sweep: sweep) { tx in
            let holes = try EpochHole.find(tx.db, sweep: sweep).filter { hasCheckpoint($0.trial) }
            for hole in holes {
                try tx.db.execute(
                    sql: "UPDATE trials SET status = 'interrupted' WHERE sweep_id = ? AND id = ? AND status = ?",
                    arguments: [sweep.rawValue, hole.trial, TrialStatus.completed.rawValue])
                try tx.addNote(
                    trial: hole.trial,
                    "completed with \(hole.missing.count) epoch row(s) missing (\(hole.listed)); reopened to record "
                        + "them again from its checkpoint")
            }
            return holes
        }
    }
}

extension EpochHole {
    static func find(_ db: Database, sweep: SweepID) throws -> [EpochHole] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT t.id, t.ordinal, t.last_epoch, e.epoch FROM trials t
                LEFT JOIN epochs e ON e.sweep_id = t.sweep_id AND e.trial_id = t.id
                WHERE t.sweep_id = ? AND t.status = 'completed' AND t.last_epoch > 0
                ORDER BY t.ordinal, t.id
                """, arguments: [sweep.rawValue])
        var order: [String] = []
        var info: [String: (ordinal: Int, last: Int, seen: Set<Int>)] = [:]
        for row in rows {
            let id: String = row[0]
            if info[id] == nil {
                order.append(id)
                info[id] = (row[1], row[2], [])
            }
            if let epoch: Int = row[3] { info[id]!.seen.insert(epoch) }
        }
        return order.compactMap { id in
            let trial = info[id]!
            let missing = (1...trial.last).filter { !trial.seen.contains($0) }
            return missing.isEmpty ? nil : EpochHole(trial: id, ordinal: trial.ordinal, missing: missing)
        }
    }
}
