import Foundation
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
    private let process = Process()
    private let out = PipeCollector()
    private let err = PipeCollector()

    /// Starts `rnnsweep ARGUMENTS` (or another `executable`) in `directory`.
    init(_ arguments: [String], in directory: URL, executable: URL = RNNSweepBinary.url) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try Self.withInterruptSignalsBlocked { try process.run() }
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
        kill(process.processIdentifier, signal)
    }

    /// Waits for end-of-file on both pipes, then for the exit.
    func wait() -> CommandResult {
        let stdout = out.text()
        let stderr = err.text()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            stdout: stdout, stderr: stderr)
    }
}

/// Reads a pipe to end-of-file on its own thread.
private final class PipeCollector: @unchecked Sendable {
    private let done = NSCondition()
    private var data = Data()
    private var finished = false

    func drain(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let all = handle.readDataToEndOfFile()
            done.lock()
            data = all
            finished = true
            done.broadcast()
            done.unlock()
        }
    }

    func text() -> String {
        done.lock()
        defer { done.unlock() }
        while !finished { done.wait() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Runs `rnnsweep ARGUMENTS` in `directory` to completion.
func rnnsweep(_ arguments: [String], in directory: URL) throws -> CommandResult {
    try CommandProcess(arguments, in: directory).wait()
}
