import Foundation
import Spawn
import Testing

/// `ChildProcess` against real processes: statuses, signals, streams, descriptors, process groups, and many spawns
/// at once from several threads with many descriptors open (the load under which Foundation's `Process.run()` can
/// crash, swift-corelibs-foundation #5472).
struct ChildProcessTests {
    static let shell = URL(fileURLWithPath: "/bin/sh")

    /// Runs `sh -c script`, returns its stdout, stderr and how it ended.
    func run(
        _ script: String, environment: [String: String]? = nil, directory: URL? = nil
    ) throws -> (out: String, err: String, reason: ChildProcess.TerminationReason, status: Int32) {
        let process = ChildProcess(executableURL: Self.shell, arguments: ["-c", script])
        process.environment = environment
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = .pipe(out)
        process.standardError = .pipe(err)
        process.standardInput = .nullDevice
        try process.run()
        // Both drained before the wait: the pipes end when the child exits, because our writing ends are closed.
        let errorData = Collected(err.fileHandleForReading)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            String(decoding: output, as: UTF8.self), String(decoding: errorData.wait(), as: UTF8.self),
            process.terminationReason, process.terminationStatus
        )
    }

    @Test func exitStatusAndBothOutputs() throws {
        let result = try run("echo out; echo err >&2; exit 3")
        #expect(result.out == "out\n" && result.err == "err\n")
        #expect(result.reason == .exit && result.status == 3)
    }

    @Test func aSignalThatEndsItIsReportedAsTheSignal() throws {
        // KILL: the test's thread may block SIGTERM, and the child inherits that mask, as with `Process`.
        let result = try run("kill -KILL $$")
        #expect(result.reason == .uncaughtSignal && result.status == SIGKILL)

        let sleeper = ChildProcess(executableURL: URL(fileURLWithPath: "/bin/sleep"), arguments: ["60"])
        try sleeper.run()
        #expect(sleeper.isRunning)
        #expect(!sleeper.waitUntilExit(timeout: 0.05))
        sleeper.send(SIGKILL)
        sleeper.waitUntilExit()
        #expect(!sleeper.isRunning)
        #expect(sleeper.terminationReason == .uncaughtSignal && sleeper.terminationStatus == SIGKILL)
        sleeper.send(SIGKILL)  // reaped: nothing is sent, nothing fails
    }

    @Test func anExecutableThatCannotRunIsAnErrorNamingIt() throws {
        let missing = ChildProcess(executableURL: URL(fileURLWithPath: "/nonexistent/rnnsweep-tool"))
        #expect {
            try missing.run()
        } throws: { error in
            let error = error as? ChildProcessError
            return error?.errno == ENOENT
                && error?.description == "cannot start /nonexistent/rnnsweep-tool: No such file or directory"
        }
        let directory = ChildProcess(executableURL: URL(fileURLWithPath: "/tmp"))
        #expect(throws: ChildProcessError.self) { try directory.run() }
    }

    @Test func environmentAndDirectoryAreTheOnesGiven() throws {
        let directory = FileManager.default.temporaryDirectory.resolvingSymlinksInPath()
        let result = try run("echo \"$ONLY|${HOME:-unset}\"; pwd", environment: ["ONLY": "a b"], directory: directory)
        #expect(result.out == "a b|unset\n\(directory.path)\n")
        // nil: this process's environment.
        setenv("RNNSWEEP_SPAWN_TEST", "inherited", 1)
        #expect(try run("echo $RNNSWEEP_SPAWN_TEST").out == "inherited\n")
    }

    @Test func standardInputFromAPipeEndsWhenClosed() throws {
        let process = ChildProcess(executableURL: URL(fileURLWithPath: "/bin/cat"))
        let input = Pipe()
        let output = Pipe()
        process.standardInput = .pipe(input)
        process.standardOutput = .pipe(output)
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data("line one\nline two\n".utf8))
        try input.fileHandleForWriting.close()
        let echoed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(decoding: echoed, as: UTF8.self) == "line one\nline two\n")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    @Test func aFileHandleIsWrittenAndLeftOpen() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        let process = ChildProcess(executableURL: Self.shell, arguments: ["-c", "echo written"])
        process.standardOutput = .handle(handle)
        try process.run()
        process.waitUntilExit()
        try handle.write(contentsOf: Data("after\n".utf8))  // still ours
        try handle.close()
        #expect(try String(contentsOf: file, encoding: .utf8) == "written\nafter\n")
    }

    @Test func onlyTheStandardDescriptorsReachTheChild() throws {
        // Descriptors without close-on-exec, as Foundation's Pipe makes them: none may leak into the child.
        let leaky = (0..<64).map { _ in open("/dev/null", O_RDONLY) }
        defer { for fd in leaky { close(fd) } }
        let extra = Pipe()
        #expect(leaky.allSatisfy { $0 > 2 })
        let result = try run("ls /proc/$$/fd")
        let descriptors = result.out.split(separator: "\n").compactMap { Int($0) }.sorted()
        #expect(descriptors == [0, 1, 2], "\(result.out)")
        _ = extra
    }

    @Test func itRunsInAProcessGroupOfItsOwn() throws {
        let process = ChildProcess(executableURL: URL(fileURLWithPath: "/bin/sleep"), arguments: ["60"])
        try process.run()
        defer {
            process.send(SIGKILL)
            process.waitUntilExit()
        }
        #expect(getpgid(process.processIdentifier) == process.processIdentifier)
        #expect(getpgid(process.processIdentifier) != getpgrp())
    }

    @Test func theTerminationHandlerRunsOnceAfterTheExit() throws {
        let process = ChildProcess(executableURL: Self.shell, arguments: ["-c", "exit 7"])
        let called = Collected.Counter()
        process.terminationHandler = { finished in called.add(finished.terminationStatus) }
        try process.run()
        process.waitUntilExit()
        #expect(called.waitFor(count: 1) == [7])
    }

    /// Many descriptors open (so that listing `/proc/self/fd` spans several of readdir's buffers, as in #5472's
    /// reproduction) and four threads spawning at once: every child starts, and each exits with its own status.
    @Test func manySpawnsAtOnceWithManyDescriptorsOpen() throws {
        let open = (0..<900).map { _ in Foundation.open("/dev/null", O_RDONLY | O_CLOEXEC) }
        defer { for fd in open { close(fd) } }
        let statuses = Collected.Counter()
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for round in 0..<50 {
                let process = ChildProcess(
                    executableURL: Self.shell, arguments: ["-c", "exit \((thread * 50 + round) % 200)"])
                do {
                    try process.run()
                    process.waitUntilExit()
                    statuses.add(process.terminationStatus)
                } catch {
                    statuses.add(-1)
                }
            }
        }
        let expected = (0..<200).map { Int32($0 % 200) }.sorted()
        #expect(statuses.waitFor(count: 200).sorted() == expected)
    }
}

/// Reads a handle to end-of-file on its own thread.
final class Collected: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }

    /// Values added from any thread.
    final class Counter: @unchecked Sendable {
        private let condition = NSCondition()
        private var values: [Int32] = []

        func add(_ value: Int32) {
            condition.lock()
            values.append(value)
            condition.broadcast()
            condition.unlock()
        }

        /// The values once there are `count` of them (at most 60 s).
        func waitFor(count: Int) -> [Int32] {
            condition.lock()
            defer { condition.unlock() }
            let deadline = Date(timeIntervalSinceNow: 60)
            while values.count < count && condition.wait(until: deadline) {}
            return values
        }
    }
}
