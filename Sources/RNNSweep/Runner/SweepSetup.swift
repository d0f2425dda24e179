import Foundation
import RNNCore
import RNNTraining

/// Everything a coordinator holds before its first launch: the migrated database, the sweep's folder and its lock,
/// the registered sweep and trials, and the Slurm tasks an earlier coordinator left in flight.
struct SweepSetup {
    let sweepName: String
    /// Trials taken over, completed, from other sweeps of the database.
    let reused: [MetricsStore.ReusedTrial]
    let store: MetricsStore
    let sweepID: SweepID
    let lock: SweepLock
    /// The sweep's owner row in the database, held as long as the lock (``SweepOwnership``).
    let ownership: SweepOwnership
    /// `<database folder>/<run_directory>`: lock, checkpoints (`<trial>/`), Slurm submissions, logs.
    let runDirectory: URL
    /// The trials of this run (the sweep's, or a shard's) after stale `running` rows were turned into `interrupted`.
    let rows: [TrialRow]
    /// The trials to run, with the ids of the rows they matched (``TrialAdoption``).
    let trials: [TrialSpec]
    /// Every trial the sweep has registered, including those an edited file no longer has (superseded).
    let allRows: [TrialRow]
    /// `allRows` by configuration without `epochs`, decoded once (``ShorterRunIndex``).
    let shorterRuns: ShorterRunIndex
    let inFlight: [SlurmTaskRow]
    /// `<database stem>.data-cache/`: decoded datasets every sweep of the database shares (``DecodedDataCache``).
    let dataCache: URL

    /// The folder new sweeps of the database at `database` get, relative to its folder: `<stem>.runs/<sweep>`.
    static func proposedRunDirectory(database: URL, sweep: String) -> String {
        database.deletingPathExtension().lastPathComponent + ".runs/" + sweep
    }

    /// A sweep's folder, from its row (sweeps registered before run directories existed use `<sweep>`).
    static func runDirectory(database: URL, row: SweepRow) -> URL {
        database.deletingLastPathComponent().appendingPathComponent(row.runDirectory ?? row.name, isDirectory: true)
    }

    static func open(
        database: URL, sweepName: String, description: String, experimentPath: String, experimentJSON: String,
        varyingKeys: [String], experimentText: String?, command: String?, trials planned: [TrialSpec],
        dataVersions: [DataVersion] = [], executorJSON: String, superseding: SupersededTrials = .allOthers
    ) throws(SweepRunError) -> SweepSetup {
        var trials = planned
        let store: MetricsStore
        do {
            // Created and migrated before any lock or worker: the coordinator is the only process that migrates.
            store = try MetricsStore.create(at: database)
        } catch {
            throw .store("\(error)")
        }
        let existing: SweepRow?
        do { existing = try store.sweep(named: sweepName) } catch { throw .store("\(error)") }
        if let existing {
            // Trials a scheduler added in an earlier run are the sweep's as much as the file's are.
            let rows: [TrialRow]
            do { rows = try store.trials(sweep: existing.id) } catch { throw .store("\(error)") }
            trials += try AddedTrials.specs(in: rows, besides: trials)
        }
        let proposed = proposedRunDirectory(database: database, sweep: sweepName)
        let relative = existing.map { $0.runDirectory ?? $0.name } ?? proposed
        let folder = database.deletingLastPathComponent().appendingPathComponent(relative, isDirectory: true)
        let lock = try SweepLock(directory: folder, sweep: sweepName)
        // The lock file can be deleted behind our back; the database row cannot. Claimed before anything is written.
        let ownership = try SweepOwnership(store: store, sweep: sweepName)
        // A trial's checkpoint folder that is a link would have its worker write wherever the link points: refused
        // here, before anything is trained (a link planted later fails its trial alone, in the worker).
        for trial in trials {
            do {
                try NoFollow.checkNotLink(folder.appendingPathComponent(trial.id).path)
            } catch {
                throw .unsafeFolder(path: error.path, reason: error.reason)
            }
        }
        do {
            let sweepID = try store.registerSweep(
                name: sweepName, description: description, experimentPath: experimentPath,
                experimentJSON: experimentJSON, varyingKeys: varyingKeys, experimentText: experimentText,
                command: command)
            _ = try store.runDirectory(sweep: sweepID, proposed: relative)
            try store.recordDataVersions(dataVersions)
            // Rows registered before data fingerprints keep their ids (`TrialAdoption`).
            trials = TrialAdoption.adopt(
                trials, rows: try store.trials(sweep: sweepID),
                experimentFolder: TrialAdoption.folder(ofExperiment: experimentPath))
            try store.registerTrials(
                sweep: sweepID,
                trials: trials.map(NewTrial.init), superseding: superseding)
            try store.setExecutor(sweep: sweepID, json: executorJSON)
            let reused = try store.reuseCompletedTrials(sweep: sweepID)
            // We hold the lock, so a "running" row not in flight on Slurm is left over from a coordinator that died.
            try store.markStaleRunningAsInterrupted(sweep: sweepID)
            // A completed trial with a lost epoch resumes from its final checkpoint, which re-records its history.
            try store.reopenTrialsWithHoles(sweep: sweepID) {
                FileManager.default.fileExists(atPath: folder.appendingPathComponent($0, isDirectory: true).path)
            }
            let ids = Set(trials.map(\.id))
            let all = try store.trials(sweep: sweepID)
            return SweepSetup(
                sweepName: sweepName, reused: reused, store: store, sweepID: sweepID, lock: lock, ownership: ownership,
                runDirectory: folder,
                rows: all.filter { ids.contains($0.id) }, trials: trials, allRows: all,
                shorterRuns: ShorterRunIndex(rows: all),
                inFlight: try store.slurmTasksInFlight(sweep: sweepID).filter { ids.contains($0.trialID) },
                dataCache: SweepData.cacheDirectory(database: database))
        } catch let error as SweepRunError {
            throw error
        } catch {
            throw .store("\(error)")
        }
    }

    /// The trial's checkpoint folder.
    func checkpointDirectory(_ trial: String) -> URL { runDirectory.appendingPathComponent(trial, isDirectory: true) }
}
