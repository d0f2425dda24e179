import Foundation

/// A local worker's stdin: one request per line, read by a thread of its own so that end-of-file is noticed at once.
///
/// End-of-file between trials (the coordinator has no more work for this worker, or is gone) ends the request
/// stream; end-of-file while a trial trains means the coordinator died, and the process exits at once with
/// ``WorkerExit/orphaned``, as a one-trial worker always did: nobody is left to record the trial.
final class WorkerRequestStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var lines: [String] = []
    private var ended = false
    private var training = false

    /// Starts reading `fd` (stdin); `beforeOrphanedExit` runs before the process exits at end-of-file in a trial.
    init(fd: Int32 = 0, beforeOrphanedExit: @escaping @Sendable () -> Void = {}) {
        let thread = Thread { [self] in
            var splitter = LineSplitter()
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = read(fd, &buffer, buffer.count)
                // A signal handled on this thread (libdispatch's relay handler, without SA_RESTART) interrupts the
                // read: that is no end-of-file. Taken for one, a worker being stopped exited as orphaned, beside its
                // own stop handler (seen in WorkerStopTests). The worker now blocks SIGTERM here; other signals may
                // still come.
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                let complete = splitter.append(Data(buffer[0..<count]))
                condition.lock()
                lines.append(contentsOf: complete.filter { !$0.isEmpty })
                condition.broadcast()
                condition.unlock()
            }
            condition.lock()
            if training {
                beforeOrphanedExit()
                _exit(WorkerExit.orphaned)
            }
            ended = true
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }

    /// Marks the trial over, before its end line is written: end-of-file from then on (a coordinator that has no
    /// more work closes stdin as soon as it reads that line) ends the stream instead of the process.
    func trialOver() {
        condition.lock()
        training = false
        condition.unlock()
    }

    /// The next request line, or nil at end-of-file. From its return until ``trialOver()``, the worker counts as
    /// training.
    func next() -> String? {
        condition.lock()
        defer { condition.unlock() }
        training = false
        while lines.isEmpty && !ended { condition.wait() }
        guard !lines.isEmpty else { return nil }
        training = true
        return lines.removeFirst()
    }
}
