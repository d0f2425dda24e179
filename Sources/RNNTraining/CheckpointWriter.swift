import Foundation
import RNNEngine

/// Writes a run's checkpoints. In the background (the default), each epoch boundary copies the model, the optimizer's
/// slots and the training state into a ``CheckpointSnapshot`` (one second set of buffers, allocated once), and a
/// thread encodes and writes it (atomically: ``AtomicFile``, temporary file + fsync + rename) while the next epoch
/// trains. At most one write is in flight: a boundary that finds the previous write unfinished waits for it
/// (`waits` counts how often). Synchronously, the checkpoint is written from the live model at the boundary, as
/// before background writing existed: the path tests compare with.
///
/// What an `epoch` event means: the epoch was trained, not that its checkpoint is on disk. The epoch event goes out
/// at once, while its checkpoint may still be written (or, with `checkpoint_every` above 1, not be due). A crash
/// then loses the epochs after the last checkpoint on disk, at most `checkpoint_every` of them (the one being
/// written among them) plus the one in progress; the next attempt's `started` event says which epoch it resumes
/// from (`resumedFromEpoch`, read from the file), the recorder deletes the rows after it and records them again as
/// they are re-trained, and the schedulers forget those epochs (`resumed(trial:from:)`), so the results are
/// bit-identical to an uninterrupted run's. What still means "on disk" is the end of an attempt: `finished` and
/// `paused` are sent only after ``finish()``, so a paused trial resumes from its rung and a completed one from its
/// last epoch, as before.
public final class CheckpointWriter: @unchecked Sendable {
    public enum Mode: Sendable {
        case background, synchronous
    }

    public let mode: Mode
    /// Test-only (`RNNSWEEP_TEST_CHECKPOINT_PAUSE`, which only the worker reads): see `pauseIfAsked`.
    private let pauseFile: String?
    /// Guards every property below; background writes signal it when they end.
    private let condition = NSCondition()
    private let snapshot = CheckpointSnapshot()
    private var target: CheckpointTarget?
    /// A background write is in flight (it reads `snapshot`, which nothing else touches meanwhile).
    private var writing = false
    /// The snapshot holds an epoch that is not on disk (not due, or its write is in flight).
    private var unwritten = false
    /// A background write's error, thrown at the next boundary or at `finish`.
    private var failure: TrainingError?
    /// The process is ending (``stop()``): no boundary goes on.
    private var stopping = false
    private var writtenCount = 0
    private var waitCount = 0

    public init(mode: Mode = .background, testPauseFile: String? = nil) {
        self.mode = mode
        pauseFile = testPauseFile
    }

    /// Checkpoints written so far, and how many epoch boundaries waited for the previous write.
    public var statistics: (written: Int, waits: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (writtenCount, waitCount)
    }

    /// The epoch boundary of `state.epoch`: waits for the previous write, throws its error if it failed, and, when
    /// `due`, writes this epoch's checkpoint (in the background, or now). In the background mode the epoch is copied
    /// even when not due, so that a stop can write it (``stop()``).
    func checkpoint(
        model: any SequenceModel, optimizer: any Optimizer, state: TrainingState, target: CheckpointTarget, due: Bool
    ) throws(TrainingError) {
        condition.lock()
        defer { condition.unlock() }
        if writing { waitCount += 1 }
        // Once stopping, never again: the process is ending, and this epoch must not start another write.
        while writing || stopping { condition.wait() }
        if let failure {
            self.failure = nil
            throw failure
        }
        switch mode {
        case .synchronous:
            guard due else { return }
            try Checkpoint.save(
                model: model, architecture: target.architecture, optimizer: optimizer, state: state,
                parameters: target.parameters, dataFingerprint: target.dataFingerprint, to: target.directory)
            writtenCount += 1
        case .background:
            snapshot.capture(model: model, optimizer: optimizer, state: state)
            self.target = target
            unwritten = true
            guard due else { return }
            writing = true
            let thread = Thread { [self] in writeInBackground() }
            thread.start()
        }
    }

    /// Waits for the write in flight and throws its error: after it, every due checkpoint is on disk.
    func finish() throws(TrainingError) {
        condition.lock()
        defer { condition.unlock() }
        while writing { condition.wait() }
        if let failure {
            self.failure = nil
            throw failure
        }
    }

    /// Waits for the write in flight, ignoring its outcome: for a run that ends with another error.
    func settle() {
        condition.lock()
        while writing { condition.wait() }
        condition.unlock()
    }

    /// Before the process ends on a stop signal: waits for the write in flight, then writes the last epoch's copy
    /// if it is not on disk (an epoch `checkpoint_every` did not make due) and no write failed. Every later epoch
    /// boundary blocks: the caller ends the process. Errors are ignored; the previous checkpoint stays valid.
    public func stop() {
        condition.lock()
        stopping = true
        while writing { condition.wait() }
        // Not after a failed write (a full disk): the previous checkpoint stays, and the space stays free.
        if unwritten, failure == nil, let target, let data = snapshot.encode(for: target) {
            try? Checkpoint.write(data, to: Checkpoint.url(in: target.directory))
            unwritten = false
        }
        condition.unlock()
    }

    private func writeInBackground() {
        condition.lock()
        let target = target!
        condition.unlock()
        var failed: TrainingError?
        if let data = snapshot.encode(for: target) {
            pauseIfAsked(epoch: snapshot.state?.epoch ?? 0)
            do { try Checkpoint.write(data, to: Checkpoint.url(in: target.directory)) } catch { failed = error }
        }
        condition.lock()
        writing = false
        if let failed { failure = failed } else { unwritten = false; writtenCount += 1 }
        condition.broadcast()
        condition.unlock()
    }

    /// Test-only hook, so that a test can kill a worker while a background write is in flight: while the pause file
    /// exists and holds this epoch's number (or nothing), the write waits, after creating `<file>.waiting`.
    private func pauseIfAsked(epoch: Int) {
        guard let pauseFile, let text = try? String(contentsOfFile: pauseFile, encoding: .utf8) else { return }
        let wanted = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard wanted.isEmpty || Int(wanted) == epoch else { return }
        _ = FileManager.default.createFile(atPath: pauseFile + ".waiting", contents: Data("\(epoch)\n".utf8))
        while FileManager.default.fileExists(atPath: pauseFile) { usleep(10_000) }
    }
}
