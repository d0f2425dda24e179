import Foundation
import Spawn
import Testing

/// The `rnnsweep` binary that `swift build --build-tests` put next to the test bundle.
enum RNNSweepBinary {
    static let url: URL = {
        // On Linux `Bundle.main` is the test runner in `.build/<configuration>/`, next to the product.
        let nextToBundle = Bundle.main.bundleURL.appendingPathComponent("rnnsweep")
        if FileManager.default.isExecutableFile(atPath: nextToBundle.path) { return nextToBundle }
        // macOS: the bundle is `…/rnnsweepPackageTests.xctest`, one level deeper.
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("rnnsweep")
    }()
}

/// What a finished `rnnsweep` process did.
struct CommandResult: Sendable, CustomStringConvertible {
    var status: Int32
    /// True when a signal ended it (`status` is then the signal number).
    var signaled: Bool
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\(signaled ? " (signal)" : "")\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
}

/// One `rnnsweep` child process with both output pipes drained by background threads (a child that fills a
/// 64 KiB pipe buffer would otherwise block forever), so it can run while the test polls the database.
final class CommandProcess: @unchecked Sendable {
    private let process: ChildProcess
    private let out = PipeCollector()
    private let err = PipeCollector()
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `rnnsweep ARGUMENTS` (or another `executable`) in `directory`.
    /// `standardOutput` replaces the pipe (e.g. `/dev/full`); `stdout` is then empty. `environment` is added to
    /// this process's.
    init(
        _ arguments: [String], in directory: URL, executable: URL = RNNSweepBinary.url,
        standardOutput: FileHandle? = nil, environment: [String: String] = [:]
    ) throws {
        process = ChildProcess(executableURL: executable, arguments: arguments)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = directory
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = standardOutput.map { .handle($0) } ?? .pipe(stdout)
        process.standardError = .pipe(stderr)
        process.standardInput = .nullDevice
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        try Self.withInterruptSignalsBlocked { try process.run() }
        if standardOutput != nil { try? stdout.fileHandleForWriting.close() }  // unused: let its reader see EOF
        out.drain(stdout.fileHandleForReading)
        err.drain(stderr.fileHandleForReading)
    }

    var pid: Int32 { process.processIdentifier }

    /// Runs `body` with SIGINT and SIGTERM blocked on this thread, so that the child starts with them blocked.
    /// Every child of a libdispatch worker thread (the threads tests run on) inherits that mask on Linux; doing it
    /// explicitly makes the condition the same everywhere, and rnnsweep must unblock the signals it relies on.
    private static func withInterruptSignalsBlocked(_ body: () throws -> Void) rethrows {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGINT)
        sigaddset(&blocked, SIGTERM)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try body()
    }

    func send(_ signal: Int32) {
        process.send(signal)
    }

    /// Waits for the exit, then for end-of-file on both pipes. A process still running after `limit` is killed and
    /// the test fails with what it printed so far: a hang must end the test, never the CI job.
    func wait(
        limit: Duration = processTimeout, sourceLocation: SourceLocation = #_sourceLocation
    ) -> CommandResult {
        if exited.wait(timeout: .now() + limit.timeInterval) == .timedOut {
            process.send(SIGKILL)
            exited.wait()
            let name = process.executableURL.lastPathComponent
            let command = ([name] + process.arguments).joined(separator: " ")
            let printed = "stdout:\n\(out.text(within: .seconds(5)))\nstderr:\n\(err.text(within: .seconds(5)))"
            Issue.record(
                "killed `\(command)` after \(limit): still running\n\(printed)", sourceLocation: sourceLocation)
        }
        // A descendant that inherited the pipes (a worker outliving the coordinator) may hold them open briefly.
        let stdout = out.text(within: .seconds(30))
        let stderr = err.text(within: .seconds(30))
        return CommandResult(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            stdout: stdout, stderr: stderr)
    }
}

/// Upper bound for one `rnnsweep` (or helper) process in a test: far above the longest one (tiny data, seconds),
/// it only turns a hang into a failure.
let processTimeout: Duration = .seconds(600)

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

/// Reads a pipe to end-of-file on its own thread, keeping what has arrived so far.
private final class PipeCollector: @unchecked Sendable {
    private let done = NSCondition()
    private var data = Data()
    private var finished = false

    func drain(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                done.lock()
                if chunk.isEmpty { finished = true }
                data.append(chunk)
                done.broadcast()
                done.unlock()
                if chunk.isEmpty { return }
            }
        }
    }

    /// Everything up to end-of-file, or what arrived within `limit` when the pipe stays open longer.
    func text(within limit: Duration) -> String {
        let deadline = Date(timeIntervalSinceNow: limit.timeInterval)
        done.lock()
        defer { done.unlock() }
        while !finished && done.wait(until: deadline) {}
        return String(decoding: data, as: UTF8.self)
    }
}

/// Runs `rnnsweep ARGUMENTS` in `directory` to completion.
func rnnsweep(_ arguments: [String], in directory: URL) throws -> CommandResult {
    try CommandProcess(arguments, in: directory).wait()
}
