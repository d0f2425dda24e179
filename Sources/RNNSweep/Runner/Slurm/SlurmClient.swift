import Foundation
import RNNTraining
import Spawn

/// The Slurm commands the launcher needs, run as processes on the submit host (no library, no daemon connection of
/// our own: what works for the user in a shell works here).
struct SlurmClient {
    /// One task as `squeue` shows it.
    struct QueuedTask: Equatable {
        var state: String
        var reason: String?
        var node: String?
    }

    /// Seconds a command may take before it is killed (``SlurmSettings/commandTimeout``).
    var timeout: Double = SlurmSettings.defaultCommandTimeout
    /// When set, a signal to this process (counted from the call's start) kills the command at once.
    var signals: SignalCount?

    /// Runs `tool arguments…`; returns stdout, or throws with stderr. A command still running after ``timeout``, or
    /// when a signal arrives, is killed (SIGTERM, SIGKILL a second later): a controller that does not answer must
    /// not hold the coordinator.
    func run(_ tool: String, _ arguments: [String]) throws(SlurmError) -> String {
        guard let path = Self.find(tool) else { throw .notInstalled(tool) }
        let command = ([tool] + arguments).joined(separator: " ")
        let process = ChildProcess(executableURL: URL(fileURLWithPath: path), arguments: arguments)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = .pipe(out)
        process.standardError = .pipe(err)
        process.standardInput = .nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let signalsAtStart = signals?.value
        let started = ContinuousClock.now
        do { try process.run() } catch { throw .commandFailed(command: tool, status: -1, output: "\(error)") }
        // Both pipes drained on their own threads: a chatty command must not block on a full pipe.
        let outputData = PipeCollector(out.fileHandleForReading)
        let errorData = PipeCollector(err.fileHandleForReading)
        var cutShort: SlurmError?
        while exited.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            let waited = (ContinuousClock.now - started).seconds
            if let signalsAtStart, let now = signals?.value, now != signalsAtStart {
                cutShort = .interrupted(command: command, afterSeconds: waited)
            } else if waited >= timeout {
                cutShort = .timedOut(command: command, seconds: timeout)
            }
            guard cutShort != nil else { continue }
            Self.stop(process, exited: exited)
            break
        }
        let stdout = outputData.data()
        let stderr = String(decoding: errorData.data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if let cutShort { throw cutShort }
        guard process.terminationStatus == 0 else {
            throw .commandFailed(command: command, status: process.terminationStatus, output: stderr)
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    /// SIGTERM, then SIGKILL if it is still there a second later; waits for the exit either way.
    private static func stop(_ process: ChildProcess, exited: DispatchSemaphore) {
        process.send(SIGTERM)
        if exited.wait(timeout: .now() + .seconds(1)) == .timedOut {
            process.send(SIGKILL)
            exited.wait()
        }
    }

    /// `scontrol show config`'s MaxArraySize: array indices must stay below it.
    func maxArraySize() throws(SlurmError) -> Int {
        let config = try run("scontrol", ["show", "config"])
        for line in config.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
            if let value = line.split(separator: "=").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                return value
            }
        }
        return 1001  // Slurm's default
    }

    /// Submits `script` as an array of `count` tasks (indices 0…count−1); returns the job id.
    func submitArray(script: URL, count: Int, throttle: Int?, name: String, output: String, settings: SlurmSettings)
        throws(SlurmError) -> String
    {
        var arguments = [
            "--parsable", "--job-name=\(name)", "--array=0-\(count - 1)" + (throttle.map { "%\($0)" } ?? ""),
            "--output=\(output)", "--open-mode=append", "--cpus-per-task=\(settings.cpusPerTask)", "--requeue",
        ]
        if let partition = settings.partition { arguments.append("--partition=\(partition)") }
        if let time = settings.time { arguments.append("--time=\(time)") }
        if let warning = settings.warningSeconds { arguments.append("--signal=B:USR1@\(warning)") }
        if let mem = settings.mem { arguments.append("--mem=\(mem)") }
        arguments += settings.sbatchArgs
        arguments.append(script.path)
        let text = try run("sbatch", arguments)
        // `--parsable` prints `jobid` or `jobid;cluster`.
        let id = text.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw .commandFailed(command: "sbatch", status: 0, output: "unexpected reply '\(text)'")
        }
        return id
    }

    /// The queued and running tasks of the given array jobs, keyed `jobid_index`. A job that has left the queue
    /// entirely is simply absent.
    func queue(jobs: [String]) throws(SlurmError) -> [String: QueuedTask] {
        guard !jobs.isEmpty else { return [:] }
        let text: String
        do {
            text = try run("squeue", ["-h", "-r", "-j", jobs.joined(separator: ","), "-o", "%i|%T|%r|%N"])
        } catch .commandFailed(_, _, let output) where output.contains("Invalid job id") {
            // squeue refuses a list whose jobs have all left the queue.
            return [:]
        }
        var tasks: [String: QueuedTask] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { continue }
            tasks[fields[0]] = QueuedTask(
                state: fields[1], reason: fields[2] == "None" || fields[2].isEmpty ? nil : fields[2],
                node: fields[3].isEmpty ? nil : fields[3])
        }
        return tasks
    }

    /// The id of the job named `name` that is still in the queue, if any.
    func job(named name: String) throws(SlurmError) -> String? {
        let text = try run("squeue", ["-h", "--name=\(name)", "-o", "%F"])
        return text.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The task's final state and exit status from Slurm's accounting database (`sacct`), e.g. `COMPLETED` and 0
    /// for `ExitCode=0:0`; nil where the cluster keeps no accounting.
    func accounting(_ task: String) throws(SlurmError) -> (state: String, exitStatus: Int32?)? {
        let text = try run("sacct", ["-n", "-P", "-X", "-j", task, "-o", "State,ExitCode"])
        guard let line = text.split(separator: "\n").first else { return nil }
        let fields = line.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count >= 2 else { return nil }
        // `CANCELLED by 0` → CANCELLED; `0:15` → status 0, signal 15.
        let state = fields[0].split(separator: " ").first.map(String.init) ?? ""
        let code = fields[1].split(separator: ":")
        let signal = code.count > 1 ? Int32(code[1]) ?? 0 : 0
        return (state, signal == 0 ? code.first.flatMap { Int32($0) } : 128 + signal)
    }

    /// Cancels one array task (SIGTERM to its processes, then SIGKILL after the cluster's KillWait), or with
    /// `force` kills it at once.
    /// Sends `signal` to the batch script of a running task alone (`scancel --batch`), not to its worker.
    func signalBatchScript(_ task: String, _ signal: String) throws(SlurmError) {
        _ = try run("scancel", ["--batch", "--signal=\(signal)", task])
    }

    func cancel(_ task: String, force: Bool) throws(SlurmError) {
        _ = try run("scancel", (force ? ["--signal=KILL", "--full"] : []) + [task])
    }

    static func find(_ tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in paths + ["/usr/bin", "/usr/local/bin"] {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

/// Reads a pipe to end-of-file on its own thread.
private final class PipeCollector: @unchecked Sendable {
    private let done = NSCondition()
    private var collected = Data()
    private var finished = false

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let all = handle.readDataToEndOfFile()
            done.lock()
            collected = all
            finished = true
            done.broadcast()
            done.unlock()
        }
    }

    /// Everything read, once the pipe is closed (the command has exited or been killed).
    func data() -> Data {
        done.lock()
        defer { done.unlock() }
        while !finished { done.wait() }
        return collected
    }
}
