import Foundation
import GRDB

/// One trial submitted to Slurm (`slurm_tasks`): the array task that runs it and how far its events file is recorded.
public struct SlurmTaskRow: Sendable, Equatable {
    public var sweepID: SweepID
    public var trialID: String
    /// The array job's id (`sbatch --parsable`), without the task index.
    public var jobID: String
    /// The trial's place in its submission: its files are `task-<arrayIndex>.*`.
    public var arrayIndex: Int
    /// The array task that runs it.
    public var arrayTask: Int
    /// Its array task runs several trials, one after another.
    public var shared: Bool
    /// The submission folder (request, events and output files), absolute.
    public var folder: String
    public var submittedAt: String
    /// Bytes of the events file already recorded.
    public var eventsOffset: Int
    /// The last state `squeue` showed (PENDING, RUNNING, …), its reason and node.
    public var state: String?
    public var reason: String?
    public var node: String?
    /// When the task was seen to have left the queue; nil while in flight.
    public var endedAt: String?

    /// `12_3`, as Slurm's commands name the array task that runs the trial.
    public var slurmID: String { "\(jobID)_\(arrayTask)" }

    /// The trial's events file (there once its task has started it).
    public var eventsFile: URL { SlurmBatchScript.file("events", folder: folder, place: arrayIndex) }

    /// Its task's batch script has ended it for good (``BatchScriptExit/endsTrial(cancelRequested:)``), as its exit
    /// file says.
    var endedInItsTask: Bool {
        guard let exit = SlurmBatchScript.exitRecord(folder: folder, place: arrayIndex) else { return false }
        return SlurmBatchScript.endsTrial(exit, folder: folder, place: arrayIndex)
    }

    init(row: Row) {
        sweepID = SweepID(rawValue: row["sweep_id"])
        trialID = row["trial_id"]
        jobID = row["job_id"]
        arrayIndex = row["array_index"]
        let task: Int? = row["array_task"]
        arrayTask = task ?? arrayIndex
        shared = task != nil
        folder = row["folder"]
        submittedAt = row["submitted_at"]
        eventsOffset = row["events_offset"]
        state = row["state"]
        reason = row["reason"]
        node = row["node"]
        endedAt = row["ended_at"]
    }
}

extension StoreTransaction {
    /// Records `trial` as submitted in place `arrayIndex` of a submission, run by array task `arrayTask` with others,
    /// or alone by task `arrayIndex` when nil (the trial becomes `running`, queued; see `markQueued`).
    public func recordSlurmTask(trial: String, jobID: String, arrayIndex: Int, arrayTask: Int?, folder: String) throws {
        try markQueued(trial: trial)
        try db.execute(
            sql: """
                INSERT INTO slurm_tasks (sweep_id, trial_id, job_id, array_index, array_task, folder, state)
                VALUES (?, ?, ?, ?, ?, ?, 'PENDING')
                """,
            arguments: [sweep.rawValue, trial, jobID, arrayIndex, arrayTask, folder])
    }

    /// Gives the tasks recorded under a placeholder job id the id `sbatch` answered.
    public func renameSlurmJob(from placeholder: String, to jobID: String) throws {
        try db.execute(
            sql: "UPDATE slurm_tasks SET job_id = ? WHERE sweep_id = ? AND job_id = ?",
            arguments: [jobID, sweep.rawValue, placeholder])
    }

    /// Forgets the tasks of a submission that failed; their trials are interrupted (they run again).
    public func forgetSlurmJob(_ placeholder: String) throws {
        try db.execute(
            sql: """
                UPDATE trials SET status = 'interrupted' WHERE sweep_id = ? AND status = 'running' AND id IN
                    (SELECT trial_id FROM slurm_tasks WHERE sweep_id = ? AND job_id = ?)
                """, arguments: [sweep.rawValue, sweep.rawValue, placeholder])
        try db.execute(
            sql: "DELETE FROM slurm_tasks WHERE sweep_id = ? AND job_id = ?", arguments: [sweep.rawValue, placeholder])
    }

    /// Sets how far the task's events file has been recorded; call it in the transaction that records them.
    public func advanceEvents(jobID: String, arrayIndex: Int, to offset: Int) throws {
        try db.execute(
            sql: "UPDATE slurm_tasks SET events_offset = ? WHERE sweep_id = ? AND job_id = ? AND array_index = ?",
            arguments: [offset, sweep.rawValue, jobID, arrayIndex])
    }

    /// Stores what `squeue` shows for the task.
    public func updateSlurmState(jobID: String, arrayIndex: Int, state: String, reason: String?, node: String?)
        throws
    {
        try db.execute(
            sql: """
                UPDATE slurm_tasks SET state = ?, reason = ?, node = ?
                WHERE sweep_id = ? AND job_id = ? AND array_index = ? AND ended_at IS NULL
                """, arguments: [state, reason, node, sweep.rawValue, jobID, arrayIndex])
    }

    /// Marks the task as having left the queue.
    public func endSlurmTask(jobID: String, arrayIndex: Int) throws {
        try db.execute(
            sql: """
                UPDATE slurm_tasks SET ended_at = \(StoreSchema.now), state = NULL, reason = NULL
                WHERE sweep_id = ? AND job_id = ? AND array_index = ?
                """, arguments: [sweep.rawValue, jobID, arrayIndex])
    }
}

extension MetricsStore {
    /// The sweep's array tasks still in flight (not seen to have left the queue), oldest first.
    public func slurmTasksInFlight(sweep: SweepID) throws -> [SlurmTaskRow] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM slurm_tasks WHERE sweep_id = ? AND ended_at IS NULL
                    ORDER BY submitted_at, job_id, array_index
                    """, arguments: [sweep.rawValue]
            ).map(SlurmTaskRow.init(row:))
        }
    }

    /// Every array task the sweep ever submitted, oldest first.
    public func slurmTasks(sweep: SweepID) throws -> [SlurmTaskRow] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM slurm_tasks WHERE sweep_id = ? ORDER BY submitted_at, job_id, array_index",
                arguments: [sweep.rawValue]
            ).map(SlurmTaskRow.init(row:))
        }
    }
}
