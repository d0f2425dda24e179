import Foundation
import RNNTraining
import Spawn

/// One `rnnsweep worker` child process, seen from the coordinator: it trains the trials sent to it one after the
/// other (``SweepWorker``), each request a line on its stdin.
///
/// A ``ChildProcess`` with three pipes. A reader thread turns stdout into `LaunchEvent`s for the trial it runs
/// now, and ends that trial (`.ended`, with the status the worker reports) at its end-of-trial line
/// (``WorkerTrialEnd``); another keeps the last lines of stderr. Both pipes are drained before the process is waited
/// for (a child writing more than the 64 KiB pipe buffer would otherwise deadlock). When the process dies during a
/// trial — a crash, a kill, a signal — that trial alone ends, with how the process ended, after every stdout line has
/// been delivered; the process is then finished, and its launcher starts another for the next trial.
final class WorkerProcess: @unchecked Sendable {
    private let process: ChildProcess
    private let stdin = Pipe()
    private let stdout = Pipe()
    private let stderr = Pipe()
    private let stderrTail = LineTail(limit: 30)
    private let lock = NSLock()
    /// Where the events of the trial it runs now go; nil between trials.
    private var current: (@Sendable (LaunchEvent) -> Void)?
    private var exited = false
    /// Signalled once the process has exited, been reaped, and its every line delivered.
    private let gone = DispatchSemaphore(value: 0)
    /// The compute threads it was started with (`OMP_NUM_THREADS`): a request for another count gets a new process.
    let threads: Int

    var pid: Int32 { process.processIdentifier }

    init(threads: Int, executable: URL) {
        self.threads = threads
        process = ChildProcess(executableURL: executable, arguments: ["worker"])
    }

    /// True while it is alive and runs no trial: it can take the next one.
    var isIdle: Bool {
        lock.lock()
        defer { lock.unlock() }
        return current == nil && !exited
    }

    /// Starts the process; it waits for its first request.
    func start() throws {
        process.standardInput = .pipe(stdin)
        process.standardOutput = .pipe(stdout)
        process.standardError = .pipe(stderr)
        var environment = ProcessInfo.processInfo.environment
        // One compute thread per worker unless asked otherwise: two threads in one process measured slower than one
        // whenever the other core was busy.
        environment["OMP_NUM_THREADS"] = String(threads)
        process.environment = environment
        try process.run()

        let stderrReader = Thread { [stderr, stderrTail] in
            let handle = stderr.fileHandleForReading
            while case let data = handle.availableData, !data.isEmpty { stderrTail.append(data) }
            stderrTail.markFinished()
        }
        stderrReader.start()
        let stdoutHandle = stdout.fileHandleForReading
        let stdoutReader = Thread { [self] in
            var lines = LineSplitter()
            while case let data = stdoutHandle.availableData, !data.isEmpty {
                for text in lines.append(data) where !text.isEmpty { read(line: text) }
            }
            process.waitUntilExit()
            stderrTail.waitForEOF(timeout: 2)
            let signal: Int32? = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
            let status = process.terminationStatus
            lock.lock()
            let deliver = current
            current = nil
            exited = true
            lock.unlock()
            deliver?(
                .ended(
                    TrialEnd(
                        exitStatus: signal == nil ? status : nil, signal: signal, stderrTail: stderrTail.text,
                        how: signal.map { "killed by signal \($0)" } ?? "exited with status \(status)")))
            gone.signal()
        }
        stdoutReader.start()
    }

    /// Sends it its next trial; `deliver` is called from a background thread, in order, and last with `.ended`.
    /// A process that died meanwhile ends the trial as a crash would.
    func send(_ request: WorkerRequest, deliver: @escaping @Sendable (LaunchEvent) -> Void) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var line = try encoder.encode(request)
        line.append(0x0A)
        lock.lock()
        precondition(current == nil, "a worker runs one trial at a time")
        current = deliver
        lock.unlock()
        // A write to a worker that just died fails (SIGPIPE is ignored): its reader thread ends the trial.
        try? stdin.fileHandleForWriting.write(contentsOf: line)
    }

    /// One line of stdout: an event of the current trial, or its end.
    private func read(line: String) {
        if let end = WorkerTrialEnd(jsonLine: line) {
            lock.lock()
            let deliver = current
            current = nil
            lock.unlock()
            // Only what it wrote to stderr during this trial (stderr is a pipe of its own, so a line written just
            // before the end may land in the next trial's tail: the tail is a diagnostic, not a record).
            let tail = stderrTail.take()
            deliver?(
                .ended(
                    TrialEnd(
                        exitStatus: end.status, signal: nil, stderrTail: tail, how: "exited with status \(end.status)"))
            )
            return
        }
        lock.lock()
        let deliver = current
        lock.unlock()
        if let event = try? TrainingEvent(jsonLine: line) {
            deliver?(.event(event))
        } else {
            deliver?(.unparsable(line))
        }
    }

    /// Closes its stdin: an idle worker exits at once, a training one (the coordinator is going) too.
    func finish() {
        try? stdin.fileHandleForWriting.close()
    }

    /// Closes its stdin and waits until it has exited and been reaped (killing it after `seconds`): a coordinator
    /// leaves no worker behind, not even a zombie its own parent might never reap.
    func finish(waitingUpTo seconds: Double) {
        finish()
        if gone.wait(timeout: .now() + seconds) == .timedOut {
            kill9()
            _ = gone.wait(timeout: .now() + seconds)
        }
    }

    /// Asks the worker to stop (SIGTERM); its last checkpoint stays valid because checkpoints are written atomically.
    func terminate() {
        process.send(SIGTERM)
    }

    /// Ends the worker now (SIGKILL): for a stalled or stopped process, which never acts on SIGTERM.
    func kill9() {
        process.send(SIGKILL)
    }
}

/// Splits a byte stream into lines (without the newline); a trailing partial line waits for more bytes.
///
/// A worker's short epochs arrive dozens of lines to a read: each line is cut out where it lies, and the consumed
/// bytes are dropped once per call (dropping them line by line moved the rest of the buffer each time).
struct LineSplitter {
    private var buffer: [UInt8] = []

    /// The complete lines `data` finishes.
    mutating func append(_ data: Data) -> [String] {
        buffer.append(contentsOf: data)
        var lines: [String] = []
        var start = 0
        buffer.withUnsafeBufferPointer { bytes in
            while let newline = bytes[start...].firstIndex(of: 0x0A) {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<newline]), as: UTF8.self))
                start = newline + 1
            }
        }
        buffer.removeFirst(start)
        return lines
    }
}
