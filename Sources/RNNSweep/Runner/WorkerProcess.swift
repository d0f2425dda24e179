import Foundation
import RNNTraining

/// One `rnnsweep worker` child process running one trial, seen from the coordinator.
///
/// Foundation `Process` with three pipes. A reader thread turns stdout into `TrainingEvent`s; another keeps the last
/// lines of stderr. Both pipes are drained before the process is waited for (a child writing more than the 64 KiB pipe
/// buffer would otherwise deadlock), and the exit is reported only after every stdout line has been delivered.
final class WorkerProcess: @unchecked Sendable {
    enum Message: Sendable {
        case event(TrainingEvent)
        case unparsable(String)
        case exited(status: Int32, signal: Int32?, stderrTail: String)
    }

    let trial: String
    let slot: Int
    private let process = Process()
    private let stdin = Pipe()
    private let stdout = Pipe()
    private let stderr = Pipe()
    private let stderrTail = LineTail(limit: 30)
    let spawnedAt = ContinuousClock.now

    var pid: Int32 { process.processIdentifier }

    init(trial: String, slot: Int) {
        self.trial = trial
        self.slot = slot
    }

    /// Starts the worker and sends it its request. `deliver` is called from a background thread, in order.
    func start(executable: URL, request: WorkerRequest, deliver: @escaping @Sendable (Message) -> Void) throws {
        process.executableURL = executable
        process.arguments = ["worker"]
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        var environment = ProcessInfo.processInfo.environment
        // One compute thread per worker unless asked otherwise: two threads in one process measured slower than one
        // whenever the other core was busy.
        environment["OMP_NUM_THREADS"] = String(request.threads)
        process.environment = environment
        try process.run()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var line = try encoder.encode(request)
        line.append(0x0A)
        try? stdin.fileHandleForWriting.write(contentsOf: line)

        let stderrReader = Thread { [stderr, stderrTail] in
            let handle = stderr.fileHandleForReading
            while case let data = handle.availableData, !data.isEmpty { stderrTail.append(data) }
            stderrTail.markFinished()
        }
        stderrReader.start()
        let process = self.process
        let stdoutHandle = stdout.fileHandleForReading
        let stderrTail = self.stderrTail
        let stdoutReader = Thread {
            var buffer = Data()
            while case let data = stdoutHandle.availableData, !data.isEmpty {
                buffer.append(data)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    let text = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...newline)
                    if text.isEmpty { continue }
                    if let event = try? TrainingEvent(jsonLine: text) {
                        deliver(.event(event))
                    } else {
                        deliver(.unparsable(text))
                    }
                }
            }
            process.waitUntilExit()
            stderrTail.waitForEOF(timeout: 2)
            let signal: Int32? = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
            deliver(.exited(status: process.terminationStatus, signal: signal, stderrTail: stderrTail.text))
        }
        stdoutReader.start()
    }

    /// Asks the worker to stop (SIGTERM); its last checkpoint stays valid because checkpoints are written atomically.
    func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    }

    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Closes the request pipe (the worker exits on EOF if it is still waiting).
    func closeInput() { try? stdin.fileHandleForWriting.close() }
}

/// The last `limit` lines written to a stream, thread-safe.
final class LineTail: @unchecked Sendable {
    private let lock = NSCondition()
    private var data = Data()
    private var finished = false
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func append(_ chunk: Data) {
        lock.lock()
        data.append(chunk)
        if data.count > 64 * 1024 { data = data.suffix(16 * 1024) }
        lock.unlock()
    }

    func markFinished() {
        lock.lock()
        finished = true
        lock.broadcast()
        lock.unlock()
    }

    func waitForEOF(timeout: Double) {
        lock.lock()
        let deadline = Date().addingTimeInterval(timeout)
        while !finished && lock.wait(until: deadline) {}
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return lines.suffix(limit).joined(separator: "\n")
    }
}
