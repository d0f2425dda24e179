import CProcessControl
import Foundation

/// A child process, started the way Foundation's `Process` starts one (its own process group, every descriptor but
/// its standard three closed, the caller's signal mask and dispositions), by one `posix_spawn` in C.
///
/// Why not `Process`: on Linux its `run()` can die of SIGSEGV (swift-corelibs-foundation #5472, not fixed in Swift
/// 6.3.1): before each spawn it lists `/proc/self/fd`, copying 256 bytes of every entry's name, and an entry at the
/// end of readdir's buffer makes that copy read an unmapped page. A coordinator starts workers and runs `squeue`
/// all night; the crash hit a CI run once. Why not swift-subprocess (in the mirror): its API is `async` only, and
/// every caller here (the coordinator's launchers, the Slurm client, the build's commit stamp, the test harness)
/// runs processes from plain threads that block on them.
///
/// The process is reaped by a thread of its own, which then wakes ``waitUntilExit()`` and calls
/// ``terminationHandler``.
public final class ChildProcess: @unchecked Sendable {
    /// Where one of the child's standard streams comes from or goes.
    public enum Stream {
        /// This process's own.
        case inherit
        /// `/dev/null`.
        case nullDevice
        /// The pipe's reading end for stdin, its writing end for stdout and stderr. This process closes its copy of
        /// that end once the child has started (as `Process` does), so that the other end sees end-of-file when the
        /// child exits.
        case pipe(Pipe)
        /// An open file, left open.
        case handle(FileHandle)
    }

    /// How a finished process ended.
    public enum TerminationReason: Sendable, Equatable {
        case exit, uncaughtSignal
    }

    public let executableURL: URL
    public var arguments: [String]
    /// The child's whole environment; nil: this process's.
    public var environment: [String: String]?
    public var currentDirectoryURL: URL?
    public var standardInput: Stream = .inherit
    public var standardOutput: Stream = .inherit
    public var standardError: Stream = .inherit
    /// Called once, on the reaping thread, after the process has exited and been reaped.
    public var terminationHandler: (@Sendable (ChildProcess) -> Void)?

    private let condition = NSCondition()
    private var pid: pid_t = 0
    private var ended: (reason: TerminationReason, status: Int32)?

    public init(executableURL: URL, arguments: [String] = []) {
        self.executableURL = executableURL
        self.arguments = arguments
    }

    /// The process's id; 0 before ``run()``.
    public var processIdentifier: Int32 {
        condition.lock()
        defer { condition.unlock() }
        return pid
    }

    /// Started and not yet reaped.
    public var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return pid != 0 && ended == nil
    }

    /// Starts the process. Throws when it cannot start (an executable that is missing or cannot be run included).
    public func run() throws(ChildProcessError) {
        precondition(processIdentifier == 0, "a ChildProcess runs once")
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        func descriptor(_ stream: Stream, reading: Bool) throws(ChildProcessError) -> Int32 {
            switch stream {
            case .inherit: return -1
            case .nullDevice:
                let fd = open("/dev/null", (reading ? O_RDONLY : O_WRONLY) | O_CLOEXEC)
                guard fd >= 0 else { throw ChildProcessError(executable: executableURL.path, errno: errno) }
                opened.append(fd)
                return fd
            case .pipe(let pipe):
                return reading ? pipe.fileHandleForReading.fileDescriptor : pipe.fileHandleForWriting.fileDescriptor
            case .handle(let handle): return handle.fileDescriptor
            }
        }
        let input = try descriptor(standardInput, reading: true)
        let output = try descriptor(standardOutput, reading: false)
        let error = try descriptor(standardError, reading: false)

        let environment = (self.environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([executableURL.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var child: pid_t = 0
        let result = argv.withUnsafeBufferPointer { argvBuffer in
            envp.withUnsafeBufferPointer { envpBuffer in
                rnnsweep_spawn(
                    &child, executableURL.path, argvBuffer.baseAddress, envpBuffer.baseAddress,
                    currentDirectoryURL?.path, input, output, error)
            }
        }
        guard result == 0 else { throw ChildProcessError(executable: executableURL.path, errno: result) }
        // The child holds its ends now; ours would keep the pipes open after it exits.
        if case .pipe(let pipe) = standardInput { try? pipe.fileHandleForReading.close() }
        if case .pipe(let pipe) = standardOutput { try? pipe.fileHandleForWriting.close() }
        if case .pipe(let pipe) = standardError { try? pipe.fileHandleForWriting.close() }

        let started = child
        condition.lock()
        pid = started
        condition.unlock()
        let reaper = Thread { [self] in reap(started) }
        reaper.name = "reap \(started)"
        reaper.start()
    }

    /// Waits for the process to exit (blocking this thread), then records how it ended.
    /// The zombie is reaped with the lock held, so that ``send(_:)`` never signals an id the system has reused.
    private func reap(_ child: pid_t) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(child), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        condition.lock()
        var status: Int32 = 0
        let reaped = waitpid(child, &status, 0) == child
        // WIFSIGNALED / WTERMSIG / WEXITSTATUS are macros Swift cannot import. Not reaped (SIGCHLD ignored, so the
        // system reaped it): how it ended is unknown, and shown as status -1.
        let signal = status & 0x7f
        ended =
            !reaped
            ? (.exit, -1) : signal != 0 && signal != 0x7f ? (.uncaughtSignal, signal) : (.exit, (status >> 8) & 0xff)
        condition.broadcast()
        condition.unlock()
        terminationHandler?(self)
    }

    /// Blocks until the process has exited and been reaped.
    public func waitUntilExit() {
        condition.lock()
        defer { condition.unlock() }
        precondition(pid != 0, "waitUntilExit before run")
        while ended == nil { condition.wait() }
    }

    /// Waits at most `seconds` for the exit; true when it has exited.
    public func waitUntilExit(timeout seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while ended == nil { if !condition.wait(until: deadline) { break } }
        return ended != nil
    }

    /// The exit status, or the signal's number when one ended it (see ``terminationReason``). Only once it exited.
    public var terminationStatus: Int32 { termination.status }

    public var terminationReason: TerminationReason { termination.reason }

    private var termination: (reason: TerminationReason, status: Int32) {
        condition.lock()
        defer { condition.unlock() }
        guard let ended else { preconditionFailure("the process has not exited yet") }
        return ended
    }

    /// Sends `signal` to the process while it has not been reaped (after that its id may belong to another).
    public func send(_ signal: Int32) {
        condition.lock()
        defer { condition.unlock() }
        if pid != 0 && ended == nil { kill(pid, signal) }
    }

    /// SIGTERM.
    public func terminate() { send(SIGTERM) }
}

/// A process that could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var executable: String
    public var errno: Int32

    public var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
}
