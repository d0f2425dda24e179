import Foundation
import RNNCore
import RNNTraining

/// Readies a trial's folder before its attempt starts and writes its worker request: a checkpoint this database
/// did not write is moved aside, and a new trial that differs from one of the sweep's only by more epochs continues
/// from that one's checkpoint. It records nothing itself: it returns notes for the loop to record and show.
struct TrialPreparation {
    let workspace: SweepSetup
    let options: SweepRunOptions
    /// Statuses of the trials when the run began (a trial added since has never started).
    let initialStatus: [String: TrialStatus]

    /// Something preparing a trial did, to record on it (when `recorded`) and to show.
    struct Note {
        var recorded: String?
        var line: String
        var isWarning: Bool
    }

    /// The worker request of `trial`'s attempt, and what preparing its folder did.
    func prepare(_ trial: TrialSpec, attempt: Int, until: Int?) -> (request: LaunchRequest, notes: [Note]) {
        let folder = workspace.checkpointDirectory(trial.id)
        var notes: [Note] = []
        if (initialStatus[trial.id] ?? .pending) == .pending && attempt == 1 {
            if let note = moveForeignCheckpointAside(trial, in: folder) { notes.append(note) }
            if let note = continueFromShorterTrial(trial, into: folder) { notes.append(note) }
        }
        let local = if case .local = options.executor { true } else { false }
        let request = LaunchRequest(
            trial: trial,
            request: WorkerRequest(
                parameters: trial.parameters, checkpointDirectory: folder.path, threads: options.threadsPerWorker,
                coordinatorPID: local ? getpid() : nil, untilEpoch: until,
                dataCacheDirectory: workspace.dataCache.path, dataFingerprint: trial.dataFingerprint),
            attempt: attempt)
        return (request, notes)
    }

    /// A checkpoint in the folder of a trial this database has never started is not this trial's (another
    /// database's, or a deleted one's): it is moved aside, not resumed from.
    private func moveForeignCheckpointAside(_ trial: TrialSpec, in folder: URL) -> Note? {
        let checkpoint = Checkpoint.url(in: folder)
        guard FileManager.default.fileExists(atPath: checkpoint.path) else { return nil }
        let aside = folder.appendingPathComponent("checkpoint.stale-\(FileTimeStamp.utc()).safetensors")
        let note =
            (try? FileManager.default.moveItem(at: checkpoint, to: aside)) != nil
            ? "a checkpoint this database did not write was moved aside to \(aside.lastPathComponent)"
            : "a checkpoint this database did not write could not be moved aside"
        return Note(recorded: note, line: "#\(trial.ordinal) \(trial.id): \(note)", isWarning: true)
    }

    /// A new trial that differs from one of the sweep's only by more epochs continues from that one's checkpoint
    /// (copied into its own folder): the epochs done are the same computation, and so is the rest (no learning-rate
    /// schedule depends on the total), so the longer run ends bit-identical to one trained from scratch.
    private func continueFromShorterTrial(_ trial: TrialSpec, into folder: URL) -> Note? {
        guard let best = longestShorterRun(of: trial) else { return nil }
        do {
            try NoFollow.directory(folder.path)
            try FileManager.default.copyItem(at: best.checkpoint, to: Checkpoint.url(in: folder))
        } catch {
            return Note(
                recorded: nil,
                line: "#\(trial.ordinal) \(trial.id): could not copy the checkpoint of \(best.row.id): \(error)",
                isWarning: true)
        }
        let note = "continues from the checkpoint of trial \(best.row.id) (the same configuration with fewer epochs)"
        return Note(recorded: note, line: "#\(trial.ordinal) \(trial.id) \(note)", isWarning: false)
    }

    /// The sweep's trial with the same configuration but fewer epochs that got furthest and has a checkpoint.
    private func longestShorterRun(of trial: TrialSpec) -> (row: TrialRow, epoch: Int, checkpoint: URL)? {
        var best: (row: TrialRow, epoch: Int, checkpoint: URL)?
        for entry in workspace.shorterRuns.shorter(than: trial) {
            let row = entry.row
            let checkpoint = Checkpoint.url(in: workspace.checkpointDirectory(row.id))
            let epoch = row.lastEpoch ?? 0
            if FileManager.default.fileExists(atPath: checkpoint.path), epoch > (best?.epoch ?? 0) {
                best = (row, epoch, checkpoint)
            }
        }
        return best
    }
}
