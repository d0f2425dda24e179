import Foundation
import RNNEngine

/// Writes a run's checkpoints. In the background (the default), each epoch boundary copies the model, the
/// optimizer's slots and the training state into a ``CheckpointSnapshot`` (two sets of buffers, allocated once),
/// and a thread encodes and writes it (atomically: ``AtomicFile``, temporary file + fsync + rename) while the next
/// epochs train. Training never waits for a write: a boundary copies into the buffers the write in flight is not
/// reading (unless it holds a due copy and this epoch is not due), and when the write ends, the thread writes the
/// newest due copy. A due epoch whose copy a newer due one replaced before its write began is never written
/// (`superseded` counts them): the newer checkpoint holds everything it would have. Waiting instead cost a small
/// model more than its epochs whenever a write outlasted an epoch (a few milliseconds of fsync, or a writer thread
/// descheduled on a busy machine). And the writes take at most `writeShare` of the time: after a write of w seconds
/// the next begins w / `writeShare` seconds after the last began, at the earliest, because the writer's CPU is not
/// free when every core trains (2 workers on 2 cores), and a small model's epochs are as short as a write.
/// Synchronously, the checkpoint is written from the live model at the boundary, as before background writing
/// existed: the path tests compare with.
///
/// What an `epoch` event means: the epoch was trained, not that its checkpoint is on disk. The epoch event goes out
/// at once, while its checkpoint may still be written (or, with `checkpoint_every` above 1, not be due). A crash
/// then loses the epochs after the last checkpoint on disk: with `checkpoint_every` N, at most N of them plus those
/// trained in 1 / `writeShare` times a write's duration (20 × a few milliseconds), plus the one in progress. The
/// next attempt's `started` event says which epoch it resumes from (`resumedFromEpoch`, read from the file), the
/// recorder deletes the rows after it and records them again as they are re-trained, and the schedulers forget
/// those epochs (`resumed(trial:from:)`), so the results are bit-identical to an uninterrupted run's. What still
/// means "on disk" is the end of an attempt: `finished` and `paused` are sent only after ``finish()``, which waits
/// for the newest due copy, so a paused trial resumes from its rung and a completed one from its last epoch, as
/// before.
public final class CheckpointWriter: @unchecked Sendable {
    public enum Mode: Sendable {
        case background, synchronous
    }

    public let mode: Mode
    /// Test-only (`RNNSWEEP_TEST_CHECKPOINT_PAUSE`, which only the worker reads): see `pauseIfAsked`.
    private let pauseFile: String?
    /// Guards every property below; background writes signal it when they end.
    private let condition = NSCondition()
    /// Two copies: one a write may be reading, one the next boundary fills.
    private let snapshots = [CheckpointSnapshot(), CheckpointSnapshot()]
    private var targets: [CheckpointTarget?] = [nil, nil]
    /// The copy being written by the background thread (which alone reads it meanwhile).
    private var inFlight: Int?
    /// The writer thread is alive: writing, or waiting for its share of the time to pass before the next write.
    private var writerAlive = false
    /// An attempt's end (or the process's) waits for the writer: the next write begins without waiting for its share.
    private var hurry = false
    /// The newest copy that is not on disk and not being written, and whether it is due.
    private var newest: (index: Int, due: Bool)?
    /// A background write's error, thrown at the next boundary or at `finish`.
    private var failure: TrainingError?
    /// The process is ending (``stop()``): no boundary goes on.
    private var stopping = false
    private var writtenCount = 0
    private var supersededCount = 0

    /// The largest share of the time background writes may take (see the type's comment).
    public static let writeShare = 0.05

    public init(mode: Mode = .background, testPauseFile: String? = nil) {
        self.mode = mode
        pauseFile = testPauseFile
    }

    /// Checkpoints written so far, and due epochs whose copy a newer one replaced before it was written.
    public var statistics: (written: Int, superseded: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (writtenCount, supersededCount)
    }

