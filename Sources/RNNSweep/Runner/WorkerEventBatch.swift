import Foundation
import RNNTraining

/// A local worker's event lines, joined into one write while its epochs are short. Every write wakes the
/// coordinator's reader thread and its loop, which decode, log and commit what arrived (one transaction per wake-up):
/// with epochs of a fraction of a millisecond that cost the coordinator as much CPU per epoch as the epoch itself,
/// taken from the workers when they share the cores. An epoch event shorter than `shortEpoch` waits here until
/// `interval` has passed since the oldest waiting line, or until any other event or line (started, progress,
/// finished, paused, an error, the trial's end), which goes out at once behind the waiting ones, in order; a longer
/// epoch, and the trial's last (the `started` event's `epochs`), go out at once. So a waiting line waits at most
/// `interval` or one short epoch more. The last epoch goes out before the test pass and the last checkpoint's wait,
/// so that the coordinator handles the trial's epochs while the worker finishes it: all of them arriving with the
/// trial's end would delay the next trial's request by their handling (3 ms of 100 short epochs, measured).
///
/// What a waiting epoch event means: that epoch was trained (its checkpoint may be on disk already), as for an event
/// in flight. A worker that is killed loses it, as a crash lost an event not yet read; the next attempt's `started`
/// event brings the checkpoint's history, which the coordinator records again. A stop (SIGTERM) writes what is
/// waiting first (``flush()``).
final class WorkerEventBatch: @unchecked Sendable {
    /// How long the oldest waiting line may wait: a few writes per small trial, far fewer than its epochs.
    static let defaultInterval: Duration = .milliseconds(10)
    /// Epochs shorter than this wait (in seconds); a longer one is worth its own write.
    static let shortEpoch = 0.005

    private let interval: Duration
    private let write: (String) -> Void
    private let lock = NSLock()
    private var waiting: [String] = []
    private var oldest: ContinuousClock.Instant?
    /// The epochs of the trial under way (its `started` event's); its last epoch is not kept.
    private var epochs = Int.max

    /// `write` receives one or more lines joined by newlines, without the last newline.
    init(interval: Duration = defaultInterval, write: @escaping (String) -> Void) {
        self.interval = interval
        self.write = write
    }

    /// Sends `event`, or keeps it for the next write when it is a short epoch and the oldest waiting line is younger
    /// than the interval.
    func send(_ event: TrainingEvent) {
        lock.lock()
        defer { lock.unlock() }
        waiting.append(event.jsonLine)
        if case .started(let started) = event { epochs = started.epochs }
        if case .epoch(let metrics) = event, metrics.seconds < Self.shortEpoch, metrics.epoch < epochs {
            let now = ContinuousClock.now
            let first = oldest ?? now
            oldest = first
            if now - first < interval { return }
        }
        flushLocked()
    }

    /// Sends `line` (one that is not a training event) behind the waiting ones.
    func send(line: String) {
        lock.lock()
        defer { lock.unlock() }
        waiting.append(line)
        flushLocked()
    }

    /// Writes the waiting lines, if any.
    func flush() {
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
    }

    private func flushLocked() {
        guard !waiting.isEmpty else { return }
        let text = waiting.joined(separator: "\n")
        waiting.removeAll(keepingCapacity: true)
        oldest = nil
        write(text)
    }
}
