import Foundation
import RNNTraining

/// One `rnnsweep worker` child process running one trial, seen from the coordinator.
///
/// Foundation `Process` with three pipes. A reader thread turns stdout into `TrainingEvent`s; another keeps the last
/// lines of stderr. Both pipes are drained before the process is waited for (a child writing more than the 64 KiB pipe
/// buffer would otherwise deadlock), and the exit is reported only after every stdout line has been delivered.
final class WorkerProcess: @unchecked Sendable {
    private let process = Process()
    private let stdin = Pipe()
    private let stdout = Pipe()
    private let stderr = Pipe()
    private let stderrTail = LineTail(limit: 30)

    var pid: Int32 { process.processIdentifier }

    /// Starts the worker and sends it its request. `deliver` is called from a background thread, in order, and
    /// last with `.ended`.
    func start(executable: URL, request: WorkerRequest, deliver: @escaping @Sendable (LaunchEvent) -> Void) throws {
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
            var lines = LineSplitter()
            while case let data = stdoutHandle.availableData, !data.isEmpty {
                for text in lines.append(data) where !text.isEmpty {
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
            let status = process.terminationStatus
            deliver(
                .ended(
                    TrialEnd(
                        exitStatus: signal == nil ? status : nil, signal: signal, stderrTail: stderrTail.text,
                        how: signal.map { "killed by signal \($0)" } ?? "exited with status \(status)")))
        }
        stdoutReader.start()
    }

    /// Asks the worker to stop (SIGTERM); its last checkpoint stays valid because checkpoints are written atomically.
    func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    }

    /// Ends the worker now (SIGKILL): for a stalled or stopped process, which never acts on SIGTERM.
    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Splits a byte stream into lines (without the newline); a trailing partial line waits for more bytes.
struct LineSplitter {
    private var buffer = Data()

    /// The complete lines `data` finishes.
    mutating func append(_ data: Data) -> [String] {
        buffer.append(data)
        var lines: [String] = []
        while let newline = buffer.firstIndex(of: 0x0A) {
            lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
        return lines
    }
}