    /// The epoch boundary of `state.epoch`: throws the error of a write that failed, and, when `due`, has this
    /// epoch's checkpoint written (in the background, or now). In the background mode the epoch is copied even when
    /// not due, so that a stop can write it (``stop()``).
    func checkpoint(
        model: any SequenceModel, optimizer: any Optimizer, state: TrainingState, target: CheckpointTarget, due: Bool
    ) throws(TrainingError) {
        condition.lock()
        defer { condition.unlock() }
        // Once stopping, never again: the process is ending, and this epoch must not start another write.
        while stopping { condition.wait() }
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
            // A due copy waiting for its write is replaced only by a newer due epoch (counted as superseded), so
            // that what is on disk is always a due epoch; a stop writes the newest copy there is.
            if let waiting = newest, waiting.due {
                guard due else { return }
                supersededCount += 1
            }
            let index = inFlight.map { 1 - $0 } ?? newest?.index ?? 0
            snapshots[index].capture(model: model, optimizer: optimizer, state: state)
            targets[index] = target
            newest = (index, due)
            if !writerAlive && due { startWriter() }
        }
    }

    /// The attempt ends soon (``finish()`` follows): the writer writes the newest due copy without waiting for its
    /// share of the time, while the caller does its last work (the test pass).
    func hurryLastWrite() {
        condition.lock()
        hurry = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every due copy is on disk and throws the error of a write that failed.
    func finish() throws(TrainingError) {
        condition.lock()
        defer { condition.unlock() }
        awaitWriter()
        if let failure {
            self.failure = nil
            throw failure
        }
    }

    /// Waits for the writes in flight, ignoring their outcome: for a run that ends with another error.
    func settle() {
        condition.lock()
        awaitWriter()
        condition.unlock()
    }

    /// Waits, with the lock held, until the writer has written every due copy (hurrying it past its share).
    private func awaitWriter() {
        hurry = true
        condition.broadcast()
        while writerAlive { condition.wait() }
        hurry = false
    }

    /// Before the process ends on a stop signal: waits for the writes in flight, then writes the newest copy if it is
    /// not on disk (an epoch `checkpoint_every` did not make due) and no write failed. Every later epoch boundary
    /// blocks: the caller ends the process. Errors are ignored; the previous checkpoint stays valid.
    public func stop() {
        condition.lock()
        stopping = true
        awaitWriter()
        // Not after a failed write (a full disk): the previous checkpoint stays, and the space stays free.
        if let newest, failure == nil, let target = targets[newest.index],
            let data = snapshots[newest.index].encode(for: target)
        {
            try? Checkpoint.write(data, to: Checkpoint.url(in: target.directory))
            self.newest = nil
        }
        condition.unlock()
    }

    /// Starts the writer thread on the newest copy; called with the lock held, when no writer is alive.
    private func startWriter() {
        writerAlive = true
        let thread = Thread { [self] in writeInBackground() }
        thread.start()
    }

    /// Writes the newest due copy, and again while boundaries make new ones, each write beginning no sooner than its
    /// share of the time allows (unless an attempt's end waits); ends when no due copy is left or a write failed.
    private func writeInBackground() {
        let clock = ContinuousClock()
        condition.lock()
        var earliest = clock.now
        while failure == nil, let next = newest, next.due {
            if !hurry && clock.now < earliest {
                // Woken early by a boundary or an end; the loop looks again.
                _ = condition.wait(until: Date() + (earliest - clock.now).seconds)
                continue
            }
            inFlight = next.index
            newest = nil
            let target = targets[next.index]!
            condition.unlock()
            let began = clock.now
            var failed: TrainingError?
            if let data = snapshots[next.index].encode(for: target) {
                pauseIfAsked(epoch: snapshots[next.index].state?.epoch ?? 0)
                do { try Checkpoint.write(data, to: Checkpoint.url(in: target.directory)) } catch { failed = error }
            }
            earliest = began + (clock.now - began) / Self.writeShare
            condition.lock()
            inFlight = nil
            if let failed { failure = failed } else { writtenCount += 1 }
            condition.broadcast()
        }
        writerAlive = false
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
